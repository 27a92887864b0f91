"""Lexicons kept as data (``ontology/lexicon/*.yaml``): phrasings -> concepts, compiled once.

A lexicon file names its facet and lists entries ``{concept, patterns, unless?, case_sensitive?}``. Patterns are
regexes matched case-insensitively inside word boundaries; within a facet, overlapping matches resolve
longest-first, so "IP address" beats "address".
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ropa import resources


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


_FOLDED: list[str] = ["", ""]  # the last text folded, and its folded form


def fold(text: str) -> str:
    """``text`` lower-cased with its length kept (characters whose lower case is longer stay as they are), so
    offsets into the folded text are offsets into the text. The last result is cached."""
    if _FOLDED[0] is text:
        return _FOLDED[1]
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(lc := c.lower()) != 1 else lc for c in text)
    if len(text) > 2000:  # cache documents, not the headings and snippets asked about in between
        _FOLDED[0], _FOLDED[1] = text, low
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
    value = raw.get("concept") or raw.get("country")
    if not value or not raw.get("patterns"):
        raise ValueError(f"lexicon entry needs a concept and patterns: {raw}")
    cs = bool(raw.get("case_sensitive", False))
    unless = _compile(raw["unless"], False) if raw.get("unless") else None
    return Entry(str(value), _compile(list(raw["patterns"]), cs), unless, raw.get("label") or raw.get("authority"))


class Facet:
    """The compiled entries of one facet.

    One combined regex finds where any entry may match; each entry is then tried anchored at those places, and
    overlaps resolve longest-first. ``find_all`` caches a document's matches for span queries.
    """

    def __init__(self, name: str, entries: list[Entry], sources: list[tuple[list[str], bool]] | None = None):
        self.name, self.entries = name, entries
        self.labels = {e.value: e.label for e in entries if e.label}
        groups = [(pats, cs) for pats, cs in (sources or [])]
        self._scan = [_compile([p for pats, c in groups if c == cs for p in pats], cs)
                      for cs in (False, True) if any(c == cs for _, c in groups)]
        if sources is None:
            self._scan = [e.pattern for e in entries]
        self._cache: tuple[str, list[Match], list[int]] | None = None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping matches in ``text[start:end]``, longest first, then leftmost; sorted by position."""
        end = len(text) if end is None else end
        places = sorted({m.start() for rx in self._scan for m in rx.finditer(text, start, end)})
        hits: list[Match] = []
        for pos in places:
            for e in self.entries:
                m = e.pattern.match(text, pos, end)
                if m and m.end() > pos and not (e.unless and _vetoed(e.unless, text, pos, m.end(), start, end)):
                    hits.append(Match(e.value, pos, m.end()))
        return _resolve(hits)

    def find_all(self, text: str) -> tuple[list[Match], list[int]]:
        """All matches of a document (computed once per text object)."""
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


def _vetoed(unless: Rx, text: str, s: int, e: int, lo: int, hi: int) -> bool:
    window_lo, window_hi = max(lo, s - 60), min(hi, e + 60)
    return any(m.start() < e and s < m.end() for m in unless.finditer(text, window_lo, window_hi))


def _resolve(hits: list[Match]) -> list[Match]:
    hits.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken: list[Match] = []
    for h in hits:
        if all(h.end <= t.start or t.end <= h.start for t in taken):
            taken.append(h)
    return sorted(taken, key=lambda m: m.start)


class Lexicon:
    """All facets of a lexicon folder."""

    def __init__(self, facets: dict[str, Facet]):
        self.facets = facets

    def __getitem__(self, facet: str) -> Facet:
        return self.facets.get(facet) or Facet(facet, [])

    def concepts(self) -> set[str]:
        return {e.value for f in self.facets.values() for e in f.entries if ":" in e.value}


def load_folder(folder: Path) -> Lexicon:
    facets: dict[str, Facet] = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        name = doc.get("facet", path.stem)
        try:
            raws = doc.get("entries", [])
            facets[name] = Facet(name, [_entry(raw) for raw in raws],
                                 [(list(r["patterns"]), bool(r.get("case_sensitive", False))) for r in raws])
        except (ValueError, re.error) as err:
            raise ValueError(f"{path}: {err}; fix the lexicon entry") from err
    return facets and Lexicon(facets) or Lexicon({})


@cache
def default() -> Lexicon:
    """The project lexicon, loaded and compiled once per process."""
    return load_folder(resources.lexicon_dir())
