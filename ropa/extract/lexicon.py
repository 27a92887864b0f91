"""Lexicons kept as data (``ontology/lexicon/*.yaml``): phrasings -> concepts, compiled once.

A lexicon file names its facet and lists entries ``{concept, patterns, unless?, case_sensitive?}``. Patterns are
regexes matched case-insensitively inside word boundaries; within a facet, overlapping matches resolve
longest-first, so "IP address" beats "address".
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ropa import resources
from ropa.extract import prefix


@dataclass(frozen=True, slots=True)
class Match:
    """One lexicon hit: the concept (or, for authorities, the country code) and its span in the text."""

    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entry:
    value: str
    pattern: Rx
    unless: Rx | None
    label: str | None = None


_FOLDED: list[str] = ["", ""]  # the last document folded, and its folded form
_FOLDED_SMALL: list[str] = ["", ""]  # the last heading or snippet folded (asked about several times in a row)
_QUOTES = "’‘‛ʼ"  # typographic apostrophes, read as straight ones


def fold(text: str) -> str:
    """``text`` lower-cased, apostrophes straightened, with its length kept (characters whose lower case is longer stay as they are), so
    offsets into the folded text are offsets into the text. The last result is cached."""
    if _FOLDED[0] is text:
        return _FOLDED[1]
    if _FOLDED_SMALL[0] is text:
        return _FOLDED_SMALL[1]
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(lc := c.lower()) != 1 else lc for c in text)
    for q in _QUOTES:  # str.replace per quote: ~15x faster than str.translate on a long text
        if q in low:
            low = low.replace(q, "'")
    if len(text) > 2000:  # a document stays cached while the headings and snippets asked about in between come and go
        _FOLDED[0], _FOLDED[1] = text, low
    else:
        _FOLDED_SMALL[0], _FOLDED_SMALL[1] = text, low
    return low


def _lower_pattern(p: str) -> str:
    """Lower-case a regex's literals, leaving escapes (\\W, \\S, \\B ...) as written."""
    out, i = [], 0
    while i < len(p):
        if p[i] == "\\" and i + 1 < len(p):
            out.append(p[i : i + 2])
            i += 2
        else:
            out.append(p[i].lower())
            i += 1
    return "".join(out)


class Rx:
    """A compiled pattern; case-insensitive ones run case-sensitively on the folded text (2-3x faster)."""

    __slots__ = ("pattern", "folded")

    def __init__(self, pattern: re.Pattern[str], folded: bool):
        self.pattern, self.folded = pattern, folded

    def _t(self, text: str) -> str:
        return fold(text) if self.folded else text

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        return self.pattern.finditer(self._t(text), start, len(text) if end is None else end)

    def search(self, text: str, start: int = 0, end: int | None = None):
        return self.pattern.search(self._t(text), start, len(text) if end is None else end)

    def match(self, text: str, start: int = 0, end: int | None = None):
        return self.pattern.match(self._t(text), start, len(text) if end is None else end)


def _compile(patterns: list[str], case_sensitive: bool) -> Rx:
    body = "|".join(f"(?:{p if case_sensitive else _lower_pattern(p)})" for p in patterns)
    return Rx(re.compile(rf"(?<!\w)(?:{body})(?!\w)"), not case_sensitive)


def _entry(raw: dict) -> Entry:
    value = raw.get("concept") or raw.get("country") or "|".join(raw.get("concepts") or [])
    if not value or not raw.get("patterns"):
        raise ValueError(f"lexicon entry needs a concept and patterns: {raw}")
    cs = bool(raw.get("case_sensitive", False))
    unless = _compile(raw["unless"], False) if raw.get("unless") else None
    return Entry(str(value), _compile(list(raw["patterns"]), cs), unless, raw.get("label") or raw.get("authority"))




