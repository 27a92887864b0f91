"""networkx views of a ropa dataset, for drawing, analytics and export (GraphML / GEXF for Gephi, Cytoscape).

- ``network(source)``: company - activity - concept (from ``queries/compare/network.rq``), one notice or all;
- ``company_concept(cmp)``: companies linked straight to the concepts they state (the aggregated view);
- ``similarity_graph(cmp)``: companies linked to their most similar companies (Jaccard).

Every node has ``kind`` (company / activity / concept), ``label`` and, for concepts, ``facet``; every edge has
``facet`` and ``weight``. Attribute values are plain str / int / float so both export formats take them.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset

from ropa.analyse.compare import FACETS, Comparison, company_table, curie_of, open_store, run
from ropa.errors import UsageError

MAX_NODES = 2500  # above this an interactive page aggregates (drops activities) and then samples companies


def network(source: str | Path | Dataset | ox.Store, notice: str | None = None,
            ontology: Path | None = None) -> nx.Graph:
    """The company - activity - concept graph of every notice, or of the one ``notice`` names (file name, stem,
    company name or graph IRI)."""
    store = open_store(source, ontology)
    companies = company_table(store)
    graph = find_notice(companies, notice) if notice else None
    rows = run(store, "network", g=graph)
    labels = _labels(store)
    by_graph = dict(zip(companies["graph"], companies.index, strict=True))
    g = nx.Graph(name=f"ropa network{' of ' + str(by_graph[graph]) if graph else ''}")
    for company in ([by_graph[graph]] if graph else companies.index):
        g.add_node(f"company:{company}", kind="company", label=str(company), facet="company")
    for r in rows.itertuples(index=False):
        company = by_graph[r.g]
        act, key = str(r.activity), curie_of(r.concept)
        if act not in g:
            title = r.title if isinstance(r.title, str) else act.rsplit("/", 1)[-1]
            g.add_node(act, kind="activity", label=title, facet="activity", company=str(company))
            g.add_edge(f"company:{company}", act, facet="activity", weight=1)
        if key not in g:
            g.add_node(key, kind="concept", label=labels.get(key, key), facet=str(r.facet))
        g.add_edge(act, key, facet=str(r.facet), weight=1)
    return g


def hierarchy(source: str | Path | Dataset | ox.Store, root: str | None = "https://w3id.org/dpv#PersonalData",
              ontology: Path | None = None) -> nx.DiGraph:
    """The DPV hierarchy above the concepts the activities use, as a tree (edges broader -> narrower). Where DPV
    gives a concept two broader concepts, the tree keeps the one closer to ``root``. Node attributes: ``label``,
    ``used`` (an activity states the concept itself) and ``depth`` (steps below the root)."""
    store = open_store(source, ontology)
    rows = run(store, "hierarchy", root=root)
    labels = _labels(store)
    dag = nx.DiGraph()
    for r in rows.itertuples(index=False):
        c = curie_of(r.concept)
        dag.add_node(c, label=labels.get(c, c), used=str(r.used) == "true" or dag.nodes.get(c, {}).get("used", False))
        if isinstance(r.broader, str):
            dag.add_edge(curie_of(r.broader), c)
    top = curie_of(root) if root else next((n for n in dag if dag.in_degree(n) == 0), None)
    if top is None or top not in dag:
        return nx.DiGraph()
    tree = nx.bfs_tree(dag, top)
    for n in tree:
        tree.nodes[n].update(dag.nodes[n], depth=nx.shortest_path_length(tree, top, n))
    return tree


def tree_text(tree: nx.DiGraph, max_depth: int = 99) -> str:
    """The tree as indented text, one concept a line, ``*`` marking the concepts an activity states."""
    roots = [n for n in tree if tree.in_degree(n) == 0]
    lines: list[str] = []

    def walk(n: str, depth: int) -> None:
        d = tree.nodes[n]
        lines.append(f"{'  ' * depth}{d.get('label', n)}{' *' if d.get('used') else ''}")
        if depth < max_depth:
            for child in sorted(tree.successors(n), key=lambda c: tree.nodes[c].get("label", c).lower()):
                walk(child, depth + 1)

    for r in roots:
        walk(r, 0)
    return "\n".join(lines)


def _labels(store: ox.Store) -> dict[str, str]:
    df = run(store, "labels").dropna()
    return {curie_of(c): str(lab) for c, lab in zip(df["concept"], df["label"], strict=True)}


def find_notice(companies, notice: str) -> str:
    """The named graph of the notice ``notice`` names: its file name, stem, company name or graph IRI."""
    for company, row in companies.iterrows():
        src = str(row.get("source") or "")
        if notice in (src, src.rsplit(".", 1)[0], str(company), str(row.get("name")), str(row["graph"])):
            return str(row["graph"])
    raise UsageError(f"no notice {notice!r} in the graph; name one of: {', '.join(map(str, companies['source']))}")


def company_concept(cmp: Comparison, facets: Iterable[str] | None = None) -> nx.Graph:
    """Companies linked to the concepts they state; edge weight = activities stating it."""
    g = nx.Graph(name="companies and concepts")
    for company in cmp.companies.index:
        g.add_node(f"company:{company}", kind="company", label=str(company), facet="company")
    for facet in facets or [f for f in cmp.matrices if f != "art13_completeness"]:
        m = cmp.matrices[facet]
        for key in m.columns:
            node = f"{facet}:{key}"
            g.add_node(node, kind="concept", label=cmp.label(key), facet=facet)
            for company, n in m[key][m[key] > 0].items():
                g.add_edge(f"company:{company}", node, facet=facet, weight=int(n))
    return g


def similarity_graph(cmp: Comparison, facet: str = "overall", k: int = 3, min_similarity: float = 0.1) -> nx.Graph:
    """Each company linked to its ``k`` most similar companies (Jaccard >= ``min_similarity``)."""
    sim = cmp.similarity[facet]
    g = nx.Graph(name=f"company similarity ({facet})")
    for company in sim.index:
        g.add_node(str(company), kind="company", label=str(company), facet="company")
    values = sim.to_numpy()
    for i, company in enumerate(sim.index):
        order = [j for j in values[i].argsort()[::-1] if j != i][:k]
        for j in order:
            if values[i, j] >= min_similarity:
                g.add_edge(str(company), str(sim.index[j]), weight=round(float(values[i, j]), 4), facet=facet)
    return g


def aggregate(g: nx.Graph, max_nodes: int = MAX_NODES) -> tuple[nx.Graph, str]:
    """A graph small enough to draw interactively, and a sentence saying what was done ("" when nothing was).

    First activities are folded away (company - concept edges, weight = activities); then, if still too big,
    companies are sampled (a stable hash of the name decides, so the same companies come back every time)."""
    if g.number_of_nodes() <= max_nodes:
        return g, ""
    out = nx.Graph(name=g.graph.get("name", ""))
    n_before = g.number_of_nodes()
    for node, data in g.nodes(data=True):
        if data.get("kind") != "activity":
            out.add_node(node, **data)
    for act, data in g.nodes(data=True):
        if data.get("kind") != "activity":
            continue
        owners = [n for n in g[act] if g.nodes[n].get("kind") == "company"]
        for concept in (n for n in g[act] if g.nodes[n].get("kind") == "concept"):
            for owner in owners:
                w = out.edges[owner, concept]["weight"] + 1 if out.has_edge(owner, concept) else 1
                out.add_edge(owner, concept, weight=w, facet=g.nodes[concept].get("facet", ""))
    note = f"{n_before:,} nodes: activities folded into company - concept edges"
    companies = sorted((n for n, d in out.nodes(data=True) if d.get("kind") == "company"), key=_stable)
    others = out.number_of_nodes() - len(companies)
    room = max(max_nodes - others, 1)
    if len(companies) > room:
        out.remove_nodes_from(companies[room:])
        out.remove_nodes_from([n for n in list(out) if out.degree(n) == 0 and out.nodes[n].get("kind") != "company"])
        note += f"; showing a sample of {room:,} of {len(companies):,} companies"
    return out, note + "."


def _stable(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()


def export(g: nx.Graph, path: Path) -> None:
    """Write ``g`` as GraphML (.graphml) or GEXF (.gexf), by the suffix."""
    path = Path(path)
    writers = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}
    if path.suffix.lower() not in writers:
        raise UsageError(f"{path}: export writes .graphml or .gexf")
    path.parent.mkdir(parents=True, exist_ok=True)
    writers[path.suffix.lower()](g, path)


FACET_ORDER = ["company", "activity", *[f for f in FACETS if f not in ("art13_completeness", "transfer_safeguards",
                                                                         "retention", "rights")]]
