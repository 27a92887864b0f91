"""Score a ropa graph against a hand gold of the sample notices (``data/gold/seeds-gold.yaml``): ``ropa eval``.

The graph is read only as ``shared/GRAPH-CONTRACT.md`` describes it: one named graph per notice, found by its
``dpv:PrivacyNotice``'s ``dct:source`` (the file name or its stem). Matching follows the "Seeds" paragraph of
``shared/eval/README.md``, so the numbers agree with ``score.py --kind seeds``:

- a predicted concept matches a gold CURIE when it (or one of its ``rdf:type``s) equals it, or is one
  ``skos:broader`` step away in either direction (links from the ontology passed in and from the dataset);
- an ``ext:X`` gold value matches a non-DPV concept or entity whose label (``rdfs:label``, ``skos:prefLabel``,
  ``skos:altLabel``, ``dpv:hasName``, or that of a non-DPV type or ancestor) has one of X's words at a word start;
- gold and predictions are paired one to one (maximum matching, exact matches first); gold values ending in
  ``?`` are optional and never count; a prediction matching no gold value at all is a false positive.

Notice fields (controller name, country, registration, supervisory authority, last-updated date) score TP when
right, FN when missing, FP + FN when wrong and FP when stated though the gold is null. Activity pairs are the
(data subject, legal basis) pairs of each activity, scored only for notices whose gold lists activities.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from ropa.errors import RopaError
from ropa.graph.namespaces import DPV, LOC, PREFIXES, curie, iri

DPV_BASE = "https://w3id.org/dpv"  # DPV and all its extensions (pd, eu-gdpr, loc, tech, ...)
LABEL_PROPS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DPV.hasName)
TRANSFER_TYPES = frozenset({DPV.Transfer, DPV.CrossBorderTransfer})
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
CONCEPT_FACETS: dict[str, URIRef] = {
    "data_subjects": DPV.hasDataSubject, "personal_data": DPV.hasPersonalData, "purposes": DPV.hasPurpose,
    "legal_bases": DPV.hasLegalBasis, "recipients": DPV.hasRecipient, "transfer_safeguards": DPV.hasLegalBasis,
    "rights": DPV.hasRight,
}
ON_TRANSFER = {"legal_bases": False, "transfer_safeguards": True}  # facet -> must the subject be a transfer?
VALUE_FACETS = ("third_countries", "retention_durations")
FACETS = (*CONCEPT_FACETS, *VALUE_FACETS)
FIELDS = ("name", "country", "registration", "supervisory_authority", "last_updated")
EXACT, LENIENT, NO_MATCH = 2, 1, 0
ISO_DURATION = re.compile(r"P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")
# A bare optional value in a flow list (``[pd:Contact?, US?]``): PyYAML would end the scalar at the '?'.
BARE_OPTIONAL = re.compile(r"([\[,]\s*)([^\s\[\]{},'\"]+\?)(?=\s*[,\]])")

Same = Callable[[Any, Any], int]  # same(prediction, gold value) -> EXACT, LENIENT or NO_MATCH


# ---- gold ---------------------------------------------------------------------------------------------------

def load_gold(path: Path) -> dict:
    """Read a seeds-gold YAML file (format: ``data/gold/README.md``); bare ``X?`` values are quoted first."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RopaError(f"cannot read it ({exc.strerror}); pass a seeds gold such as data/gold/seeds-gold.yaml",
                        path) from exc
    try:
        doc = yaml.safe_load(BARE_OPTIONAL.sub(r'\1"\2"', text))
    except yaml.YAMLError as exc:
        raise RopaError(f"not valid YAML: {' '.join(str(exc).split())[:200]}", path) from exc
    check_gold(doc, path)
    return doc


