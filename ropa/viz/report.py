"""The HTML comparison report: one self-contained page (pictures embedded as PNG data URIs, no external files,
no scripts) with the highlights, a heatmap per facet, the similarity heatmap, dendrogram and network, and the
tables (retention side by side, transfers, what only one company states, completeness)."""
from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ropa.analyse import compare_render as render  # noqa: E402
from ropa.analyse.compare import FACETS, Comparison  # noqa: E402
from ropa.viz import draw, heatmap, network  # noqa: E402

STYLE = """body{font:14px system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1200px;margin:2em auto;
color:#222;padding:0 1em}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
pre{background:#f6f6f6;padding:.8em;white-space:pre-wrap}img{max-width:100%;height:auto;border:1px solid #eee}
table{border-collapse:collapse;font-size:12px;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 6px;
text-align:left;vertical-align:top}th{background:#f3f3f3}nav a{margin-right:.8em}.note{color:#666}"""


def png(fig: Figure, dpi: int = 100) -> str:
    """``fig`` as an <img> with a PNG data URI (the figure is closed)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)  # the figures lay themselves out (tight_layout): one draw, not two
    plt.close(fig)
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _table(df: pd.DataFrame, index: bool = True, limit: int = 200) -> str:
    note = f'<p class="note">first {limit} of {len(df)} rows; the CSV export has all</p>' if len(df) > limit else ""
    return df.head(limit).to_html(index=index, escape=True, na_rep="", border=0) + note


def report(cmp: Comparison, facets: Iterable[str] | None = None, title: str = "ropa compare") -> str:
    """The whole report as one HTML string."""
    chosen = [f for f in (facets or cmp.matrices) if f in cmp.matrices]
    n = len(cmp.companies)
    parts = [f"<h1>{html.escape(title)}</h1>",
             f'<p class="note">{n} companies; facets: {", ".join(FACETS[f].title for f in chosen)}'
             + (f"; personal data and purposes rolled up to depth {cmp.depth}" if cmp.depth else "") + "</p>",
             "<nav>" + " ".join(f'<a href="#{f}">{FACETS[f].title}</a>' for f in chosen)
             + ' <a href="#similarity">Similarity</a> <a href="#retention">Retention</a>'
             ' <a href="#transfers">Transfers</a> <a href="#unique">Only one company</a>'
             ' <a href="#completeness">Completeness</a></nav>',
             "<h2>What stands out</h2>", f"<pre>{html.escape(render.highlights(cmp))}</pre>"]
    for f in chosen:
        parts.append(f'<h2 id="{f}">{FACETS[f].title} <small class="note">({FACETS[f].gdpr})</small></h2>')
        parts.append(png(heatmap.heatmap(cmp, f)) if cmp.matrices[f].shape[1] else "<p>No company states any.</p>")
    parts += _similarity(cmp)
    parts += ['<h2 id="retention">Retention periods side by side (months)</h2>', _table(cmp.retention_summary()),
              _table(cmp.retention, index=False),
              '<h2 id="transfers">Transfers to third countries</h2>',
              _table(cmp.transfers, index=False) if len(cmp.transfers) else "<p>No transfer stated in the graph.</p>",
              '<h2 id="unique">What only one company states</h2>', _table(cmp.unique, index=False),
              '<h2 id="completeness">Completeness</h2>', _table(cmp.completeness)]
    body = "\n".join(parts)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>\n")


def _similarity(cmp: Comparison) -> list[str]:
    if "overall" not in cmp.similarity or len(cmp.companies) < 2:
        return ['<h2 id="similarity">Similarity</h2><p>One company: nothing to compare.</p>']
    sample = len(cmp.companies) > 150
    g = network.similarity_graph(cmp)
    if sample:
        keep = sorted(g)[:: -(-len(g) // 150)]
        g = g.subgraph(keep).copy()
    title = "Companies and their 3 most similar companies (Jaccard, all facets)" + (
        f"; a sample of {g.number_of_nodes()} of {len(cmp.companies)}" if sample else "")
    return ['<h2 id="similarity">Similarity</h2>', png(heatmap.similarity_heatmap(cmp)), png(heatmap.dendrogram(cmp)),
            png(draw.draw_similarity(g, title))]
