"""Render a gaps :class:`~ropa.analyse.gaps_report.Report`: table, explain, JSON, CSV, SARIF 2.1.0 and HTML.

Formats are chosen by name from :data:`FORMATS` (``render(report, "sarif")``); each returns the text to print or
write. Nothing here reads the graph: a report carries everything a renderer needs.
"""
from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable

from ropa import __version__
from ropa.analyse.gaps_report import Evidence, Finding, Report, Severity
from ropa.errors import UsageError

INFORMATION_URI = "https://w3id.org/ropa"
_SARIF_LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_WIDTH = {"notice": 26, "finding": 46, "severity": 9, "article": 14, "evidence": 44, "fix": 44}


def render(report: Report, fmt: str, *, explain: bool = False) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "table" and explain:
        return render_explain(report)
    return FORMATS[fmt](report)


# ------------------------------------------------------------------------------------------------ table

def render_table(report: Report) -> str:
    """One row per finding: notice, finding, severity, article, evidence (first quote, shortened), fix."""
    cols = list(_WIDTH)
    lines = [_row({c: c for c in cols}), _row({c: "-" * _WIDTH[c] for c in cols})]
    for f in report.findings:
        finding = f.message if not f.activity_title else f"{f.message} [{f.activity_title}]"
        lines.append(_row({"notice": f.notice, "finding": finding, "severity": f.severity.value,
                           "article": f.article, "evidence": _first_quote(f), "fix": f.fix}))
    lines += ["", summary_line(report), *(f"note: {n}" for n in report.notes)]
    return "\n".join(lines) + "\n"


def _row(cells: dict[str, str]) -> str:
    return "  ".join(_clip(cells[c], _WIDTH[c]).ljust(_WIDTH[c]) for c in _WIDTH).rstrip()


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _first_quote(f: Finding) -> str:
    if not f.evidence:
        return "(nothing found)"
    e = f.evidence[0]
    return f"{_span(e)} “{e.quote}”"


def _span(e: Evidence) -> str:
    return f"@{e.start}-{e.end}" if e.start is not None else ""


def summary_line(report: Report) -> str:
    c = report.counts()
    skipped = f", {len(report.skipped)} checks skipped" if report.skipped else ""
    return (f"{len(report.findings)} findings in {len(report.notices)} notices: {c['violation']} violations, "
            f"{c['warning']} warnings, {c['info']} info ({len(report.checks)} checks{skipped}, reasoner "
            f"{report.reasoner or 'none'}, as of {report.as_of}, {report.seconds:.2f} s)")


# ------------------------------------------------------------------------------------------------ explain

def render_explain(report: Report) -> str:
    """Per notice, per finding: the article and its words, how the check decides, the reasoning, the evidence and
    the fix."""
    out = []
    for n in report.notices:
        found = report.for_notice(n.source)
        out += ["=" * 100, f"{n.source}  controller: {n.controller or '(not named)'}  updated: {n.modified or '-'}",
                f"{len(found)} findings", "=" * 100]
        for i, f in enumerate(found, 1):
            out += _explain_one(report, i, f)
    out += ["", summary_line(report), *(f"note: {n}" for n in report.notes)]
    out += [f"skipped {cid}: {why}" for cid, why in sorted(report.skipped.items())]
    return "\n".join(out) + "\n"


def _explain_one(report: Report, i: int, f: Finding) -> list[str]:
    check = report.check(f.check)
    wrap = lambda label, text: textwrap.wrap(text, 100, initial_indent=f"    {label:<10}",  # noqa: E731
                                             subsequent_indent=" " * 14)
    lines = [f"{i:>3}. [{f.severity.value.upper()}] {f.article}  {f.message}"]
    if f.activity_title:
        lines += wrap("activity", f.activity_title)
    if check is not None:
        lines += wrap("law", f"{check.article}: {check.law}" if check.law else check.article)
        lines += wrap("how", check.how) if check.how else []
        lines += wrap("check", f"{check.id} ({check.path})")
    if f.classes:
        lines += wrap("reasoner", "the activity is in " + ", ".join(f.classes))
    for e in f.evidence:
        lines += wrap("evidence", f"{_span(e)} “{e.quote}”" + (f"  [{e.about}]" if e.about else ""))
    if not f.evidence:
        lines += wrap("evidence", "none: the graph holds no statement of this item")
    lines += wrap("fix", f.fix)
    return lines + [""]


# ------------------------------------------------------------------------------------------------ JSON, CSV

def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("notice", "activity", "activity_title", "check", "article", "severity", "message", "evidence",
               "evidence_offsets", "fix")


def render_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for f in report.findings:
        w.writerow([f.notice, f.activity or "", f.activity_title or "", f.check, f.article, f.severity.value,
                    f.message, " | ".join(e.quote for e in f.evidence),
                    " ".join(f"{e.start}-{e.end}" for e in f.evidence if e.start is not None), f.fix])
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------ SARIF

def render_sarif(report: Report) -> str:
    """SARIF 2.1.0: one rule per check, one result per finding, located in the notice file by character offsets
    (``columnKind`` unicodeCodePoints, as the evidence offsets count code points)."""
    rules = [{"id": c.id, "name": c.id, "shortDescription": {"text": c.title},
              "fullDescription": {"text": f"{c.article}: {c.law}" if c.law else c.article},
              "help": {"text": c.fix}, "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
              "properties": {"article": c.article, "severity": c.severity.value, "kind": c.kind,
                             "tags": ["gdpr", c.article]}}
             for c in report.checks]
    index = {c.id: i for i, c in enumerate(report.checks)}
    run = {"tool": {"driver": {"name": "ropa gaps", "version": __version__, "informationUri": INFORMATION_URI,
                               "rules": rules}},
           "columnKind": "unicodeCodePoints",
           "results": [_sarif_result(f, index) for f in report.findings],
           "properties": {"asOf": report.as_of, "reasoner": report.reasoner, "notes": report.notes,
                          "skipped": report.skipped}}
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _sarif_result(f: Finding, index: dict[str, int]) -> dict:
    located = [e for e in f.evidence if e.start is not None and e.end is not None]
    locations = [{"physicalLocation": {"artifactLocation": {"uri": f.notice},
                                       "region": {"charOffset": e.start, "charLength": e.end - e.start,
                                                  "snippet": {"text": e.quote}}}} for e in located[:1]]
    if not locations:
        locations = [{"physicalLocation": {"artifactLocation": {"uri": f.notice}}}]
    result = {"ruleId": f.check, "level": _SARIF_LEVEL[f.severity],
              "message": {"text": f"{f.message} Fix: {f.fix}"}, "locations": locations,
              "partialFingerprints": {"ropaFinding/v1": _fingerprint(f)},
              "properties": {"article": f.article, "activity": f.activity_title or "", "subject": f.subject or ""}}
    if f.check in index:
        result["ruleIndex"] = index[f.check]
    if len(located) > 1:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": {"artifactLocation": {"uri": f.notice},
                                           "region": {"charOffset": e.start, "charLength": e.end - e.start,
                                                      "snippet": {"text": e.quote}}}}
            for i, e in enumerate(located[1:], 1)]
    return result


def _fingerprint(f: Finding) -> str:
    import hashlib

    key = f"{f.notice}|{f.check}|{f.activity or ''}|{f.subject or ''}|{f.message}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _html(report: Report) -> str:
    from ropa.analyse.gaps_html import render_html

    return render_html(report)


FORMATS: dict[str, Callable[[Report], str]] = {
    "table": render_table, "json": render_json, "csv": render_csv, "sarif": render_sarif, "html": _html,
}