def check_gold(doc: Any, path: Path | None = None) -> None:
    """Raise RopaError unless ``doc`` has ``notices`` and every value has a known prefix (ext: ones a label)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("notices"), dict):
        raise RopaError("a seeds gold needs a 'notices' mapping (notice file stem -> gold)", path)
    ext = doc.get("ext_labels") or {}
    for nid, notice in doc["notices"].items():
        for facet, values in (notice.get("facets") or {}).items():
            if facet in CONCEPT_FACETS:
                for value in values or []:
                    _check_curie(str(value).rstrip("?"), ext, f"{nid}/{facet}", path)


def _check_curie(value: str, ext: dict, where: str, path: Path | None) -> None:
    prefix = value.partition(":")[0]
    if prefix == "ext" and value not in ext:
        raise RopaError(f"{where}: {value} has no entry under ext_labels; add its words there", path)
    if prefix != "ext" and prefix not in PREFIXES:
        raise RopaError(f"{where}: unknown prefix in {value!r}; use one of ext, {', '.join(PREFIXES)}", path)


def split_optional(value: Any) -> tuple[str, bool]:
    """``"pd:Contact?"`` -> ``("pd:Contact", True)``."""
    text = str(value)
    return (text[:-1], True) if text.endswith("?") else (text, False)


# ---- vocabulary: skos:broader links and labels ----------------------------------------------------------------

def is_dpv(node: Node) -> bool:
    """IRIs of DPV and its extensions are matched by IRI, never by label."""
    return isinstance(node, URIRef) and str(node).startswith(DPV_BASE)


class Vocabulary:
    """``skos:broader`` links and labels gathered from the ontology and every graph of the dataset."""

    def __init__(self) -> None:
        self.parents: dict[Node, set[Node]] = defaultdict(set)
        self.labels: dict[Node, set[str]] = defaultdict(set)

    def add(self, graph: Graph) -> None:
        """Take the broader links and labels of one graph."""
        for child, parent in graph.subject_objects(SKOS.broader):
            self.parents[child].add(parent)
        for prop in LABEL_PROPS:
            for node, label in graph.subject_objects(prop):
                self.labels[node].add(str(label))

    def ancestors(self, node: Node) -> set[Node]:
        """The node and all its ``skos:broader`` ancestors."""
        seen, todo = {node}, [node]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def one_step(self, a: Node, b: Node) -> bool:
        """Are a and b one ``skos:broader`` step apart, in either direction?"""
        return b in self.parents.get(a, ()) or a in self.parents.get(b, ())


# ---- one notice's graph -------------------------------------------------------------------------------------

class NoticeGraph:
    """The facts of one notice (its named graphs merged) and what the scorer needs to ask of them."""

    def __init__(self, graphs: Iterable[Graph], vocab: Vocabulary):
        self.g = Graph()
        for graph in graphs:
            self.g += graph
        self.vocab = vocab

    def kinds(self, node: Node) -> set[Node]:
        """The node, its ``rdf:type``s and all their ``skos:broader`` ancestors."""
        out = self.vocab.ancestors(node)
        for typ in self.g.objects(node, RDF.type):
            out |= self.vocab.ancestors(typ)
        return out

    def is_transfer(self, node: Node) -> bool:
        return bool(self.kinds(node) & TRANSFER_TYPES)

    def labels(self, node: Node) -> set[str]:
        """A literal's text; else the labels of the node and of its non-DPV types and ancestors."""
        if isinstance(node, Literal):
            return {str(node)}
        return {label for kin in self.kinds(node) if not is_dpv(kin) for label in self.vocab.labels.get(kin, ())}

    def show(self, node: Any) -> str:
        """A readable value for reports: a CURIE for DPV terms, else a label, else the value itself."""
        return curie(node) if is_dpv(node) else min(self.labels(node), default=str(node))


# ---- predictions ----------------------------------------------------------------------------------------------

def predict(view: NoticeGraph) -> dict[str, list]:
    """The predicted values of every facet, notice field and (subject, basis) pair of one notice."""
    out: dict[str, list] = {facet: concept_values(view, facet) for facet in CONCEPT_FACETS}
    out["third_countries"] = sorted({c for o in view.g.objects(None, DPV.hasThirdCountry) if (c := country(o))})
    out["retention_durations"] = retention_durations(view.g)
    out.update(controller_fields(view))
    out["supervisory_authority"] = [c for sa in view.g.objects(None, DPV.hasAuthority)
                                    for o in view.g.objects(sa, DPV.hasCountry) if (c := country(o))]
    out["last_updated"] = [str(d) for n in view.g.subjects(RDF.type, DPV.PrivacyNotice)
                           for d in view.g.objects(n, DCTERMS.modified)]
    out["pairs"] = activity_pairs(view)
    return out


def concept_values(view: NoticeGraph, facet: str) -> list[Node]:
    """Objects of the facet's property; legal bases split by whether their subject is a transfer."""
    on_transfer = ON_TRANSFER.get(facet)
    values = {o for s, o in view.g.subject_objects(CONCEPT_FACETS[facet])
              if on_transfer is None or view.is_transfer(s) == on_transfer}
    return sorted(values, key=str)


def country(node: Node) -> str | None:
    """``loc:DK`` -> ``"DK"``; regions and unions (``loc:EEA``, ``loc:US-CA``) -> None."""
    text = str(node)
    local = text[len(str(LOC)):] if isinstance(node, URIRef) and text.startswith(str(LOC)) else ""
    return local.upper() if re.fullmatch(r"[A-Za-z]{2}", local) else None


