"""``ropa viz``: pictures of a ropa dataset as one library call (the command is a thin wrapper over ``viz``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset

from ropa.analyse.compare import compare, open_store
from ropa.errors import UsageError
from ropa.graph.io import write_atomic
from ropa.viz import draw, interactive, network

VIEWS = ("network", "companies", "similarity")
STATIC_COMPANIES_MAX = 40   # above this a static picture shows the similarity network instead


@dataclass
class VizResult:
    graph: nx.Graph
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def view(source: str | Path | Dataset | ox.Store, name: str = "network", notice: str | None = None,
         ontology: Path | None = None) -> nx.Graph:
    """The networkx view ``name``: ``network`` (company - activity - concept, one notice or all), ``companies``
    (company - concept, activities folded) or ``similarity`` (companies and their most similar companies)."""
    if name not in VIEWS:
        raise UsageError(f"unknown view {name!r}; choose {', '.join(VIEWS)}")
    store = open_store(source, ontology)
    if name == "network":
        return network.network(store, notice=notice)
    if notice:
        raise UsageError("--notice goes with the network view (one notice's activities)")
    cmp = compare(store, facets=[f for f in network.FACET_ORDER if f not in ("company", "activity")])
    return network.company_concept(cmp) if name == "companies" else network.similarity_graph(cmp)


def viz(source: str | Path | Dataset | ox.Store, output: Path | None = None, *, name: str = "network",
        notice: str | None = None, picture: Path | None = None, export: Path | None = None,
        ontology: Path | None = None, max_nodes: int = network.MAX_NODES) -> VizResult:
    """Draw the view: ``output`` an interactive HTML page, ``picture`` a PNG/SVG, ``export`` GraphML/GEXF."""
    g = view(source, name, notice, ontology)
    res = VizResult(g)
    title = _title(g, name, notice)
    if output is not None:
        write_atomic(Path(output), interactive.page(g, title, max_nodes=max_nodes).encode("utf-8"))
        res.written.append(Path(output))
    if picture is not None:
        res.written.append(draw.save(static(g, name, title, res.notes), Path(picture)))
    if export is not None:
        network.export(g, Path(export))
        res.written.append(Path(export))
    return res


def static(g: nx.Graph, name: str, title: str, notes: list[str]):
    """The matplotlib figure for a view: three columns for one notice or a few companies, else the similarity
    network (of a sample above 150 companies)."""
    companies = [n for n, d in g.nodes(data=True) if d.get("kind") == "company"]
    if name == "similarity":
        return draw.draw_similarity(_sample(g, companies, notes), title)
    if len(companies) == 1 and name == "network":
        return draw.draw_three_columns(g, title, middle="activity")
    if len(companies) <= STATIC_COMPANIES_MAX:
        folded, _ = network.aggregate(g, max_nodes=0) if name == "network" else (g, "")
        return draw.draw_three_columns(folded, title, middle="company")
    raise UsageError(f"{len(companies)} companies are too many for one static picture; draw one with --notice, "
                     "or --view similarity")


def _sample(g: nx.Graph, companies: list[str], notes: list[str]) -> nx.Graph:
    if len(companies) <= 150:
        return g
    keep = sorted(companies)[:: -(-len(companies) // 150)]
    notes.append(f"the picture shows a sample of {len(keep)} of {len(companies)} companies")
    return g.subgraph(keep).copy()


def _title(g: nx.Graph, name: str, notice: str | None) -> str:
    companies = [d["label"] for _, d in g.nodes(data=True) if d.get("kind") == "company"]
    if notice and companies:
        name = companies[0] if companies[0] in (notice, f"{notice}.txt") else f"{companies[0]} ({notice})"
        return f"{name}: activities and what they state"
    what = {"network": "companies, activities and concepts", "companies": "companies and the concepts they state",
            "similarity": "companies and their most similar companies"}[name]
    return f"ropa: {len(companies)} {what}"
