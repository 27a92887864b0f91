"""Static pictures of the networkx views (matplotlib, Agg backend; PNG or SVG by the file suffix).

The company - activity - concept view is drawn in three columns so that no edge crosses a label: who the data is
about and what data (left), the activities (or companies) in the middle, why and on what basis, to whom and
where (right). Concepts are grouped by facet under a coloured heading and ordered to cut edge crossings.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ropa.analyse.compare import FACETS  # noqa: E402

LEFT = ["data_subjects", "personal_data", "data_sources"]
RIGHT = ["purposes", "legal_bases", "recipients", "transfer_destinations"]
PALETTE = {"data_subjects": "#1b9e77", "personal_data": "#d95f02", "data_sources": "#7570b3",
           "purposes": "#1f78b4", "legal_bases": "#e7298a", "recipients": "#66a61e",
           "transfer_destinations": "#a6761d", "company": "#333333", "activity": "#888888"}
ROW = 0.26          # inches per label row
FONT = 8


def colour(facet: str) -> str:
    return PALETTE.get(facet, "#999999")


def _wrap(text: str, width: int = 34, lines: int = 2) -> str:
    out = textwrap.wrap(text, width) or [text]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return "\n".join(out)


def three_columns(g: nx.Graph, middle: str = "activity") -> tuple[dict[str, tuple[float, float]], list[tuple]]:
    """Positions (x in {0, 1, 2}, y downwards in rows) and the facet headings ``(x, y, facet)``."""
    mids = [n for n, d in g.nodes(data=True) if d.get("kind") == middle]
    pos: dict[str, tuple[float, float]] = {}
    headings: list[tuple] = []
    side_rows = {}
    for x, facets in ((0.0, LEFT), (2.0, RIGHT)):
        rows = sum(len(_members(g, f)) + 1 for f in facets if _members(g, f))
        side_rows[x] = rows
    height = max(len(mids) * 2.2, *side_rows.values(), 1)
    step = height / max(len(mids), 1)
    for i, n in enumerate(mids):
        pos[n] = (1.0, step * (i + 0.5))
    for x, facets in ((0.0, LEFT), (2.0, RIGHT)):
        y = (height - side_rows[x]) / 2
        for f in facets:
            members = _members(g, f)
            if not members:
                continue
            headings.append((x, y, f))
            y += 1
            for n in sorted(members, key=lambda n: (_barycentre(g, n, pos), g.nodes[n]["label"].lower())):
                pos[n] = (x, y)
                y += 1
    return pos, headings


def _members(g: nx.Graph, facet: str) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d.get("kind") == "concept" and d.get("facet") == facet]


def _barycentre(g: nx.Graph, node: str, pos: dict) -> float:
    ys = [pos[m][1] for m in g[node] if m in pos]
    return sum(ys) / len(ys) if ys else 0.0


def draw_three_columns(g: nx.Graph, title: str, middle: str = "activity") -> Figure:
    """The company - activity - concept view of one notice (middle = activity) or the company - concept view
    of a few companies (middle = company)."""
    pos, headings = three_columns(g, middle)
    rows = max((p[1] for p in pos.values()), default=1) + 2
    fig = plt.figure(figsize=(17, max(4.0, rows * ROW + 1.2)))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0 - 0.9 / fig.get_figheight()))
    ax.set_xlim(-1.05, 3.05)
    ax.set_ylim(rows, -1)
    ax.axis("off")
    for a, b, d in g.edges(data=True):
        if a in pos and b in pos:
            facet = d.get("facet") if d.get("facet") in PALETTE else g.nodes[b].get("facet", "")
            (x1, y1), (x2, y2) = pos[a], pos[b]
            ax.plot([x1, x2], [y1, y2], color=colour(facet), lw=0.7, alpha=0.45, zorder=1)
    for n, (x, y) in pos.items():
        d = g.nodes[n]
        if x == 1.0:
            ax.text(x, y, _wrap(d["label"]), ha="center", va="center", fontsize=FONT, zorder=3,
                    bbox={"boxstyle": "round,pad=0.35", "fc": "#f4f4f4", "ec": colour(middle), "lw": 0.8})
        else:
            ax.scatter([x], [y], s=18, color=colour(d.get("facet", "")), zorder=2)
            ha, dx = ("right", -0.03) if x == 0 else ("left", 0.03)
            ax.text(x + dx, y, _wrap(d["label"], 48, 1), ha=ha, va="center", fontsize=FONT)
    for x, y, f in headings:
        ha, dx = ("right", -0.03) if x == 0 else ("left", 0.03)
        ax.text(x + dx, y, FACETS[f].title.upper(), ha=ha, va="center", fontsize=FONT + 1, weight="bold",
                color=colour(f))
    fig.suptitle(title, fontsize=12, y=1.0 - 0.35 / fig.get_figheight(), va="center")
    return fig


def draw_similarity(g: nx.Graph, title: str, seed: int = 1) -> Figure:
    """Companies as nodes, edges to their most similar companies (width = Jaccard), colours = communities."""
    n = g.number_of_nodes()
    size = min(4 + n * 0.35, 16)
    fig, ax = plt.subplots(figsize=(size + 2, size))
    pos = nx.spring_layout(g, weight="weight", seed=seed, k=1.6 / max(n, 1) ** 0.5)
    groups = communities(g)
    cmap = plt.get_cmap("tab10")
    colours = [cmap(groups.get(node, 0) % 10) for node in g]
    widths = [0.5 + 4 * d.get("weight", 0) for _, _, d in g.edges(data=True)]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, alpha=0.35, edge_color="#555555")
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colours, node_size=120 if n < 60 else 40)
    if n <= 15:
        nx.draw_networkx_edge_labels(g, pos, ax=ax, font_size=FONT - 1, alpha=0.8,
                                     edge_labels={(a, b): f"{d['weight']:.2f}" for a, b, d in g.edges(data=True)})
    if n <= 80:
        for node, (x, y) in pos.items():
            ax.annotate(_wrap(g.nodes[node].get("label", node), 24, 1), (x, y), xytext=(0, 10),
                        textcoords="offset points", ha="center", fontsize=FONT,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    ax.set_title(title, fontsize=12)
    ax.axis("off")
    ax.margins(0.12)
    fig.tight_layout()
    return fig


def draw_tree(tree: nx.DiGraph, title: str) -> Figure:
    """A concept hierarchy left to right: root on the left, leaves one per row on the right, concepts an activity
    states in bold."""
    roots = [n for n in tree if tree.in_degree(n) == 0]
    pos: dict[str, tuple[float, float]] = {}
    row = [0]

    def place(n: str, depth: int) -> float:
        kids = sorted(tree.successors(n), key=lambda c: tree.nodes[c].get("label", c).lower())
        if not kids:
            y = float(row[0])
            row[0] += 1
        else:
            ys = [place(k, depth + 1) for k in kids]
            y = sum(ys) / len(ys)
        pos[n] = (float(depth), y)
        return y

    for r in roots:
        place(r, 0)
    depth = max((x for x, _ in pos.values()), default=0)
    fig, ax = plt.subplots(figsize=(3.2 * (depth + 1) + 1.5, max(3.0, 0.24 * row[0] + 1)))
    for a, b in tree.edges():
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot([x1, x1 + 0.5, x1 + 0.5, x2], [y1, y1, y2, y2], color="#999999", lw=0.8)
    for n, (x, y) in pos.items():
        d = tree.nodes[n]
        ax.scatter([x], [y], s=14, color=PALETTE["personal_data"] if d.get("used") else "#555555", zorder=2)
        ax.text(x + 0.05, y - 0.25 if tree.out_degree(n) else y, _wrap(d.get("label", n), 30, 1), va="center",
                fontsize=FONT, weight="bold" if d.get("used") else "normal")
    ax.set_xlim(-0.2, depth + 1.3)
    ax.set_ylim(row[0], -1)
    ax.axis("off")
    ax.set_title(title + "  (bold: stated by an activity)", fontsize=10, loc="left")
    fig.tight_layout()
    return fig


def png(fig: Figure, dpi: int = 100) -> bytes:
    """``fig`` as PNG bytes (the figure is closed): for notebooks, ``IPython.display.Image(png(fig))``."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def communities(g: nx.Graph) -> dict[str, int]:
    """Node -> community number (greedy modularity on edge weights); isolated nodes get their own."""
    if g.number_of_edges() == 0:
        return {n: i for i, n in enumerate(g)}
    found = nx.community.greedy_modularity_communities(g, weight="weight")
    return {n: i for i, members in enumerate(found) for n in members}


def save(fig: Figure, path: Path, dpi: int = 110) -> Path:
    """Write ``fig`` as PNG or SVG (by suffix) and close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight", format=path.suffix.lstrip(".").lower() or "png")
    plt.close(fig)
    return path