def norm_duration(value: Any) -> str:
    """ISO 8601 durations as written, upper-cased; whole years written in months become years (P24M -> P2Y)."""
    text = str(value).strip().upper()
    months = re.fullmatch(r"P(\d+)M", text)
    if months and int(months[1]) and int(months[1]) % 12 == 0:
        return f"P{int(months[1]) // 12}Y"
    return text


def retention_durations(g: Graph) -> list[str]:
    """ISO 8601 ``dpv:hasDuration`` literals of the ``dpv:hasStorageCondition`` nodes."""
    return sorted({norm_duration(d) for cond in g.objects(None, DPV.hasStorageCondition)
                   for d in g.objects(cond, DPV.hasDuration)
                   if isinstance(d, Literal) and ISO_DURATION.fullmatch(str(d).strip().upper())})


def controller_fields(view: NoticeGraph) -> dict[str, list[str]]:
    """Name, country and identifiers of every node typed ``dpv:DataController`` (or a narrower type)."""
    ctrls = [s for s in set(view.g.subjects(RDF.type, None)) if DPV.DataController in view.kinds(s)]
    return {"name": [str(v) for c in ctrls for v in view.g.objects(c, DPV.hasName)],
            "country": [code for c in ctrls for o in view.g.objects(c, DPV.hasCountry) if (code := country(o))],
            "registration": [str(v) for c in ctrls for v in view.g.objects(c, DPV.hasIdentifier)]}


def activity_pairs(view: NoticeGraph) -> list[tuple[Node, Node]]:
    """(data subject, legal basis) of every activity (a subject of ``dpv:hasDataSubject``, not a transfer)."""
    activities = sorted({a for a in view.g.subjects(DPV.hasDataSubject, None) if not view.is_transfer(a)}, key=str)
    return [(s, b) for a in activities for s in sorted(view.g.objects(a, DPV.hasDataSubject), key=str)
            for b in sorted(view.g.objects(a, DPV.hasLegalBasis), key=str)]


# ---- matching -------------------------------------------------------------------------------------------------

def concept_matcher(view: NoticeGraph, ext_labels: dict[str, list[str]]) -> Same:
    """same(prediction, gold CURIE or ext:X) for one notice (see the module docstring)."""
    words = {key: [re.compile(r"\b" + re.escape(w), re.I) for w in ws] for key, ws in ext_labels.items()}

    def same(pred: Node, gold: str) -> int:
        if gold.startswith("ext:"):
            labels = view.labels(pred) if not is_dpv(pred) else set()
            return EXACT if any(w.search(t) for w in words.get(gold, ()) for t in labels) else NO_MATCH
        target, cands = iri(gold), {pred, *view.g.objects(pred, RDF.type)}
        if target in cands:
            return EXACT
        return LENIENT if any(view.vocab.one_step(c, target) for c in cands) else NO_MATCH
    return same


def pair_matcher(same: Same) -> Same:
    """A (subject, basis) prediction against a gold (subject, basis): the weaker of the two matches."""
    return lambda pred, gold: min(same(pred[0], gold[0]), same(pred[1], gold[1]))


def value_matcher(facet: str) -> Same:
    """Literal facets: country codes and normalised durations compared as strings."""
    norm = norm_duration if facet == "retention_durations" else (lambda v: str(v).upper())
    return lambda pred, gold: EXACT if pred == norm(gold) else NO_MATCH


def max_matching(edges: dict[int, list[int]], owner: dict[int, int]) -> dict[int, int]:
    """Grow a bipartite matching (gold index -> prediction index) to a maximum one by augmenting paths."""
    owner = dict(owner)

    def augment(pred: int, seen: set[int]) -> bool:
        for gold in edges[pred]:
            if gold not in seen:
                seen.add(gold)
                if gold not in owner or augment(owner[gold], seen):
                    owner[gold] = pred
                    return True
        return False
    for pred in edges:
        if pred not in owner.values():
            augment(pred, set())
    return owner


@dataclass
class Match:
    """The outcome of pairing one gold list with one prediction list."""

    tp: int
    fp: int
    fn: int
    exact: int
    missed: list[Any]
    false: list[Any]


