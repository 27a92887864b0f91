"""The numbers of a comparison that come after the queries: Jaccard similarity, what only one company states,
retention periods in months, a completeness score, and an average-linkage clustering of companies (for the
dendrogram and for ordering heatmaps). Plain numpy / pandas, no RDF."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

# --- similarity ------------------------------------------------------------------------------------------------


def jaccard(matrix: pd.DataFrame) -> pd.DataFrame:
    """Company x company Jaccard index |A and B| / |A or B| of the concept sets in ``matrix`` (cell > 0 = has it).
    Two companies that both state nothing on the facet score 0 (nothing in common to show)."""
    b = (matrix.to_numpy() > 0).astype(np.float64)
    inter = b @ b.T
    size = b.sum(axis=1)
    union = size[:, None] + size[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        j = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
    return pd.DataFrame(j, index=matrix.index, columns=matrix.index)


def combined(matrices: Mapping[str, pd.DataFrame], exclude: Iterable[str] = ()) -> pd.DataFrame:
    """All facets side by side, columns prefixed ``facet/``: the sets behind the overall similarity."""
    parts = [m.add_prefix(f"{name}/") for name, m in matrices.items() if name not in set(exclude)]
    return pd.concat(parts, axis=1).fillna(0) if parts else pd.DataFrame()


def similarities(matrices: Mapping[str, pd.DataFrame], exclude: Iterable[str] = ()) -> dict[str, pd.DataFrame]:
    """Jaccard per facet, plus ``overall``: Jaccard over the union of every facet's concepts."""
    out = {name: jaccard(m) for name, m in matrices.items() if name not in set(exclude)}
    every = combined(matrices, exclude)
    if not every.empty:
        out["overall"] = jaccard(every)
    return out


def top_pairs(sim: pd.DataFrame, n: int = 5) -> list[tuple[str, str, float]]:
    """The ``n`` most similar distinct pairs, best first."""
    a = sim.to_numpy()
    i, j = np.triu_indices(len(a), k=1)
    order = np.argsort(-a[i, j], kind="stable")[:n]
    return [(sim.index[i[k]], sim.index[j[k]], float(a[i[k], j[k]])) for k in order]


def unique(matrices: Mapping[str, pd.DataFrame], labels: Mapping[str, str],
           exclude: Iterable[str] = ()) -> pd.DataFrame:
    """What one company states that no other does: one row per (company, facet, concept)."""
    rows = []
    for name, m in matrices.items():
        if name in set(exclude) or m.empty or len(m.index) < 2:
            continue
        present = m > 0
        only = present.columns[present.sum(axis=0) == 1]
        for concept in only:
            company = present.index[present[concept]][0]
            rows.append({"company": company, "facet": name, "concept": concept, "label": labels.get(concept, concept)})
    return pd.DataFrame(rows, columns=["company", "facet", "concept", "label"])


# --- retention -------------------------------------------------------------------------------------------------

