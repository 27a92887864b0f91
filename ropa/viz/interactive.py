"""A networkx view as one self-contained interactive HTML page (inline JS, no CDN: it works offline).

Positions are computed here: the three-column layout for one notice, a spring layout for small graphs, and for
large ones a fast deterministic "ring" layout (concepts on a circle grouped by facet, each company at the mean of
its concepts, so companies that state the same things sit together). Graphs above ``MAX_NODES`` are aggregated
and sampled first (``network.aggregate``) and the page says so in its header.
"""
from __future__ import annotations

import html
import json
import math

import networkx as nx

from ropa.viz import _page
from ropa.viz.draw import PALETTE, three_columns
from ropa.viz.network import FACET_ORDER, MAX_NODES, aggregate

SPRING_MAX = 400


def page(g: nx.Graph, title: str, note: str = "", max_nodes: int = MAX_NODES) -> str:
    """The HTML page for ``g`` (aggregated / sampled above ``max_nodes``; ``note`` adds to the header)."""
    g, done = aggregate(g, max_nodes)
    pos = layout(g)
    index = {n: i for i, n in enumerate(g)}
    degree = dict(g.degree())
    top = max(degree.values(), default=1) or 1
    nodes = [{"label": str(d.get("label", n)), "kind": d.get("kind", "concept"), "facet": d.get("facet", "concept"),
              "x": round(pos[n][0], 2), "y": round(pos[n][1], 2),
              "r": round(max(3 + 7 * math.sqrt(degree[n] / top), 8 if d.get("kind") == "company" else 0), 2),
              "info": str(d.get("company", ""))}
             for n, d in g.nodes(data=True)]
    edges = [[index[a], index[b], d.get("weight", 1), d.get("facet") or g.nodes[b].get("facet", "")]
             for a, b, d in g.edges(data=True)]
    facets = [f for f in FACET_ORDER if any(n["facet"] == f for n in nodes)]
    facets += sorted({n["facet"] for n in nodes} - set(facets))
    companies = sum(1 for n in nodes if n["kind"] == "company")
    data = {"nodes": nodes, "edges": edges, "colours": PALETTE, "facets": facets,
            "note": " ".join(x for x in (note, done) if x), "companyLabels": companies <= 150,
            "labelZoom": {"company": 0 if companies <= 150 else 2.5, "activity": 0 if len(nodes) < 120 else 1.8,
                          "concept": 0 if len(nodes) < 120 else 2.5}}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return _page.TEMPLATE.replace("__TITLE__", html.escape(title)).replace("__DATA__", payload)


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Node positions: three columns for one company's activities, spring for small graphs, ring otherwise."""
    kinds = [d.get("kind") for _, d in g.nodes(data=True)]
    if kinds.count("company") == 1 and "activity" in kinds:
        pos, _ = three_columns(g, "activity")
        return {n: (x * 400.0, y * 22.0) for n, (x, y) in pos.items()} | _orphans(g, pos)
    if g.number_of_nodes() <= SPRING_MAX:
        raw = nx.spring_layout(g, seed=1, k=1.5 / math.sqrt(max(g.number_of_nodes(), 1)), iterations=80)
        return {n: (float(x) * 500, float(y) * 500) for n, (x, y) in raw.items()}
    return ring(g)


def _orphans(g: nx.Graph, pos: dict) -> dict[str, tuple[float, float]]:
    """Nodes the column layout leaves out (the company): placed above the activities."""
    return {n: (400.0, -40.0) for n in g if n not in pos}


def ring(g: nx.Graph, radius: float = 1000.0) -> dict[str, tuple[float, float]]:
    """Concepts on a circle, grouped by facet in FACET_ORDER; companies (and activities) at the mean position of
    their concepts, pulled towards the centre. O(edges), deterministic."""
    concepts = sorted((n for n, d in g.nodes(data=True) if d.get("kind") == "concept"),
                      key=lambda n: (_rank(g.nodes[n].get("facet", "")), -g.degree(n), str(n)))
    pos: dict[str, tuple[float, float]] = {}
    for i, n in enumerate(concepts):
        a = 2 * math.pi * i / max(len(concepts), 1)
        pos[n] = (radius * math.cos(a), radius * math.sin(a))
    for kind, pull in (("activity", 0.8), ("company", 0.65)):
        for n, d in g.nodes(data=True):
            if d.get("kind") != kind:
                continue
            near = [pos[m] for m in g[n] if m in pos and g.nodes[m].get("kind") != "company"]
            jitter = (hash_unit(str(n)) - 0.5) * radius * 0.08, (hash_unit(str(n)[::-1]) - 0.5) * radius * 0.08
            if near:
                x = sum(p[0] for p in near) / len(near) * pull + jitter[0]
                y = sum(p[1] for p in near) / len(near) * pull + jitter[1]
            else:
                x, y = jitter
            pos[n] = (x, y)
    for n in g:
        pos.setdefault(n, (0.0, 0.0))
    return pos


def _rank(facet: str) -> int:
    return FACET_ORDER.index(facet) if facet in FACET_ORDER else len(FACET_ORDER)


def hash_unit(text: str) -> float:
    """A stable number in [0, 1) from a string (Python's hash() changes between runs)."""
    h = 2166136261
    for ch in text.encode():
        h = ((h ^ ch) * 16777619) & 0xFFFFFFFF
    return h / 2**32
