"""Cross-company comparison of ROPA graphs: a company x concept matrix per facet, similarity between companies,
what each company does that no other does, retention periods side by side and a completeness score.

Every number starts as a SPARQL query in ``queries/compare/`` (an analyst can run the same file by hand); this
module only runs them on an embedded Oxigraph store and pivots the rows into pandas data frames.

    >>> from ropa.analyse.compare import compare
    >>> cmp = compare("build/ropa.trig", depth=2)
    >>> cmp.matrices["legal_bases"]            # company x concept, cell = activities stating it
    >>> cmp.similarity["overall"]              # company x company Jaccard

A "company" is a notice's controller (``dpv:hasName``), or the notice's file name when it names none. Two notices
of the same controller stay two rows (the second is labelled ``name (file)``).
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from ropa import resources
from ropa.analyse import compare_metrics as metrics
from ropa.analyse.compare_facets import FACETS, Facet
from ropa.errors import GraphError, UsageError
from ropa.graph.namespaces import curie

try:
    from ropa.store.sources import ONTOLOGY_GRAPH
except ImportError:  # pragma: no cover - the store package is optional here
    ONTOLOGY_GRAPH = "https://w3id.org/ropa/ontology"

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


# --- the store and the queries ---------------------------------------------------------------------------------

def open_store(source: str | Path | Dataset | ox.Store, ontology: Path | None = None) -> ox.Store:
    """An in-memory Oxigraph store holding the dataset (one named graph per notice) and the ontology (the named
    graph ``<https://w3id.org/ropa/ontology>``); queries see the union of all graphs as the default graph, as
    everywhere in ropa (queries/README.md).

    ``source`` is a TriG / N-Quads file, an rdflib Dataset or a store (used as is). Evidence nodes (the
    ``rdf:Statement`` quotes and offsets, ~85% of a ropa graph) are left out of a file as it is read: no compare
    query reads them, and loading 1,000 notices takes a quarter of the time without them. This is the one place
    that knows the engine; swap it for ``ropa.store`` without touching the rest.
    """
    if isinstance(source, ox.Store):
        return source
    store = ox.Store()
    if isinstance(source, Dataset):
        store.extend(_from_rdflib(source))
        return _with_ontology(store, ontology)
    else:
        path = _checked(Path(source))
        if _format(path) == ox.RdfFormat.N_QUADS:
            return _with_ontology(_load_nquads(store, path), ontology)
        quads = ox.parse(path=str(path), format=_format(path), lenient=True)
    try:
        store.extend(_without_evidence(quads))
    except SyntaxError as err:
        raise GraphError(f"not a readable graph ({str(err).splitlines()[0][:120]}); rebuild it with `ropa build`",
                         source if not isinstance(source, Dataset) else None) from err
    return _with_ontology(store, ontology)


def _with_ontology(store: ox.Store, ontology: Path | None) -> ox.Store:
    """Add the ontology (labels, skos:broader) as the named graph ONTOLOGY_GRAPH, as every ropa store has it."""
    onto = ontology if ontology is not None else resources.ontology_file()
    if onto.is_file():
        store.bulk_load(path=str(onto), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH),
                        lenient=True)
    return store


def _load_nquads(store: ox.Store, path: Path) -> ox.Store:
    """N-Quads fast path: drop the lines whose subject is an evidence node (ropa's ``<notice graph>/ev/<id>``
    IRIs, ropa/graph/build.py) as bytes, before parsing. 1,000 notices: 2 s instead of 7."""
    kept = [line for line in path.read_bytes().split(b"\n")
            if (i := line.find(b"/ev/", 0, 300)) < 0 or line.find(b">", 0, i) >= 0]
    try:
        store.bulk_load(b"\n".join(kept), ox.RdfFormat.N_QUADS, lenient=True)
    except SyntaxError as err:
        raise GraphError(f"not a readable n-quads graph ({str(err).splitlines()[0][:120]})", path) from err
    return store


def _from_rdflib(ds: Dataset) -> list[ox.Quad]:
    """The dataset's quads as Oxigraph quads, evidence left out (faster than serialising and parsing)."""
    out = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        if str(p) in _EVIDENCE or (str(p) == _RDF + "type" and str(o) in _EVIDENCE) or g is None:
            continue
        graph = getattr(g, "identifier", g)
        if isinstance(graph, URIRef) and str(graph) == "urn:x-rdflib:default":
            graph_term: ox.NamedNode | ox.BlankNode | ox.DefaultGraph = ox.DefaultGraph()
        else:
            graph_term = _ox(graph)  # type: ignore[assignment]
        out.append(ox.Quad(_ox(s), ox.NamedNode(str(p)), _ox(o), graph_term))  # type: ignore[arg-type]
    return out


def _ox(t: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype))) if t.datatype else ox.Literal(str(t))
    raise TypeError(f"not an RDF term: {t!r}")


