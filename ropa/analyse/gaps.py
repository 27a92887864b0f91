"""``ropa gaps``: what each privacy notice fails to tell, against GDPR Art. 13, 14 and 30, with evidence.

    >>> from ropa.analyse.gaps import gaps
    >>> report = gaps("build/ropa.trig")                 # or an rdflib Dataset, or a pyoxigraph Store
    >>> report.exit_code()                               # 0: no violation, 1: violations
    >>> [f.check for f in report.for_notice("001_b5c1420042106783.txt")]

How: the notice graphs go into an embedded Oxigraph store with the checks' vocabulary. An OWL reasoner
(:mod:`ropa.analyse.reasoning`) classifies the vocabulary's concepts (special category, consent, tracker ...),
the activities and transfers are put into the defined classes of ``gaps_classes.ttl``
(:mod:`ropa.analyse.gaps_classify`), then every check runs once over all notices: the SPARQL queries of
``queries/gaps/`` on the store, the SHACL shapes of ``ontology/shapes/`` with pySHACL. Each result row is a
finding with the notice, the activity, the article, the severity, the message, the evidence quotes (with their
offsets) and the fix. All findings are collected; none stops the run.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ropa import resources
from ropa.analyse import gaps_evidence
from ropa.analyse.gaps_checks import GAPS, Catalogue, Check, load_catalogue
from ropa.analyse.gaps_classify import classify
from ropa.analyse.gaps_report import Finding, NoticeInfo, Report, sort_findings
from ropa.analyse.gaps_run import Hit, run_shacl, run_sparql
from ropa.analyse.gaps_store import GapsStore
from ropa.analyse.reasoning import classify_concepts, load_axioms
from ropa.errors import GraphError, UsageError
from ropa.graph.namespaces import curie

STALE_MONTHS = 24
_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")


def gaps(source: object, *, notices: Iterable[str] | None = None, reasoner: str = "hermit",
         as_of: date | str | None = None, checks: Iterable[str] | None = None, texts: Path | None = None,
         cache_dir: Path | None | bool = None, vocabulary: Iterable[Path] | None = None) -> Report:
    """Check every notice of ``source`` (a dataset file, an rdflib Dataset or a pyoxigraph Store).

    ``notices``: only these (file names, stems, or a prefix naming one notice).
    ``reasoner``: ``hermit`` (default, needs Java), ``owlrl`` or ``none``.
    ``as_of``: the date notices are judged at (default today). ``checks``: only these check ids.
    ``texts``: a folder with the notice files, to quote them in full in the HTML report.
    ``cache_dir``: where the reasoner's result is cached (default ``$ROPA_CACHE_DIR`` or ``~/.cache/ropa``;
    ``False``: no cache). ``vocabulary``: Turtle files to use instead of ``ontology/ropa.ttl``.

    Raises :class:`ropa.errors.RopaError` (exit code 2) on an unreadable graph or bad arguments; everything the
    checks find is in the returned :class:`~ropa.analyse.gaps_report.Report` (``exit_code()``: 0 or 1).
    """
    t0 = time.perf_counter()
    cat = load_catalogue()
    selected = _select_checks(cat, checks)
    day = _as_of(as_of)
    store = GapsStore.open(source)
    try:
        report = _run(store, cat, selected, day, notices, reasoner, cache_dir, vocabulary)
    finally:
        store.close()
    if texts is not None:
        report.notices = [_with_text(n, Path(texts), report.notes) for n in report.notices]
    report.seconds = time.perf_counter() - t0
    return report


def _run(store: GapsStore, cat: Catalogue, selected: list[Check], day: date, notices: Iterable[str] | None,
         reasoner: str, cache_dir, vocabulary) -> Report:
    report = Report(checks=[c.info for c in selected], as_of=day.isoformat())
    store.load_vocabulary(_vocabulary(vocabulary, report.notes))
    report.notices = _notices(store, notices)
    if notices is not None:
        store.scope = sorted({ox.NamedNode(n.graph) for n in report.notices}, key=lambda g: g.value)
    classes = _reason(store, reasoner, cache_dir, report)
    report.notices = _with_classes(store, report.notices, classes)
    runnable = [c for c in selected if c.id not in report.skipped]
    hits = _sparql_hits(store, [c for c in runnable if c.info.kind == "sparql"], day)
    notice_of = {n.graph: n.iri for n in report.notices}
    hits += run_shacl(store, _only(cat, runnable), _support("shacl_view"), notice_of)
    by_iri = {n.iri: n for n in report.notices}
    report.findings = sort_findings(_finding(store, h, by_iri, classes) for h in hits if h.notice in by_iri)
    return report


def _select_checks(cat: Catalogue, ids: Iterable[str] | None) -> list[Check]:
    if ids is None:
        return list(cat.all)
    wanted = list(ids)
    known = {c.id: c for c in cat.all}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise UsageError(f"unknown check {unknown[0]!r}; `ropa gaps --list-checks` lists them")
    return [known[i] for i in wanted]


def _only(cat: Catalogue, runnable: list[Check]) -> Catalogue:
    ids = {c.id for c in runnable}
    return Catalogue(cat.sparql, tuple(c for c in cat.shacl if c.id in ids), cat.shapes)


def _as_of(as_of: date | str | None) -> date:
    if as_of is None:
        return date.today()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise UsageError(f"--as-of {as_of!r} is not a date; write it as YYYY-MM-DD") from None


def _vocabulary(paths: Iterable[Path] | None, notes: list[str]) -> list[Path]:
    shapes = resources.shapes_dir()
    if paths is not None:
        return [*map(Path, paths), shapes / "gaps_concepts.ttl"]
    ont = resources.ontology_file()
    if not ont.is_file():
        notes.append(f"{ont} not found: the concept hierarchy is only the checks' own (gaps_concepts.ttl)")
        return [shapes / "gaps_concepts.ttl"]
    return [ont, shapes / "gaps_concepts.ttl"]


def _notices(store: GapsStore, wanted: Iterable[str] | None) -> list[NoticeInfo]:
    rows = store.select(_support("notices"))
    found = [NoticeInfo(r["source"].value, r["notice"].value, r["g"].value, _lex(r.get("controller")),
                        _lex(r.get("modified")), content_hash=_lex(r.get("hash"))) for r in rows]
    if not found:
        raise GraphError("holds no dpv:PrivacyNotice; is it a ropa graph? Build one with `ropa build`")
    if wanted is None:
        return found
    out = []
    for w in wanted:
        match = [n for n in found if w in (n.source, Path(n.source).stem, n.iri)]
        prefixed = [n for n in found if n.source.startswith(w)]
        match = match or (prefixed if len(prefixed) == 1 else [])
        if not match:
            raise UsageError(f"no notice {w!r} in the graph; it holds {', '.join(n.source for n in found[:8])}"
                             f"{' ...' if len(found) > 8 else ''}")
        out += [m for m in match if m not in out]
    return out


def _lex(term) -> str | None:
    return term.value if term is not None else None


def _reason(store: GapsStore, engine: str, cache_dir, report: Report) -> dict[str, set[str]]:
    """Classify the vocabulary, then the activities; on failure skip the checks that need it, with a note."""
    axioms = load_axioms(resources.shapes_dir() / "gaps_classes.ttl")
    view = [(t.subject.value, t.predicate.value, t.object.value) for t in store.construct(_support("concept_view"))]
    result = classify_concepts(axioms, view, engine, cache_dir)
    report.reasoner = result.engine + (" (cached)" if result.cached else "")
    if not result.ok:
        report.notes.append(result.note)
        for c in report.checks:
            if c.requires_reasoner:
                report.skipped[c.id] = result.note.split(":")[0]
        return {}
    store.add_inferred(result.triples())
    return classify(store, axioms.graph)


def _with_classes(store: GapsStore, notices: list[NoticeInfo], classes: dict[str, set[str]]) -> list[NoticeInfo]:
    """Each notice with the defined classes of its activities (what the reasoner made of it, at a glance)."""
    from dataclasses import replace

    per: dict[str, set[str]] = {}
    for row in store.select(_support("activities")) if classes else []:
        per.setdefault(row["notice"].value, set()).update(classes.get(row["activity"].value, ()))
    return [replace(n, classes=tuple(sorted(short(c) for c in per.get(n.iri, ())))) for n in notices]


def _sparql_hits(store: GapsStore, checks: list[Check], day: date) -> list[Hit]:
    params = {"asOf": _date(day), "staleBefore": _date(_months_before(day, STALE_MONTHS))}
    out: list[Hit] = []
    for c in checks:
        out += run_sparql(store, c, params)
    return out


def _date(d: date) -> ox.Literal:
    return ox.Literal(d.isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))


def _months_before(d: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day where it has fewer days)."""
    import calendar

    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _finding(store: GapsStore, h: Hit, notices: dict[str, NoticeInfo], classes: dict[str, set[str]]) -> Finding:
    info = h.check.info
    ev_nodes = h.evidence or (gaps_evidence.statements_about(store, h.focus) if h.focus else [])
    title = store.value(ox.NamedNode(h.activity), _TITLE) if h.activity else None
    return Finding(
        notice=notices[h.notice].source, check=info.id, article=info.article, severity=info.severity,
        message=h.message, fix=info.fix, evidence=gaps_evidence.evidence(store, ev_nodes), activity=h.activity,
        activity_title=title.value if title is not None else None, subject=h.subject,
        classes=tuple(sorted(short(c) for c in classes.get(h.activity or "", ()))), notice_iri=h.notice)


def short(iri: str) -> str:
    """A CURIE for an IRI, knowing the checks' own gaps: namespace too."""
    return "gaps:" + iri[len(str(GAPS)):] if iri.startswith(str(GAPS)) else curie(URIRef(iri))


def _support(name: str) -> str:
    return (resources.queries_dir() / "gaps" / "support" / f"{name}.rq").read_text(encoding="utf-8")


def _with_text(n: NoticeInfo, folder: Path, notes: list[str]) -> NoticeInfo:
    """The notice's text as ingested, if its file is in ``folder`` (offsets point into it)."""
    from dataclasses import replace

    from ropa import ingest

    path = folder / n.source
    if not path.is_file():
        notes.append(f"{n.source}: not found in {folder}; its evidence is quoted without the full text")
        return n
    doc = ingest.read(path)
    if n.content_hash and n.content_hash != f"sha256:{doc.sha256}":
        notes.append(f"{path}: changed since the graph was built (its hash differs); the evidence offsets may not "
                     "match it, so the text is left out. Rebuild the graph with `ropa build`")
        return n
    return replace(n, text=doc.text)
