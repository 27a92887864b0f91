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
import numpy as np

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
    # Every "<" as \u003c: no "</script>" or "<!--" from a notice can end or re-enter the data block.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
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
    """A biplot of the company x concept incidence: companies at their first two principal components (companies
    that state the same things sit together), concepts at their loadings on the same two axes (a concept sits on
    the side of the companies that state it), activities at the mean of their concepts. One SVD,
    deterministic; a small stable jitter keeps twins apart."""
    companies = [n for n, d in g.nodes(data=True) if d.get("kind") == "company"]
    concepts = [n for n, d in g.nodes(data=True) if d.get("kind") == "concept"]
    col = {n: j for j, n in enumerate(concepts)}
    x = np.zeros((len(companies), len(concepts)))
    for i, c in enumerate(companies):
        for m in g[c]:
            if m in col:
                x[i, col[m]] = 1.0
    pos: dict[str, tuple[float, float]] = {}
    if len(companies) >= 3 and len(concepts) >= 2:
        u, sv, vt = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
        xy = _spread(u[:, :2] * sv[:2], radius)
        loads = _spread(vt[:2].T, radius * 0.9)
        for n, j in col.items():
            pos[n] = (float(loads[j, 0]) + _jitter(n, radius), float(loads[j, 1]) + _jitter(n[::-1], radius))
    else:
        xy = np.array([[radius * math.cos(2 * math.pi * i / max(len(companies), 1)),
                        radius * math.sin(2 * math.pi * i / max(len(companies), 1))] for i in range(len(companies))])
    for i, c in enumerate(companies):
        pos[c] = (float(xy[i, 0]) + _jitter(c, radius), float(xy[i, 1]) + _jitter(c[::-1], radius))
    for n in concepts:
        if n not in pos:
            near = [pos[m] for m in g[n] if m in pos]
            pos[n] = _mean(near, n, radius) if near else (radius * 1.1, 0.0)
    for n in g:
        if n not in pos:
            near = [pos[m] for m in g[n] if m in pos]
            pos[n] = _mean(near, n, radius) if near else (0.0, 0.0)
    return pos


def _spread(xy: np.ndarray, radius: float) -> np.ndarray:
    """Scale points so that 98% of them lie within ``radius`` of the centre; pull the rest in to 1.15 radius."""
    norm = np.hypot(xy[:, 0], xy[:, 1]) if len(xy) else np.zeros(0)
    r = float(np.percentile(norm, 98)) if len(xy) else 0.0
    if r <= 1e-12:
        return xy
    out = xy * (radius / r)
    far = norm * (radius / r) > radius * 1.15
    out[far] *= (radius * 1.15 / (norm[far] * (radius / r)))[:, None]
    return out


def _jitter(key: str, radius: float) -> float:
    return (hash_unit(key) - 0.5) * radius * 0.04


def _mean(points: list[tuple[float, float]], key: str, radius: float) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points) + _jitter(key, radius),
            sum(p[1] for p in points) / len(points) + _jitter(key[::-1], radius))


def _rank(facet: str) -> int:
    return FACET_ORDER.index(facet) if facet in FACET_ORDER else len(FACET_ORDER)


def hash_unit(text: str) -> float:
    """A stable number in [0, 1) from a string (Python's hash() changes between runs)."""
    h = 2166136261
    for ch in text.encode():
        h = ((h ^ ch) * 16777619) & 0xFFFFFFFF
    return h / 2**32
