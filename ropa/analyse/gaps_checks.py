"""The check catalogue: SPARQL checks in ``queries/gaps/*.rq`` and SHACL shapes in ``ontology/shapes/*.ttl``.

A SPARQL check's file starts with a comment header, one ``key: value`` per line (a value may go on over
following comment lines)::

    # title:    No legal basis stated anywhere in the notice
    # article:  Art. 13(1)(c)
    # severity: violation
    # scope:    notice
    # law:      "the purposes of the processing ... as well as the legal basis for the processing"
    # how:      No activity of the notice has a dpv:hasLegalBasis.
    # fix:      State the legal basis of each purpose ("... on the basis of our contract with you, Art. 6(1)(b)").
    # message:  No legal basis is stated for any processing.
    # requires: reasoner
    # also:     Art. 30(1)(b)

The file stem is the check id. ``message`` may name the query's variables in braces (``{right}``). The query is a
SELECT whose rows are findings: ``?notice`` (required), ``?activity``, ``?subject``, ``?ev`` (evidence statement
nodes; rows that differ only in ``?ev`` are one finding) and any variables the message names.

A SHACL check is a ``sh:NodeShape`` carrying ``gaps:checkId``, ``gaps:article``, ``rdfs:label`` (title),
``sh:severity``, ``gaps:fix``, ``gaps:law``, ``gaps:how`` and ``gaps:scope``; its property shapes give the
``sh:message``. Files in ``ontology/shapes/`` whose shapes carry no ``gaps:checkId`` (the ``gaps_*.ttl``
vocabulary) are not checks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ropa import resources
from ropa.analyse.gaps_report import CheckInfo, Severity
from ropa.errors import RopaError

GAPS = Namespace("https://w3id.org/ropa/gaps#")
SCOPES = ("notice", "activity", "transfer", "controller")
REQUIRED = ("title", "article", "severity", "fix")
_KEY = re.compile(r"^#\s{0,3}([a-z]+):\s*(.*)$")
_ARTICLE = re.compile(r"^Art\. \d+(\(\d+\))?(\([a-z]\))?(; Art\. \d+(\(\d+\))?(\([a-z]\))?)*$")
_SHACL_SEVERITY = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


class CheckError(RopaError):
    """A check file that cannot be used as a check (bad header, bad query, bad shape)."""


@dataclass(frozen=True, slots=True)
class Check:
    """One check: its description (``info``) and what runs it (the query text or the shapes file)."""

    info: CheckInfo
    query: str = ""  # SPARQL checks
    message: str = ""  # message template (SPARQL checks)

    @property
    def id(self) -> str:
        return self.info.id


@dataclass(frozen=True, slots=True)
class Catalogue:
    sparql: tuple[Check, ...]
    shacl: tuple[Check, ...]
    shapes: Graph  # the SHACL shapes of all SHACL checks, merged

    @property
    def all(self) -> tuple[Check, ...]:
        return tuple(sorted(self.sparql + self.shacl, key=lambda c: c.id))


def load_catalogue(queries: Path | None = None, shapes: Path | None = None) -> Catalogue:
    """Every check in ``queries`` (default ``queries/gaps``) and ``shapes`` (default ``ontology/shapes``)."""
    return _load(Path(queries or resources.queries_dir() / "gaps"), Path(shapes or resources.shapes_dir()))


@cache
def _load(queries: Path, shapes: Path) -> Catalogue:
    if not queries.is_dir():
        raise CheckError("the gaps queries folder is missing; reinstall ropa or set ROPA_HOME", queries)
    sparql = tuple(sparql_check(p) for p in sorted(queries.glob("*.rq")))
    graph, shacl = _shacl_checks(shapes)
    ids = [c.id for c in sparql + shacl]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise CheckError(f"check ids used twice: {', '.join(dup)}; rename one of the files", queries)
    return Catalogue(sparql, shacl, graph)


def read_header(text: str) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a query file (continuation lines appended)."""
    out: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _KEY.match(line)
        if m:
            key = m.group(1)
            out[key] = m.group(2).strip()
        elif key and line.strip("# ").strip():
            out[key] = f"{out[key]} {line.lstrip('#').strip()}".strip()
        else:
            key = None
    return out


def sparql_check(path: Path) -> Check:
    text = path.read_text(encoding="utf-8")
    head = read_header(text)
    _require(head, path)
    info = CheckInfo(
        id=path.stem, article=_article(head["article"], path), severity=_severity(head["severity"], path),
        title=head["title"], fix=head["fix"], law=head.get("law", ""), how=head.get("how", ""),
        scope=_scope(head.get("scope", "notice"), path), kind="sparql", path=_rel(path),
        requires_reasoner=head.get("requires", "").strip() == "reasoner", also=_also(head.get("also", "")))
    return Check(info, text, head.get("message", "") or head["title"])


def _require(head: dict[str, str], path: Path) -> None:
    missing = [k for k in REQUIRED if not head.get(k)]
    if missing:
        raise CheckError(f"the header lacks {', '.join(missing)}; add a line '# {missing[0]}: ...' at the top", path)


def _article(text: str, path: Path) -> str:
    if not _ARTICLE.match(text):
        raise CheckError(f"article {text!r} is not written like 'Art. 13(1)(c)'; fix the header", path)
    return text


def _severity(text: str, path: Path) -> Severity:
    try:
        return Severity.parse(text)
    except ValueError as err:
        raise CheckError(str(err), path) from None


def _scope(text: str, path: Path) -> str:
    if text not in SCOPES:
        raise CheckError(f"scope {text!r} is not one of {', '.join(SCOPES)}; fix the header", path)
    return text


def _also(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(";") if a.strip())


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(resources.home().resolve()))
    except (ValueError, FileNotFoundError):
        return str(path)


def _shacl_checks(folder: Path) -> tuple[Graph, tuple[Check, ...]]:
    merged, checks = Graph(), []
    for path in sorted(folder.glob("*.ttl")) if folder.is_dir() else []:
        g = Graph()
        try:
            g.parse(path, format="turtle")
        except Exception as err:  # rdflib raises many kinds on bad Turtle
            msg = f"not readable Turtle ({type(err).__name__}: {str(err)[:100]}); fix the file"
            raise CheckError(msg, path) from err
        found = [shacl_check(g, s, path) for s in sorted(g.subjects(GAPS.checkId, None))]
        if found:
            merged += g
            checks += found
    return merged, tuple(checks)


def shacl_check(g: Graph, shape: URIRef, path: Path) -> Check:
    def val(p: URIRef) -> str:
        v = g.value(shape, p)
        return str(v) if isinstance(v, Literal) else ""

    if (shape, RDF.type, SH.NodeShape) not in g:
        raise CheckError(f"{shape} carries gaps:checkId but is not a sh:NodeShape", path)
    head = {"title": val(RDFS.label), "article": val(GAPS.article), "fix": val(GAPS.fix),
            "severity": "x" if g.value(shape, SH.severity) in _SHACL_SEVERITY else ""}
    _require(head, path)
    info = CheckInfo(
        id=val(GAPS.checkId), article=_article(head["article"], path),
        severity=_SHACL_SEVERITY[g.value(shape, SH.severity)],
        title=head["title"], fix=head["fix"], law=val(GAPS.law), how=val(GAPS.how),
        scope=_scope(val(GAPS.scope) or "notice", path), kind="shacl", path=_rel(path), also=_also(val(GAPS.also)))
    return Check(info, "", head["title"])
