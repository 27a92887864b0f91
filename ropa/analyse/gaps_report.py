"""What ``ropa gaps`` returns: findings with severities, the GDPR article, evidence and a fix, per notice.

A :class:`Report` holds every finding of every check on every notice it looked at (it never stops at the first),
the checks it ran, the checks it had to skip (and why) and notes such as a missing Java runtime. No rdflib here:
IRIs are plain strings, so a report can be serialised, compared and rendered without the graph.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from ropa.errors import EXIT_FINDINGS, EXIT_OK


class Severity(StrEnum):
    """How bad a finding is. ``violation``: a required item is missing or defective; ``warning``: probably a gap,
    a person should look; ``info``: a record-keeping (Art. 30) hole or a hint."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"violation": 0, "warning": 1, "info": 2}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r}; use violation, warning or info") from None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage of the notice a finding looked at: ``text[start:end] == quote`` (code points)."""

    quote: str
    start: int | None = None
    end: int | None = None
    about: str = ""  # the fact it backs, e.g. "dpv:hasLegalBasis eu-gdpr:A6-1-f"


@dataclass(frozen=True, slots=True)
class Finding:
    """One missing or defective item: in which notice (and activity), which check, which article, how bad."""

    notice: str  # the notice's file name (dct:source)
    check: str  # the check id, e.g. "art13_1_c_legal_basis"
    article: str  # e.g. "Art. 13(1)(c)"
    severity: Severity
    message: str
    fix: str
    evidence: tuple[Evidence, ...] = ()
    activity: str | None = None  # the activity IRI, where the finding is about one activity
    activity_title: str | None = None
    subject: str | None = None  # another node the finding is about (a transfer, the controller)
    classes: tuple[str, ...] = ()  # defined classes the reasoner put the activity in (CURIEs)
    notice_iri: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["evidence"] = [asdict(e) for e in self.evidence]
        d["classes"] = list(self.classes)
        return d


@dataclass(frozen=True, slots=True)
class NoticeInfo:
    """A notice the report covers."""

    source: str
    iri: str
    graph: str
    controller: str | None = None
    modified: str | None = None
    text: str | None = None  # the notice text as ingested, when the caller supplied it (for the HTML report)
    classes: tuple[str, ...] = ()  # defined classes its activities are in (gaps:ConsentBasedProcessing, ...)
    content_hash: str | None = None  # ropa:contentHash of the notice ("sha256:..."), to match a text file to it


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """A check as the report describes it (id, article, severity, title, law, fix, where it lives)."""

    id: str
    article: str
    severity: Severity
    title: str
    fix: str
    law: str = ""
    how: str = ""
    scope: str = "notice"
    kind: str = "sparql"
    path: str = ""
    requires_reasoner: bool = False
    also: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["also"] = list(self.also)
        return d


@dataclass(slots=True)
class Report:
    """All findings of one run, plus what was checked, what was skipped and why."""

    findings: list[Finding] = field(default_factory=list)
    notices: list[NoticeInfo] = field(default_factory=list)
    checks: list[CheckInfo] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # check id -> why it did not run
    notes: list[str] = field(default_factory=list)
    reasoner: str = ""
    as_of: str = ""
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def worst(self) -> Severity | None:
        return min((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def exit_code(self) -> int:
        """0 when no violation was found, 1 when at least one was (errors raise and map to 2)."""
        return EXIT_FINDINGS if self.worst() is Severity.VIOLATION else EXIT_OK

    def for_notice(self, source: str) -> list[Finding]:
        return [f for f in self.findings if f.notice == source]

    def check(self, check_id: str) -> CheckInfo | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def filtered(self, min_severity: Severity) -> Report:
        keep = [f for f in self.findings if f.severity.rank <= min_severity.rank]
        return Report(keep, self.notices, self.checks, self.skipped, self.notes, self.reasoner, self.as_of,
                      self.seconds)

    def to_dict(self) -> dict:
        return {
            "tool": "ropa gaps",
            "as_of": self.as_of,
            "reasoner": self.reasoner,
            "counts": self.counts(),
            "notices": [{"source": n.source, "iri": n.iri, "controller": n.controller, "modified": n.modified,
                         "classes": list(n.classes)} for n in self.notices],
            "checks": [c.to_dict() for c in self.checks],
            "skipped": dict(self.skipped),
            "notes": list(self.notes),
            "findings": [f.to_dict() for f in self.findings],
        }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Notice, then severity (worst first), then article, activity and message: a stable, readable order."""
    return sorted(findings, key=lambda f: (f.notice, f.severity.rank, _article_key(f.article), f.activity_title or "",
                                           f.check, f.message))


def _article_key(article: str) -> tuple:
    import re

    return tuple(int(n) if n.isdigit() else n for n in re.findall(r"\d+|[a-z]", article))