def _without_evidence(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    drop, rdf_type = _EVIDENCE, _RDF + "type"
    out = []
    for q in quads:
        p = q.predicate.value
        if p not in drop and not (p == rdf_type and q.object.value in drop):
            out.append(q)
    return out


_RDF, _OA, _PROV = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/ns/oa#",
                    "http://www.w3.org/ns/prov#")
# Predicates and classes of evidence nodes (GRAPH-CONTRACT "Evidence for every extracted fact").
_EVIDENCE = frozenset([_RDF + "subject", _RDF + "predicate", _RDF + "object", _RDF + "Statement",
                       _OA + "hasSelector", _OA + "exact", _OA + "prefix", _OA + "suffix", _OA + "start", _OA + "end",
                       _OA + "TextQuoteSelector", _OA + "TextPositionSelector", _PROV + "wasDerivedFrom"])


def _checked(path: Path) -> Path:
    if not path.is_file():
        raise GraphError("no such graph file; run `ropa build` first or check the path", path)
    return path


def _format(path: Path) -> ox.RdfFormat:
    fmt = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS}.get(
        path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: compare reads a dataset with one named graph per notice; use .trig or .nq")
    return fmt


@dataclass(frozen=True)
class Query:
    """A query file of ``queries/compare/``: its text and the header fields (name, description, ...)."""

    name: str
    text: str
    header: dict[str, str]


@cache
def query(name: str) -> Query:
    path = resources.queries_dir() / "compare" / f"{name}.rq"
    if not path.is_file():
        raise UsageError(f"{path}: no such compare query; see queries/compare/ for the list")
    text = path.read_text(encoding="utf-8")
    header = {}
    for line in text.splitlines():
        if line.startswith("# ") and ":" in line:
            key, _, value = line[2:].partition(":")
            header[key.strip()] = value.strip()
    return Query(name, text, header)


def run(store: ox.Store, name: str, **params: object) -> pd.DataFrame:
    """Run ``queries/compare/<name>.rq`` and return its rows as a data frame (one column per projected
    variable; IRIs and literals as their plain text, unbound as NaN, numbers as numbers). ``params`` pre-bind the
    query's parameter variables (SEP-0007 substitution: they must be projected, top-level variables)."""
    subs = {ox.Variable(k): _term(v) for k, v in params.items() if v is not None}
    try:
        solutions = store.query(query(name).text, substitutions=subs or None, use_default_graph_as_union=True)
    except (SyntaxError, OSError, RuntimeError) as err:
        raise GraphError(f"query {name} failed: {err}") from err
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    data = solutions.serialize(format=ox.QueryResultsFormat.CSV)  # type: ignore[union-attr]
    df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""])
    for col in ("activities", "level", "depth"):
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0).astype("int64")
    return df.reindex(columns=names)


def _term(value: object) -> ox.NamedNode | ox.Literal:
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=XSD_INTEGER)
    text = str(value)
    return ox.NamedNode(text) if "://" in text or text.startswith("urn:") else ox.Literal(text)


# --- the comparison --------------------------------------------------------------------------------------------

@dataclass
class Comparison:
    """Everything ``ropa compare`` reports, as data frames keyed by company label."""

    companies: pd.DataFrame                     # index: company label; columns graph, notice, source, name, country
    matrices: dict[str, pd.DataFrame]           # facet -> company x concept key; cell = activities (1 = notice-wide)
    labels: dict[str, str]                      # concept key -> readable label
    similarity: dict[str, pd.DataFrame]         # facet or "overall" -> company x company Jaccard
    unique: pd.DataFrame                        # company, facet, concept, label: what only that company states
    retention: pd.DataFrame                     # one row per stated period, months normalised
    transfers: pd.DataFrame                     # company, activity, destination, safeguard
    completeness: pd.DataFrame                  # company -> score (0..1), items present, items checked, source
    depth: int | None = None
    notes: list[str] = field(default_factory=list)

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def retention_summary(self) -> pd.DataFrame:
        """Per company: shortest and longest fixed retention (months), the periods, how many are event-bound."""
        if "_retention_summary" not in self.__dict__:
            self.__dict__["_retention_summary"] = metrics.retention_summary(self.retention, self.companies.index)
        return self.__dict__["_retention_summary"]  # type: ignore[no-any-return]

    def matrix(self, facet: str, labelled: bool = True) -> pd.DataFrame:
        """The facet's matrix, columns renamed to readable labels when ``labelled``."""
        m = self.matrices[facet]
        return m.rename(columns=self.label) if labelled else m


