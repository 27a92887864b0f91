"""A Comparison as text for the terminal, as CSV tables and as JSON. (The HTML report with pictures is in
``ropa.viz.report``.) Functions return strings or data frames; the command writes them."""
from __future__ import annotations

import json
from collections.abc import Iterable

import pandas as pd

from ropa.analyse import compare_metrics as metrics
from ropa.analyse.compare import FACETS, Comparison

GRID_MAX = 12        # companies shown as columns in the terminal; above this, one line per concept with counts
ROWS_MAX = 30        # concepts per facet in the terminal when the grid does not fit
LIST_MAX = 40        # companies listed in the per-company sections
CONSENT = "eu-gdpr:A6-1-a"


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _names(names: Iterable[str], limit: int = 8) -> str:
    names = list(names)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


# --- terminal --------------------------------------------------------------------------------------------------

def text(cmp: Comparison, facets: Iterable[str] | None = None) -> str:
    """The whole comparison for a terminal: highlights, one matrix per facet, similarity, what only one company
    states, retention side by side and completeness."""
    chosen = [f for f in (facets or cmp.matrices) if f in cmp.matrices]
    n = len(cmp.companies)
    parts = [f"ropa compare: {n} companies, facets: {', '.join(chosen)}"
             + (f"; personal data and purposes at depth {cmp.depth}" if cmp.depth else "")]
    parts.append(highlights(cmp))
    for f in chosen:
        parts.append(facet_text(cmp, f))
    if facets is None:
        parts += [similarity_text(cmp), unique_text(cmp), retention_text(cmp), completeness_text(cmp)]
    return "\n\n".join(p for p in parts if p) + "\n"


def highlights(cmp: Comparison) -> str:
    """The lines a reader of the notices would write down first: who relies on consent, who transfers where
    under which safeguard, who keeps data longest."""
    n = len(cmp.companies)
    lines = ["== What stands out =="]
    lb = cmp.matrices.get("legal_bases")
    if lb is not None and CONSENT in lb.columns:
        who = list(lb.index[lb[CONSENT] > 0])
        lines.append(f"Rely on consent (Art. 6(1)(a)): {len(who)} of {n}: {_names(who)}")
    t = cmp.transfers
    if not t.empty:
        lines.append(f"Transfer to third countries: {t['company'].nunique()} of {n}")
        if t["company"].nunique() <= LIST_MAX:
            for company, rows in t.groupby("company"):
                dest = ", ".join(sorted(set(rows["destination"])))
                safe = ", ".join(sorted(set(rows["safeguard"])))
                lines.append(f"  {company}: to {dest} under {safe}")
        else:
            for col, what in (("destination", "destinations"), ("safeguard", "safeguards")):
                top = t.drop_duplicates(["company", col])[col].value_counts().head(6)
                lines.append(f"  {what} (companies): " + "; ".join(f"{k} {v}" for k, v in top.items()))
    elif "transfer_destinations" in cmp.matrices:
        lines.append(f"Transfer to third countries: none of the {n} notices states one (in the graph)")
    summary = cmp.retention_summary()
    fixed = summary.dropna(subset=["max_months"]).sort_values("max_months", ascending=False)
    if not fixed.empty:
        top = fixed["max_months"].iloc[0]
        who = list(fixed.index[fixed["max_months"] == top])
        lines.append(f"Longest retention: {metrics.duration_label(_duration(top))}: {_names(who)}")
        none = _names(summary.index[summary["max_months"].isna()]) or "none"
        lines.append(f"No fixed retention period stated: {none}")
    return "\n".join(lines)


def _duration(mo: float) -> str:
    return f"P{int(mo // 12)}Y" if mo % 12 == 0 else f"P{mo:g}M"


def facet_text(cmp: Comparison, facet: str) -> str:
    m = cmp.matrices[facet]
    f = FACETS[facet]
    head = f"== {f.title} ({f.gdpr}) =="
    if m.shape[1] == 0:
        return f"{head}\n(no company states any)"
    if len(m.index) <= GRID_MAX:
        return f"{head}  cell = activities stating it, . = not stated\n{grid(cmp, facet)}"
    return f"{head}  {len(m.index)} companies: how many state each concept\n{counts(cmp, facet)}"


def grid(cmp: Comparison, facet: str, label_width: int = 44) -> str:
    m = cmp.matrices[facet]
    cols = [_short(c, 13) for c in m.index]
    width = max(8, *(len(c) for c in cols))
    head = " " * label_width + "  ".join(c.rjust(width) for c in cols) + "  companies"
    lines = [head]
    for key in m.columns:
        cells = "  ".join((str(v) if v else ".").rjust(width) for v in m[key])
        lines.append(f"{_short(cmp.label(key), label_width - 2).ljust(label_width)}{cells}  {int((m[key] > 0).sum())}"
                     f"/{len(m.index)}")
    return "\n".join(lines)


def counts(cmp: Comparison, facet: str) -> str:
    m = cmp.matrices[facet]
    n = len(m.index)
    share = (m > 0).sum(axis=0).sort_values(ascending=False)
    lines = [f"{_short(cmp.label(k), 50).ljust(52)}{int(v):>6}  {100 * v / n:5.1f}%"
             for k, v in share.head(ROWS_MAX).items()]
    if len(share) > ROWS_MAX:
        lines.append(f"... {len(share) - ROWS_MAX} more concepts; --format csv gives the full matrix")
    return "\n".join(lines)