def match(gold: list[tuple[Any, bool]], preds: list[Any], same: Same) -> Match:
    """Pair (value, optional) gold entries with predictions one to one, exact matches first."""
    required = [value for value, optional in gold if not optional]
    score = {(p, g): same(pred, value) for p, pred in enumerate(preds) for g, value in enumerate(required)}
    edges = {level: {p: [g for g in range(len(required)) if score[p, g] >= level] for p in range(len(preds))}
             for level in (EXACT, LENIENT)}
    owner = max_matching(edges[LENIENT], max_matching(edges[EXACT], {}))
    false = [pred for pred in preds if not any(same(pred, value) for value, _ in gold)]
    return Match(tp=len(owner), fp=len(false), fn=len(required) - len(owner),
                 exact=sum(score[p, g] == EXACT for g, p in owner.items()),
                 missed=[v for g, v in enumerate(required) if g not in owner], false=false)


# ---- notice fields --------------------------------------------------------------------------------------------

def norm_name(value: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w&/-]+", " ", str(value))).strip().casefold()


def same_name(pred: str, gold: Any) -> bool:
    """Equal after normalising, or one inside the other and at least half as long."""
    short, long_ = sorted((norm_name(pred), norm_name(gold)), key=len)
    return bool(short) and short in long_ and 2 * len(short) >= len(long_)


def same_registration(pred: str, gold: Any) -> bool:
    """The printed identifier ends with the gold digits (a printed prefix such as ``DK`` or ``CVR`` is allowed)."""
    want = re.sub(r"\W", "", str(gold)).upper()
    return bool(want) and re.sub(r"\W", "", pred).upper().endswith(want)


def same_date(pred: str, gold: Any) -> bool:
    """One date is a prefix of the other (``2023-09`` and ``2023-09-01``)."""
    return pred.startswith(str(gold)) or str(gold).startswith(pred)


FIELD_RULES: dict[str, tuple[tuple[str, ...], Callable[[str, Any], bool]]] = {
    "name": (("controller", "name"), same_name),
    "country": (("controller", "country"), lambda p, g: p == str(g).upper()),
    "registration": (("controller", "registration"), same_registration),
    "supervisory_authority": (("supervisory_authority",), lambda p, g: p == str(g).upper()),
    "last_updated": (("last_updated",), same_date),
}


def gold_field(notice: dict, keys: tuple[str, ...]) -> Any:
    value: Any = notice
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def field_counts(gold: Any, preds: list[str], same: Callable[[str, Any], bool]) -> tuple[int, int, int]:
    """(tp, fp, fn) of a single-valued field."""
    hit = gold is not None and any(same(p, gold) for p in preds)
    return int(hit), int(bool(preds) and not hit), int(gold is not None and not hit)


# ---- report ---------------------------------------------------------------------------------------------------