def compare(source: str | Path | Dataset | ox.Store, facets: Iterable[str] | None = None, depth: int | None = None,
            ontology: Path | None = None, findings: Iterable[object] | None = None,
            checks: int | None = None) -> Comparison:
    """Compare the companies of a ropa dataset on every facet (or the named ones).

    ``depth`` rolls personal data and purposes up the DPV hierarchy (1 = the concepts right under
    dpv:PersonalData / dpv:Purpose). ``findings`` (``ropa.analyse.gaps`` findings, or anything with ``notice``,
    ``check`` and ``severity``) and ``checks`` (how many checks ran) give the completeness score; without them it
    is the share of the Art. 13 items each notice states.
    """
    chosen = _facets(facets)
    store = open_store(source, ontology)
    companies = company_table(store)
    by_graph = dict(zip(companies["graph"], companies.index, strict=True))
    labels = _labels(store)
    matrices: dict[str, pd.DataFrame] = {}
    for facet in chosen:
        rows = run(store, facet.name, depth=depth if facet.hierarchical else None)
        matrices[facet.name] = _pivot(rows, by_graph, labels)
    _order_columns(chosen, labels, matrices)
    retention = metrics.retention_table(run(store, "retention_periods"), by_graph)
    transfers = _transfers(run(store, "transfers"), by_graph, labels)
    art13 = matrices.get("art13_completeness")
    if art13 is None:
        art13 = _pivot(run(store, "art13_completeness"), by_graph, labels)
    completeness = metrics.completeness(companies, art13, findings, checks)
    similarity = metrics.similarities(matrices, exclude={"art13_completeness"})
    unique = metrics.unique(matrices, labels, exclude={"art13_completeness"})
    return Comparison(companies, matrices, labels, similarity, unique, retention, transfers, completeness, depth)


def _facets(names: Iterable[str] | None) -> list[Facet]:
    if names is None:
        return list(FACETS.values())
    out = []
    for n in names:
        key = n.replace("-", "_")
        if key not in FACETS:
            raise UsageError(f"unknown facet {n!r}; choose from {', '.join(FACETS)}")
        out.append(FACETS[key])
    return out


def company_table(store: ox.Store) -> pd.DataFrame:
    """One row per notice, indexed by a unique company label (name, or ``name (file)`` when names repeat)."""
    df = run(store, "companies")
    if df.empty:
        raise GraphError("no dpv:PrivacyNotice in any named graph; is this a ropa dataset (ropa build)?")
    df = df.rename(columns={"company": "name", "g": "graph"})
    counts = df["name"].value_counts()
    df["company"] = [n if counts[n] == 1 else f"{n} ({s})" for n, s in zip(df["name"], df["source"], strict=True)]
    df["country"] = [curie_of(c) if isinstance(c, str) else "" for c in df.get("country", [None] * len(df))]
    return df.set_index("company").sort_index()


def _labels(store: ox.Store) -> dict[str, str]:
    df = run(store, "labels").dropna()
    return {curie_of(c): str(lab) for c, lab in zip(df["concept"], df["label"], strict=True)}


@cache
def curie_of(value: object) -> str:
    """A concept key: the CURIE of an IRI in a known namespace, ``entity:<name>`` for a named recipient, the text
    of a literal."""
    text = str(value)
    if text.startswith("urn:ropa:entity:"):
        return "entity:" + text[len("urn:ropa:entity:"):]
    return curie(text) if "://" in text else text  # type: ignore[arg-type]


def _pivot(rows: pd.DataFrame, by_graph: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    """Rows (g, concept, activities[, label]) -> company x concept counts; every company is a row."""
    companies = pd.Index(sorted(set(by_graph.values())), name="company")
    if rows.empty:
        return pd.DataFrame(index=companies, dtype="int64")
    keys = rows["concept"].map(curie_of)
    if "label" in rows.columns:
        for k, lab in zip(keys, rows["label"], strict=True):
            if isinstance(lab, str):
                labels.setdefault(k, lab)
    frame = pd.DataFrame({"company": rows["g"].map(by_graph), "concept": keys, "n": rows["activities"]})
    m = frame.groupby(["company", "concept"])["n"].sum().unstack(fill_value=0)
    m = m.reindex(companies, fill_value=0).fillna(0).astype("int64")
    m.columns.name = None
    used = (m > 0).sum(axis=0)
    order = sorted(m.columns, key=lambda c: (-int(used[c]), labels.get(c, c).lower()))
    return m[order]


def _order_columns(facets: list[Facet], labels: dict[str, str], matrices: dict[str, pd.DataFrame]) -> None:
    for facet in facets:
        m = matrices[facet.name]
        if facet.order == "months":
            for key in m.columns:
                labels.setdefault(key, metrics.duration_label(key))
            matrices[facet.name] = m[sorted(m.columns, key=metrics.sort_months)]
        elif facet.order == "label":
            matrices[facet.name] = m[sorted(m.columns, key=lambda c: _natural(labels.get(c, c)))]


def _natural(text: str) -> list[object]:
    """Sort key that puts A7-3 before A15 and 13(1)(a) before 13(2)(a)."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text)]


def _transfers(rows: pd.DataFrame, by_graph: dict[str, str], labels: dict[str, str]) -> pd.DataFrame:
    def name(value: object, missing: str) -> str:
        return labels.get(curie_of(value), curie_of(value)) if isinstance(value, str) else missing

    out = pd.DataFrame({"company": rows["g"].map(by_graph),
                        "activity": rows["title"].fillna("(whole notice)"),
                        "destination": [name(v, "not stated") for v in rows["country"]],
                        "safeguard": [name(v, "none stated") for v in rows["safeguard"]]})
    return out.drop_duplicates().reset_index(drop=True)
