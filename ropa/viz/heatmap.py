"""Heatmaps of the comparison matrices and the company-similarity dendrogram (matplotlib, Agg backend).

Concepts run down the rows (their labels are long), companies across the columns; companies are ordered by
average-linkage clustering so that similar companies sit side by side. Above ``max_companies`` or
``max_concepts`` the picture keeps the most used concepts and an even sample of the clustered companies, and its
title says so (the CSV export always has the full matrix).
"""
from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ropa.analyse.compare import FACETS, Comparison  # noqa: E402
from ropa.analyse.compare_metrics import average_linkage, jaccard, leaf_order  # noqa: E402

FONT = 8


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _sample(names: list[str], n: int) -> list[str]:
    """``n`` names evenly spread over the sorted list: the same sample every time."""
    ordered = sorted(names)
    return [ordered[i] for i in np.linspace(0, len(ordered) - 1, n).round().astype(int)]


def clustered(matrix: pd.DataFrame) -> list[str]:
    """Companies in dendrogram order (similar ones adjacent) for the facet's matrix."""
    if len(matrix.index) < 3 or matrix.shape[1] == 0:
        return list(matrix.index)
    z = average_linkage(jaccard(matrix))
    return [matrix.index[i] for i in leaf_order(z, len(matrix.index))]


def heatmap(cmp: Comparison, facet: str, max_companies: int = 60, max_concepts: int = 60) -> Figure:
    """Company x concept heatmap of one facet; cell colour = activities stating the concept."""
    m = cmp.matrices[facet]
    title = f"{FACETS[facet].title} ({FACETS[facet].gdpr})"
    notes = []
    if m.shape[1] > max_concepts:
        keep = (m > 0).sum(axis=0).sort_values(ascending=False, kind="stable").index[:max_concepts]
        m = m[[c for c in m.columns if c in set(keep)]]
        notes.append(f"the {max_concepts} most used of {cmp.matrices[facet].shape[1]} concepts")
    if len(m.index) > max_companies:
        m = m.loc[_sample(list(m.index), max_companies)]
        notes.append(f"a sample of {max_companies} of {len(cmp.matrices[facet].index)} companies")
    m = m.loc[clustered(m)]
    if notes:
        title += "\nshowing " + "; ".join(notes)
    return _draw(m.T, [cmp.label(c) for c in m.columns], list(m.index), title, facet == "art13_completeness")