def similarity_text(cmp: Comparison) -> str:
    sim = cmp.similarity.get("overall")
    if sim is None or len(sim) < 2:
        return ""
    lines = ["== Similarity (Jaccard over all facets) =="]
    if len(sim) <= GRID_MAX:
        cols = [_short(c, 13) for c in sim.index]
        width = max(6, *(len(c) for c in cols))
        lines.append(" " * 26 + "  ".join(c.rjust(width) for c in cols))
        for name, row in sim.iterrows():
            lines.append(_short(str(name), 24).ljust(26) + "  ".join(f"{v:.2f}".rjust(width) for v in row))
    lines.append("Most similar pairs:")
    for a, b, v in metrics.top_pairs(sim, 5):
        per = ", ".join(f"{k} {cmp.similarity[k].at[a, b]:.2f}" for k in ("legal_bases", "purposes", "personal_data")
                        if k in cmp.similarity)
        lines.append(f"  {v:.2f}  {a} ~ {b}" + (f"  ({per})" if per else ""))
    return "\n".join(lines)


def unique_text(cmp: Comparison) -> str:
    u = cmp.unique
    lines = ["== What only one company states =="]
    if u.empty:
        return lines[0] + "\n(nothing: every concept is stated by at least two companies)"
    for company, rows in list(u.groupby("company"))[:LIST_MAX]:
        lines.append(f"{company}:")
        for facet, fr in rows.groupby("facet", sort=False):
            lines.append(f"  {FACETS[facet].title}: {_names(fr['label'], 10)}")
    return "\n".join(lines)


def retention_text(cmp: Comparison) -> str:
    summary = cmp.retention_summary()
    lines = ["== Retention periods side by side (months) ==",
             f"{'company':<30}{'shortest':>9}{'longest':>9}  {'until an event':>14}  periods"]
    for company, r in list(summary.iterrows())[:LIST_MAX]:
        lo = "-" if pd.isna(r["min_months"]) else f"{r['min_months']:g}"
        hi = "-" if pd.isna(r["max_months"]) else f"{r['max_months']:g}"
        lines.append(f"{_short(str(company), 29):<30}{lo:>9}{hi:>9}  {r['until_event']:>14}  {r['periods']}")
    return "\n".join(lines)


def completeness_text(cmp: Comparison) -> str:
    c = cmp.completeness.sort_values("score", ascending=False)
    basis = c["basis"].iloc[0] if len(c) else ""
    lines = [f"== Completeness (share of {basis} met) =="]
    for company, r in list(c.iterrows())[:LIST_MAX]:
        word = "failed" if r["basis"] == "gap checks" else "missing"
        miss = f"  {word}: {r['missing']}" if r["missing"] else ""
        lines.append(f"{_short(str(company), 29):<30}{100 * r['score']:5.0f}%  {r['present']}/{r['checked']}{miss}")
    return "\n".join(lines)


# --- tables ----------------------------------------------------------------------------------------------------

def tables(cmp: Comparison) -> dict[str, pd.DataFrame]:
    """Every table of the comparison by file stem: ``matrix_<facet>`` (labelled columns),
    ``similarity_<facet>``, ``unique``, ``retention``, ``transfers``, ``completeness``, ``companies``."""
    out = {f"matrix_{f}": cmp.matrix(f) for f in cmp.matrices}
    out |= {f"similarity_{f}": s.round(4) for f, s in cmp.similarity.items()}
    out |= {"unique": cmp.unique, "retention": cmp.retention, "transfers": cmp.transfers,
            "completeness": cmp.completeness, "companies": cmp.companies}
    return out


def long(cmp: Comparison, facets: Iterable[str] | None = None) -> pd.DataFrame:
    """Every stated cell of every matrix as one tidy table: facet, company, concept, label, activities."""
    rows = []
    for f in facets or cmp.matrices:
        m = cmp.matrices[f]
        for company, row in m.iterrows():
            for key, v in row.items():
                if v > 0:
                    rows.append({"facet": f, "company": company, "concept": key, "label": cmp.label(key),
                                 "activities": int(v)})
    return pd.DataFrame(rows, columns=["facet", "company", "concept", "label", "activities"])


def csv(cmp: Comparison, facet: str | None = None) -> str:
    """One facet: its company x concept matrix; all facets: the tidy long table."""
    if facet:
        return cmp.matrix(facet).to_csv()
    return long(cmp).to_csv(index=False)


def to_json(cmp: Comparison, facets: Iterable[str] | None = None) -> str:
    chosen = list(facets or cmp.matrices)
    doc = {
        "companies": cmp.companies.reset_index().to_dict(orient="records"),
        "depth": cmp.depth,
        "facets": {f: {"title": FACETS[f].title, "gdpr": FACETS[f].gdpr,
                       "concepts": [{"key": k, "label": cmp.label(k)} for k in cmp.matrices[f].columns],
                       "matrix": {c: {k: int(v) for k, v in row.items() if v} for c, row in cmp.matrices[f].iterrows()}}
                   for f in chosen},
        "similarity": {f: s.round(4).to_dict() for f, s in cmp.similarity.items() if f in chosen or f == "overall"},
        "unique": cmp.unique[cmp.unique["facet"].isin(chosen)].to_dict(orient="records"),
        "retention": cmp.retention.astype(object).where(cmp.retention.notna(), None).to_dict(orient="records"),
        "transfers": cmp.transfers.to_dict(orient="records"),
        "completeness": cmp.completeness.reset_index().to_dict(orient="records"),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"