@dataclass
class Row:
    """TP / FP / FN of one facet, field or pair set, with precision, recall and F1 (0 for an empty denominator)."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class NoticeResult:
    """Per notice: whether its graph was found, predicted / missed / false values per facet, the fields."""

    notice: str
    found: bool
    predicted: dict[str, list[str]] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=dict)
    false: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class EvalReport:
    """Scores of one graph against the seeds gold: facet rows, notice-field rows, activity pairs, per notice."""

    facets: list[Row]
    fields: list[Row]
    pairs: Row
    notices: list[NoticeResult]
    exact_matches: int = 0

    @property
    def missing(self) -> list[str]:
        return [n.notice for n in self.notices if not n.found]

    @property
    def overall(self) -> Row:
        """Micro totals over all facets."""
        total = Row("ALL facets (micro)")
        for row in self.facets:
            total.add(row.tp, row.fp, row.fn)
        return total

    def table(self) -> str:
        """Fixed-width text: facets, notice fields, activity pairs, then notes."""
        parts = [_table("facet", [*self.facets, self.overall]), _table("notice field", self.fields),
                 _table("activity pairs", [self.pairs]),
                 f"{self.exact_matches} of the {self.overall.tp} facet TPs are exact, the rest one skos:broader step"]
        if self.missing:
            parts.append("no notice graph for: " + ", ".join(self.missing))
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"facets": [r.to_dict() for r in self.facets], "overall": self.overall.to_dict(),
                "fields": [r.to_dict() for r in self.fields], "pairs": self.pairs.to_dict(),
                "exact_matches": self.exact_matches, "missing": self.missing,
                "notices": [asdict(n) for n in self.notices]}


def _table(title: str, rows: list[Row]) -> str:
    head = f"{title:<24} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"
    lines = [head, "-" * len(head)]
    lines += [f"{r.name:<24} {r.precision:6.3f} {r.recall:6.3f} {r.f1:6.3f} {r.tp:5d} {r.fp:5d} {r.fn:5d}"
              for r in rows]
    return "\n".join(lines)


# ---- evaluation -----------------------------------------------------------------------------------------------

def source_keys(name: str) -> set[str]:
    """A ``dct:source`` (or gold id) -> its base name and, for a text file, the name without the suffix."""
    base = str(name).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    stem = base[: -len(Path(base).suffix)] if base.lower().endswith(TEXT_SUFFIXES) else base
    return {base, stem}


def index_notices(dataset: Dataset, vocab: Vocabulary) -> dict[str, list[Graph]]:
    """Source key -> the named graphs whose ``dpv:PrivacyNotice`` has that ``dct:source``; fills vocab."""
    index: dict[str, list[Graph]] = defaultdict(list)
    for graph in dataset.graphs():
        vocab.add(graph)
        notices = graph.subjects(RDF.type, DPV.PrivacyNotice)
        for key in {k for n in notices for s in graph.objects(n, DCTERMS.source) for k in source_keys(str(s))}:
            index[key].append(graph)
    return index


def find_notice(index: dict[str, list[Graph]], nid: str, vocab: Vocabulary) -> NoticeGraph | None:
    graphs = {id(g): g for key in source_keys(nid) for g in index.get(key, ())}
    return NoticeGraph(graphs.values(), vocab) if graphs else None


def evaluate(dataset: Dataset, gold: dict, ontology: Graph | None = None) -> EvalReport:
    """Score every gold notice against its graph in ``dataset`` (see the module docstring)."""
    check_gold(gold)
    vocab = Vocabulary()
    if ontology is not None:
        vocab.add(ontology)
    index = index_notices(dataset, vocab)
    report = EvalReport([Row(f) for f in FACETS], [Row(f) for f in FIELDS], Row("pairs"), [])
    for nid, notice in gold["notices"].items():
        view = find_notice(index, str(nid), vocab)
        report.notices.append(score_notice(report, str(nid), notice, view, gold.get("ext_labels") or {}))
    return report


def score_notice(report: EvalReport, nid: str, notice: dict, view: NoticeGraph | None, ext: dict) -> NoticeResult:
    """Add one notice's counts to the report's rows; return its details."""
    preds: dict[str, list] = predict(view) if view else defaultdict(list)
    same = concept_matcher(view, ext) if view else (lambda p, g: NO_MATCH)
    show = view.show if view else str
    result = NoticeResult(nid, view is not None)
    gold_facets = notice.get("facets") or {}
    for row in report.facets:
        gold = [split_optional(v) for v in gold_facets.get(row.name) or []]
        matcher = same if row.name in CONCEPT_FACETS else value_matcher(row.name)
        report.exact_matches += score_facet(row, result, match(gold, preds[row.name], matcher), preds[row.name], show)
    for row in report.fields:
        score_field(row, result, notice, preds[row.name])
    if notice.get("activities"):
        score_pairs(report.pairs, result, notice["activities"], preds["pairs"], same, show)
    return result


def score_facet(row: Row, result: NoticeResult, m: Match, preds: list, show: Callable[[Any], str]) -> int:
    """Add a facet's match to its row and the notice's details; return its number of exact matches."""
    row.add(m.tp, m.fp, m.fn)
    result.predicted[row.name] = [show(p) for p in preds]
    result.missed[row.name] = [str(v) for v in m.missed]
    result.false[row.name] = [show(p) for p in m.false]
    return m.exact


def score_field(row: Row, result: NoticeResult, notice: dict, preds: list[str]) -> None:
    keys, same = FIELD_RULES[row.name]
    gold = gold_field(notice, keys)
    tp, fp, fn = field_counts(gold, preds, same)
    row.add(tp, fp, fn)
    result.fields[row.name] = {"gold": gold, "predicted": preds, "tp": tp, "fp": fp, "fn": fn}


def gold_pairs(activities: list[dict]) -> list[tuple[tuple[str, str], bool]]:
    """Every (subject, basis) of every gold activity; optional when either side is."""
    out = []
    for act in activities:
        for s, s_opt in map(split_optional, act.get("subjects") or []):
            out += [((s, b), s_opt or b_opt) for b, b_opt in map(split_optional, act.get("legal_bases") or [])]
    return out


def score_pairs(row: Row, result: NoticeResult, activities: list[dict], preds: list, same: Same,
                show: Callable[[Any], str]) -> None:
    m = match(gold_pairs(activities), preds, pair_matcher(same))
    row.add(m.tp, m.fp, m.fn)
    result.predicted["pairs"] = [f"{show(s)}|{show(b)}" for s, b in preds]
    result.missed["pairs"] = [f"{s}|{b}" for s, b in m.missed]
    result.false["pairs"] = [f"{show(s)}|{show(b)}" for s, b in m.false]