class Facet:
    """The compiled entries of one facet.

    Entries are indexed by the first characters their matches can start with (``prefix.prefixes``); a document
    is read once, word start by word start, trying only the entries whose prefix fits there. Overlaps resolve
    longest-first. ``find_all`` caches a document's matches for span queries (``within``).
    """

    def __init__(self, name: str, entries: list[Entry], sources: list[tuple[list[str], bool]] | None = None):
        self.name, self.entries = name, entries
        self.labels = {e.value: e.label for e in entries if e.label}
        self._index: dict[bool, dict[str, list[int]]] = {False: {}, True: {}}
        self._slow: list[int] = []
        for i, (pats, cs) in enumerate(sources or [([], False)] * 0):
            keys = [prefix.index_keys(p if cs else _lower_pattern(p)) for p in pats]
            if any(k is None for k in keys):
                self._slow.append(i)
                continue
            for key in set().union(*keys):  # type: ignore[arg-type]
                self._index[cs].setdefault(key, []).append(i)
        if sources is None:
            self._slow = list(range(len(entries)))
        self._cache: tuple[str, list[Match], list[int]] | None = None
        self._own: dict[bool, dict[str, list[tuple[Facet, int]]]] = {}  # the index as _scan_words takes it
        self.owner: Lexicon | None = None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping matches in ``text[start:end]``, longest first, then leftmost; sorted by position."""
        end = len(text) if end is None else end
        hits: dict[str, list[Match]] = {self.name: []}
        for cs, index in self._index.items():
            if index:
                if cs not in self._own:
                    self._own[cs] = {k: [(self, i) for i in ids] for k, ids in index.items()}
                _scan_words(text if cs else fold(text), text, self._own[cs], hits, start, end)
        for i in self._slow:
            e = self.entries[i]
            for m in e.pattern.finditer(text, start, end):
                self._keep(e, m.start(), m.end(), text, start, end, hits[self.name])
        return _resolve(hits[self.name])

    @staticmethod
    def _keep(e: Entry, s: int, t_end: int, text: str, start: int, end: int, hits: list[Match]) -> None:
        if not (e.unless and _vetoed(e.unless, text, s, t_end, start, end)):
            hits.append(Match(e.value, s, t_end))

    def find_all(self, text: str) -> tuple[list[Match], list[int]]:
        """All matches of a document (computed once per text object; by the lexicon's one-pass scan if any)."""
        if self.owner is not None:
            scanned = self.owner._scanned  # the document at hand: asked for on every sentence, so looked up here
            return (scanned[1] if scanned is not None and scanned[0] is text else self.owner.scan(text))[self.name]
        if self._cache is None or self._cache[0] is not text:
            hits = self.find(text)
            self._cache = (text, hits, [h.start for h in hits])
        return self._cache[1], self._cache[2]

    def within(self, text: str, start: int, end: int) -> list[Match]:
        """The document's matches inside ``[start, end)``."""
        hits, starts = self.find_all(text)
        i = bisect.bisect_left(starts, start)
        out = []
        while i < len(hits) and hits[i].start < end:
            if hits[i].end <= end:
                out.append(hits[i])
            i += 1
        return out

    def any_within(self, text: str, start: int, end: int) -> bool:
        """Does the document have a match inside ``[start, end)``? (``within`` without building the list.)"""
        hits, starts = self.find_all(text)
        i = bisect.bisect_left(starts, start)
        while i < len(hits) and hits[i].start < end:
            if hits[i].end <= end:
                return True
            i += 1
        return False


def _scan_words(t: str, text: str, index: dict[str, list[tuple[Facet, int]]], hits: dict[str, list[Match]],
                start: int = 0, end: int | None = None) -> None:
    """Try, at each word start of ``t`` where some key begins, the entries indexed under the keys found there.

    Keys are the possible first ``prefix.K`` characters of an entry's matches (shorter when a match is), so
    "information commissioner" is tried where "information c" starts, not at every "information". One regex
    over the keys as a trie finds those word starts and the longest key at each; the entries of every key that
    is a prefix of it were gathered beforehand."""
    n = len(t) if end is None else end
    rx, _, tries_of = _plan(index)
    for w in rx.finditer(t, start, n):
        i = w.start()
        for match, unless, value, facet in tries_of[w.group(1)]:
            m = match(t, i, n)
            if m is not None and (j := m.end()) > i and not (unless and _vetoed(unless, text, i, j, start, n)):
                hits[facet].append(Match(value, i, j))


_Try = tuple[Callable[..., "re.Match[str] | None"], Rx | None, str, str]  # an entry as the scan tries it
_PLANS: dict[int, tuple[dict, re.Pattern[str], dict[str, list[tuple[Facet, int]]], dict[str, tuple[_Try, ...]]]] = {}


def _plan(index: dict[str, list[tuple[Facet, int]]]
          ) -> tuple[re.Pattern[str], dict[str, list[tuple[Facet, int]]], dict[str, tuple[_Try, ...]]]:
    """The index's trie regex (capturing the longest key at a word start) and, for each key, the entries of
    all keys that are prefixes of it (two characters and longer by length, then a one-character key), also as
    the scan tries them: (bound match method, unless, value, facet name), looked up once here, not per word."""
    plan = _PLANS.get(id(index))
    if plan is None or plan[0] is not index:
        rx = re.compile(r"(?<!\w)(?=(" + _trie(index) + r"))\w*")
        cands_of = {}
        for key in index:
            chain = [key[:n] for n in range(2, len(key) + 1) if key[:n] in index]
            if key[:1] in index:
                chain.append(key[:1])
            cands_of[key] = [c for k in chain for c in index[k]]
        tries_of = {key: tuple(_try(f, i) for f, i in cands) for key, cands in cands_of.items()}
        plan = _PLANS[id(index)] = (index, rx, cands_of, tries_of)
    return plan[1], plan[2], plan[3]


def _try(f: Facet, i: int) -> _Try:
    e = f.entries[i]
    return e.pattern.pattern.match, e.unless, e.value, f.name


def _trie(keys) -> str:
    """A regex matching exactly the given strings, branching a character at a time."""
    root: dict = {}
    for k in keys:
        node = root
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _vetoed(unless: Rx, text: str, s: int, e: int, lo: int, hi: int) -> bool:
    """Does an ``unless`` match near ``[s, e)`` overlap it? (Matches come in order: past ``e`` none can.)"""
    for m in unless.pattern.finditer(fold(text) if unless.folded else text, max(lo, s - 60), min(hi, e + 60)):
        if m.start() >= e:
            return False
        if s < m.end():
            return True
    return False


def _resolve(hits: list[Match]) -> list[Match]:
    """Longest matches first, then leftmost; a match overlapping one already taken is dropped.

    Matches that overlap none other (most) are kept as they are; each run of chained overlaps is resolved on
    its own (what is taken in one run cannot overlap a match of another). Empty matches, which a pattern that
    can match nothing gives, are resolved the one way for all."""
    if len(hits) < 2:
        return list(hits)
    hits.sort(key=_by_span)
    out: list[Match] = []
    i, n = 0, len(hits)
    while i < n:
        j, reach = i, hits[i].start + 1
        while j < n and hits[j].start < reach:
            if hits[j].end == hits[j].start:
                return _resolve_run(hits)  # (sorting by span kept the given order of equal matches)
            if hits[j].end > reach:
                reach = hits[j].end
            j += 1
        if j == i + 1:
            out.append(hits[i])
        else:
            out += _resolve_run(hits[i:j])
        i = j
    return out


def _by_span(m: Match) -> tuple[int, int]:
    return m.start, m.end


def _resolve_run(hits: list[Match]) -> list[Match]:
    """``_resolve`` for one run of overlapping matches."""
    hits.sort(key=lambda m: (-(m.end - m.start), m.start))
    starts: list[int] = []
    taken: list[Match] = []
    for h in hits:
        i = bisect.bisect_left(starts, h.start)
        if i > 0 and taken[i - 1].end > h.start:
            continue
        if i < len(taken) and taken[i].start < h.end:
            continue
        starts.insert(i, h.start)
        taken.insert(i, h)
    return taken


class Lexicon:
    """All facets of a lexicon folder, with one index over every facet's entries: ``scan`` reads a document
    once, word start by word start, for all facets together."""

    def __init__(self, facets: dict[str, Facet]):
        self.facets = facets
        self._index: dict[bool, dict[str, list[tuple[Facet, int]]]] = {False: {}, True: {}}
        for f in facets.values():
            f.owner = self
            for cs, index in f._index.items():
                for key, ids in index.items():
                    self._index[cs].setdefault(key, []).extend((f, i) for i in ids)
        self._scanned: tuple[str, dict[str, tuple[list[Match], list[int]]]] | None = None
        self._small: tuple[str, dict[str, tuple[list[Match], list[int]]]] | None = None

    def scan(self, text: str) -> dict[str, tuple[list[Match], list[int]]]:
        """Every facet's matches in ``text`` (cached for the last document; a short text asked about in between,
        a heading or a snippet, is scanned without evicting it)."""
        if self._scanned is not None and self._scanned[0] is text:
            return self._scanned[1]
        if self._small is not None and self._small[0] is text:
            return self._small[1]
        hits: dict[str, list[Match]] = {name: [] for name in self.facets}
        for cs, index in self._index.items():
            if index:
                _scan_words(text if cs else fold(text), text, index, hits)
        n = len(text)
        for f in self.facets.values():
            for i in f._slow:
                e = f.entries[i]
                for m in e.pattern.finditer(text, 0, n):
                    Facet._keep(e, m.start(), m.end(), text, 0, n, hits[f.name])
        out = {}
        for name, found in hits.items():
            resolved = _resolve(found)
            out[name] = (resolved, [h.start for h in resolved])
        if len(text) > 2000:
            self._scanned = (text, out)
        else:
            self._small = (text, out)
        return out

    def __getitem__(self, facet: str) -> Facet:
        return self.facets.get(facet) or Facet(facet, [])

    def concepts(self) -> set[str]:
        return {v for f in self.facets.values() for e in f.entries for v in values(e.value) if ":" in v}


MACRO = re.compile(r"<<(\w+)>>")


def expand_macros(doc: dict) -> dict:
    """A lexicon file's ``define:`` fragments (``NAME: regex``) substituted for ``<<NAME>>`` in its patterns,
    so a shared phrase shape (a list of coordinated verbs, an object noun phrase) is written once."""
    defs = doc.get("define") or {}
    if not defs:
        return doc

    def sub(p: str) -> str:
        for _ in range(5):  # fragments may use fragments
            p, n = MACRO.subn(lambda m: defs[m[1]] if m[1] in defs else m[0], p)
            if not n:
                break
        return p

    entries = [{**e, "patterns": [sub(p) for p in e.get("patterns") or []],
                **({"unless": [sub(p) for p in e["unless"]]} if e.get("unless") else {})} for e in doc["entries"]]
    return {**doc, "entries": entries}


def values(match_value: str) -> list[str]:
    """The concepts a match stands for (an entry with ``concepts: [a, b]`` gives both)."""
    return match_value.split("|")


def load_folder(folder: Path) -> Lexicon:
    facets: dict[str, Facet] = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "entries" in doc:
            doc = expand_macros(doc)
        name = doc.get("facet", path.stem)
        if "entries" not in doc:
            continue  # cues.yaml / sections.yaml: read by their own loaders
        raws = doc["entries"]
        try:
            facets[name] = Facet(name, [_entry(raw) for raw in raws],
                                 [(list(r["patterns"]), bool(r.get("case_sensitive", False))) for r in raws])
        except (ValueError, re.error) as err:
            raise ValueError(f"{path}: {err}; fix the lexicon entry") from err
    return Lexicon(facets)


@cache
def default() -> Lexicon:
    """The project lexicon (concept facets, plus the sentence cues as ``cue:<name>`` facets so that one scan
    of a document serves both), loaded and compiled once per process."""
    facets = dict(load_folder(resources.lexicon_dir()).facets)
    doc = yaml.safe_load((resources.lexicon_dir() / "cues.yaml").read_text(encoding="utf-8"))
    for name, pats in doc["cues"].items():
        facets[f"cue:{name}"] = Facet(f"cue:{name}", [Entry(name, _compile([p], False), None) for p in pats],
                                      [([p], False) for p in pats])
    return Lexicon(facets)