_DURATION = re.compile(r"^P(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<M>\d+(?:\.\d+)?)M)?(?:(?P<W>\d+(?:\.\d+)?)W)?"
                       r"(?:(?P<D>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
                       r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")
DAYS_PER_MONTH = 365.25 / 12


def months(duration: str) -> float | None:
    """An xsd:duration (``P5Y``, ``P6M``, ``P30D``, ``P1Y6M``) in months (a month = 365.25/12 days); None when it
    is not a duration (e.g. "until an event")."""
    m = _DURATION.match(duration.strip()) if duration and duration.strip() != "P" else None
    if not m:
        return None
    p = {k: float(v) for k, v in m.groupdict().items() if v}
    days = p.get("W", 0) * 7 + p.get("D", 0) + (p.get("h", 0) + p.get("m", 0) / 60 + p.get("s", 0) / 3600) / 24
    return round(p.get("Y", 0) * 12 + p.get("M", 0) + days / DAYS_PER_MONTH, 2)


def duration_label(duration: str) -> str:
    """``P10Y`` -> ``10 years (120 mo)``; anything else unchanged."""
    mo = months(duration)
    if mo is None:
        return duration
    if mo >= 12 and mo % 12 == 0:
        y = int(mo // 12)
        return f"{y} year{'s' if y != 1 else ''} ({mo:g} mo)"
    return f"{mo:g} months"


def sort_months(duration: str) -> tuple[int, float, str]:
    mo = months(duration)
    return (0, mo, duration) if mo is not None else (1, 0.0, duration)


def retention_table(rows: pd.DataFrame, by_graph: Mapping[str, str]) -> pd.DataFrame:
    """The retention_periods rows as a table with ``months`` normalised, one row per stated period."""
    cols = ["company", "activity", "duration", "months", "bound", "from", "law", "event"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    text = rows.fillna("")
    df = pd.DataFrame({"company": rows["g"].map(by_graph), "activity": text["title"], "duration": text["duration"],
                       "months": [months(d) for d in text["duration"]], "bound": text["bound"],
                       "from": text["trigger"], "law": text["reference"], "event": text["event"]})
    df = df.drop_duplicates()
    return df.sort_values(["company", "months", "activity"], na_position="last").reset_index(drop=True)[cols]


def retention_summary(table: pd.DataFrame, companies: Iterable[str]) -> pd.DataFrame:
    """Per company: shortest and longest fixed period (months), the distinct periods, and how many periods are
    bound to an event ("until consent is withdrawn") rather than fixed."""
    fixed = table.dropna(subset=["months"])
    by = fixed.groupby("company")["months"]
    periods = fixed.drop_duplicates(["company", "months"]).sort_values("months").groupby("company")["duration"].agg(
        lambda ds: ", ".join(duration_label(d) for d in ds))
    out = pd.DataFrame({"min_months": by.min(), "max_months": by.max(), "periods": periods,
                        "until_event": table[table["months"].isna()].groupby("company").size()})
    out = out.reindex(pd.Index(list(companies), name="company"))
    out["periods"] = out["periods"].fillna("")
    out["until_event"] = out["until_event"].fillna(0).astype("int64")
    return out[["min_months", "max_months", "periods", "until_event"]]


# --- completeness ----------------------------------------------------------------------------------------------

SEVERITY_WEIGHT = {"error": 1.0, "violation": 1.0, "high": 1.0, "warning": 0.5, "medium": 0.5, "info": 0.0,
                   "low": 0.25}


@dataclass(frozen=True)
class _Finding:
    notice: str
    check: str
    severity: str


def completeness(companies: pd.DataFrame, art13: pd.DataFrame | None, findings: Iterable[object] | None = None,
                 checks: int | None = None) -> pd.DataFrame:
    """A completeness score per company in [0, 1].

    With gap-check ``findings`` (objects or dicts with ``notice``, ``check`` and ``severity``): 1 minus the
    severity-weighted share of checks the notice fails (an error costs a whole check, a warning half); ``checks``
    is how many checks ran (default: the number of distinct check ids among the findings). Without findings: the
    share of the Art. 13 items (art13_completeness) the notice states.
    """
    if findings is not None:
        return _from_findings(companies, [_finding(f) for f in findings], checks)
    items = art13 if art13 is not None else pd.DataFrame(index=companies.index)
    total = max(len(items.columns), 1)
    stated = (items > 0).reindex(companies.index, fill_value=False)
    present = stated.sum(axis=1)
    cols = list(items.columns)
    missing = [", ".join(c for c, ok in zip(cols, row, strict=True) if not ok) for row in stated.to_numpy()]
    return pd.DataFrame({"score": (present / total).round(3), "present": present, "checked": total,
                         "missing": missing, "basis": "Art. 13 items"}, index=companies.index)


def _finding(f: object) -> _Finding:
    get = f.get if isinstance(f, Mapping) else lambda k, d=None: getattr(f, k, d)  # type: ignore[union-attr]
    check = get("check") or get("check_id") or get("id") or ""
    severity = get("severity") or "warning"
    return _Finding(str(get("notice") or ""), str(check), str(getattr(severity, "value", severity)).lower())


def _from_findings(companies: pd.DataFrame, findings: list[_Finding], checks: int | None) -> pd.DataFrame:
    total = checks or len({f.check for f in findings}) or 1
    keys = {}
    for company, row in companies.iterrows():
        for k in (row.get("graph"), row.get("notice"), row.get("source")):
            if k:
                keys[str(k)] = company
                keys[str(k).rsplit(".", 1)[0]] = company
    cost: dict[str, dict[str, float]] = {c: {} for c in companies.index}
    for f in findings:
        company = keys.get(f.notice) or keys.get(f.notice.rsplit(".", 1)[0])
        if company is not None:
            w = SEVERITY_WEIGHT.get(f.severity, 0.5)
            cost[company][f.check] = max(cost[company].get(f.check, 0.0), w)
    score = {c: round(max(0.0, 1 - sum(v.values()) / total), 3) for c, v in cost.items()}
    failed = {c: ", ".join(sorted(k for k, w in v.items() if w > 0)) for c, v in cost.items()}
    return pd.DataFrame({"score": pd.Series(score), "present": pd.Series({c: total - len([w for w in v.values() if w])
                                                                          for c, v in cost.items()}),
                         "checked": total, "missing": pd.Series(failed), "basis": "gap checks"}).loc[companies.index]


# --- clustering ------------------------------------------------------------------------------------------------


def average_linkage(sim: pd.DataFrame) -> np.ndarray:
    """Average-linkage (UPGMA) clustering on distance 1 - similarity, as a SciPy-style linkage matrix: row k
    merges clusters ``Z[k,0]`` and ``Z[k,1]`` at height ``Z[k,2]`` into cluster ``n + k`` of ``Z[k,3]`` leaves.
    A vectorised O(n^3): about a second for 1,000 companies."""
    d = 1.0 - sim.to_numpy(dtype=np.float64)
    n = len(d)
    z = np.zeros((max(n - 1, 0), 4))
    if n < 2:
        return z
    d = d.copy()
    np.fill_diagonal(d, np.inf)
    size = np.ones(n)
    ident = np.arange(n)  # the cluster id each row stands for
    alive = np.ones(n, dtype=bool)
    for k in range(n - 1):
        flat = int(np.argmin(d))
        a, b = divmod(flat, n)
        a, b = min(a, b), max(a, b)
        h = d[a, b]
        merged = (size[a] * d[a] + size[b] * d[b]) / (size[a] + size[b])
        z[k] = (min(ident[a], ident[b]), max(ident[a], ident[b]), max(float(h), 0.0), size[a] + size[b])
        d[a], d[:, a] = merged, merged
        d[a, a] = np.inf
        d[b], d[:, b] = np.inf, np.inf
        d[~alive] = np.inf
        d[:, ~alive] = np.inf
        alive[b] = False
        size[a] += size[b]
        ident[a] = n + k
    return z


def leaf_order(z: np.ndarray, n: int) -> list[int]:
    """Leaves left to right as the dendrogram draws them."""
    if n <= 1:
        return list(range(n))
    out, stack = [], [n + len(z) - 1]
    while stack:
        node = stack.pop()
        if node < n:
            out.append(node)
        else:
            stack += [int(z[node - n, 1]), int(z[node - n, 0])]
    return out