def _draw(data: pd.DataFrame, rows: list[str], cols: list[str], title: str, yes_no: bool) -> Figure:
    n_rows, n_cols = data.shape
    width = min(max(5.5, 3.2 + 0.42 * n_cols), 30)
    height = max(2.8, 1.6 + 0.24 * n_rows + 0.06 * max((len(c) for c in cols), default=0))
    fig, ax = plt.subplots(figsize=(width, height))
    values = data.to_numpy()
    if yes_no:
        cmap, norm = ListedColormap(["#f0f0f0", "#2c7fb8"]), BoundaryNorm([-0.5, 0.5, 1.5], 2)
    else:
        top = max(int(values.max()) if values.size else 1, 1)
        bounds = (np.arange(-0.5, top + 1.5) if top <= 8
                  else np.concatenate([[-0.5, 0.5], np.linspace(0.5, top + 0.5, 8)[1:]]))
        base = plt.get_cmap("YlGnBu")(np.linspace(0.15, 1.0, len(bounds) - 2))
        cmap = ListedColormap(np.vstack([[0.95, 0.95, 0.95, 1.0], base]))
        norm = BoundaryNorm(bounds, cmap.N)
    image = ax.imshow(values, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
    ax.set_yticks(range(n_rows), [_short(r, 45) for r in rows], fontsize=FONT)
    ax.set_xticks(range(n_cols), [_short(c, 28) for c in cols], fontsize=FONT, rotation=40, ha="right",
                  rotation_mode="anchor")
    ax.vlines(np.arange(0.5, n_cols - 1), -0.5, n_rows - 0.5, colors="white", linewidth=0.8)
    ax.hlines(np.arange(0.5, n_rows - 1), -0.5, n_cols - 0.5, colors="white", linewidth=0.8)
    if n_rows * n_cols <= 900 and not yes_no:
        for (i, j), v in np.ndenumerate(values):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=FONT - 1,
                        color="white" if norm(v) > cmap.N * 0.55 else "black")
    ax.set_title("\n".join(textwrap.wrap(title, 90)) if "\n" not in title else title, fontsize=10, loc="left")
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, shrink=min(1.0, 6 / max(height, 1)))
    if yes_no:
        bar.set_ticks([0, 1], labels=["not stated", "stated"])
    else:
        edges = norm.boundaries
        centres = (edges[:-1] + edges[1:]) / 2
        names = [_bin(lo, hi) for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
        bar.set_ticks(centres, labels=names)
        bar.minorticks_off()
        bar.set_label("activities stating it", fontsize=FONT)
    bar.ax.tick_params(labelsize=FONT)
    fig.tight_layout()
    return fig


def _bin(lo: float, hi: float) -> str:
    a, b = int(np.ceil(lo)), int(np.floor(hi))
    if b <= 0:
        return "not stated"
    return str(a) if a >= b else f"{a}-{b}"


def similarity_heatmap(cmp: Comparison, facet: str = "overall", max_companies: int = 60) -> Figure:
    """Company x company Jaccard similarity, clustered."""
    sim = cmp.similarity[facet]
    note = ""
    if len(sim) > max_companies:
        keep = _sample(list(sim.index), max_companies)
        sim = sim.loc[keep, keep]
        note = f"\nshowing a sample of {max_companies} of {len(cmp.similarity[facet])} companies"
    order = [sim.index[i] for i in leaf_order(average_linkage(sim), len(sim))] if len(sim) > 2 else list(sim.index)
    s = sim.loc[order, order]
    n = len(order)
    size = min(max(4.5, 2.5 + 0.38 * n), 24)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(s.to_numpy(), cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
    labels = [_short(str(c), 28) for c in order]
    ax.set_xticks(range(n), labels, rotation=40, ha="right", rotation_mode="anchor", fontsize=FONT)
    ax.set_yticks(range(n), labels, fontsize=FONT)
    if n <= 20:
        for (i, j), v in np.ndenumerate(s.to_numpy()):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=FONT - 1,
                    color="black" if v > 0.6 else "white")
    name = "all facets" if facet == "overall" else FACETS[facet].title
    ax.set_title(f"Jaccard similarity of companies ({name}){note}", fontsize=10, loc="left")
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02).set_label("Jaccard", fontsize=FONT)
    fig.tight_layout()
    return fig


def dendrogram(cmp: Comparison, facet: str = "overall", max_companies: int = 150) -> Figure:
    """Average-linkage dendrogram of the companies on distance 1 - Jaccard, leaves labelled on the left."""
    sim = cmp.similarity[facet]
    note = ""
    if len(sim) > max_companies:
        keep = _sample(list(sim.index), max_companies)
        sim = sim.loc[keep, keep]
        note = f" (a sample of {len(keep)} of {len(cmp.similarity[facet])} companies)"
    n = len(sim)
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.8 + 0.28 * n)))
    if n < 2:
        ax.text(0.5, 0.5, "one company: nothing to cluster", ha="center", va="center")
        ax.axis("off")
        return fig
    z = average_linkage(sim)
    order = leaf_order(z, n)
    y = {leaf: i for i, leaf in enumerate(order)}
    height = {leaf: 0.0 for leaf in range(n)}
    for k, (a, b, h, _) in enumerate(z):
        a, b = int(a), int(b)
        ya, yb = y[a], y[b]
        ax.plot([height[a], h, h, height[b]], [ya, ya, yb, yb], color="#2c7fb8", lw=1.2)
        y[n + k], height[n + k] = (ya + yb) / 2, h
    ax.set_yticks(range(n), [_short(str(sim.index[i]), 40) for i in order], fontsize=FONT)
    ax.set_ylim(-0.7, n - 0.3)
    ax.invert_yaxis()
    ax.set_xlim(max(height.values()) * 1.05 + 0.02, 0)
    ax.yaxis.tick_right()
    ax.set_xlabel("distance (1 - Jaccard): lower joins = more alike", fontsize=FONT)
    ax.tick_params(axis="x", labelsize=FONT)
    for side in ("top", "left", "bottom"):
        ax.spines[side].set_visible(False)
    name = "all facets" if facet == "overall" else FACETS[facet].title
    ax.set_title(f"Companies clustered by similarity ({name}){note}", fontsize=10, loc="left")
    fig.tight_layout()
    return fig
