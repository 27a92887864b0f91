"""Sentence cues (``ontology/lexicon/cues.yaml``), compiled once, and negation scope."""
from __future__ import annotations

import bisect
import re
from functools import cache

from ropa.extract import lexicon as lexicon_mod
from ropa.extract.lexicon import Lexicon

CLAUSE_BREAK = re.compile(r"[;:]|\.\s")
NEGATION_REACH = 100  # characters a negation reaches forward within its clause
LIST_REACH = 400  # ... or through an enumeration introduced by "such as" / "including"
LISTING = re.compile(r"\b(?:such as|including|includes?|e\.g\.|for example|like|namely)\b|\(", re.IGNORECASE)
# "we do not collect information about race or ethnicity, political opinions, ..., health, sex life": a negation
# also reaches through a comma-separated list of short items (none a clause of its own)
LIST_ITEM_WORDS = 6
# "we never store card numbers, and we collect your name": a conjunction and a new subject end the negation
SUBJECT_CLAUSE = re.compile(r"\b(?:and|but|or|while|whereas|although|though)\s+(?:we|you|they|he|she)\b", re.IGNORECASE)
NEW_CLAUSE = re.compile(r"\b(?:but|however|although|though|while|whereas|instead|we|you|they|it|us)\b", re.IGNORECASE)


class Cues:
    """Sentence cues: the ``cue:<name>`` facets of the lexicon (scanned with it, once per document); span
    queries are answered by bisection."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.names = [name[4:] for name in lexicon.facets if name.startswith("cue:")]
        self._facets = {name: lexicon[f"cue:{name}"] for name in self.names}
        self._kept: list[tuple[str | None, tuple[list[tuple[int, int, str]], list[int]]]] = [(None, ([], []))] * 2
        self._span: tuple[str | None, int, int, frozenset[str]] = (None, 0, 0, frozenset())

    def _every(self, text: str) -> tuple[list[tuple[int, int, str]], list[int]]:
        """Every cue's matches in ``text`` as (start, end, cue) by start, remembered for the last document and
        the last short text (a heading asked about between a document's sentences)."""
        slot = 0 if len(text) > 2000 else 1
        kept = self._kept[slot]
        if kept[0] is not text:
            hits = sorted((m.start, m.end, name) for name in self.names
                          for m in self.lexicon[f"cue:{name}"].find_all(text)[0])
            kept = self._kept[slot] = (text, (hits, [h[0] for h in hits]))
        return kept[1]

    def present(self, text: str, start: int, end: int) -> frozenset[str]:
        """The cues matched inside ``text[start:end]``; a sentence asks about many cues in a row, so the last
        span's answer is kept."""
        t, s, e, names = self._span
        if t is text and s == start and e == end:
            return names
        hits, starts = self._every(text)
        i = bisect.bisect_left(starts, start)
        found = set()
        while i < len(hits) and hits[i][0] < end:
            if hits[i][1] <= end:
                found.add(hits[i][2])
            i += 1
        names = frozenset(found)
        self._span = (text, start, end, names)
        return names

    def spans(self, name: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.lexicon[f"cue:{name}"].within(text, start, end)]

    def has(self, name: str, text: str, start: int, end: int) -> bool:
        """Is cue ``name`` matched inside ``text[start:end]``? (The sentence's cues when they are at hand, else
        one bisection into that cue's matches.)"""
        t, s, e, names = self._span
        if t is text and s == start and e == end:
            return name in names
        facet = self._facets.get(name)
        return facet is not None and facet.any_within(text, start, end)

    def negated(self, text: str, start: int, pos: int) -> bool:
        """True when a negation cue before ``pos`` (same clause, within reach, no exception word between)
        governs it: "we never store card data" negates "card data"; "we do not share it except with
        service providers" does not negate "service providers"."""
        far = max(start, pos - LIST_REACH)
        if not self.has("negation", text, far, pos):  # no negation within the farthest reach (most matches)
            return False
        lo = max(start, pos - NEGATION_REACH)
        if LISTING.search(text, far, pos):  # "do not include data such as X, Y, ... or Z": reach the whole list
            lo = far
        negs = self.spans("negation", text, lo, pos)
        if not negs:
            if text.count(",", far, pos) < 2:  # no list to reach through (most sentences: skip the lookup)
                return False
            negs = self.spans("negation", text, far, pos)
            if not negs or not _enumeration(text[negs[-1][1]:pos]):
                return False
        last = negs[-1][1]
        between = text[last:pos]
        return not (CLAUSE_BREAK.search(between) or SUBJECT_CLAUSE.search(between)
                    or self.has("exception", text, last, pos))


def _enumeration(between: str) -> bool:
    """Is ``between`` (negation .. item) the negated phrase and then a list: "collect data about race or
    ethnicity, political opinions, religious beliefs, health"? Each item after the first comma is a few words
    and starts no clause of its own."""
    first, *items = between.split(",")
    return len(items) >= 2 and len(first) <= NEGATION_REACH and all(
        len(it.split()) <= LIST_ITEM_WORDS and not NEW_CLAUSE.search(it) for it in items)


@cache
def load() -> Cues:
    return Cues(lexicon_mod.default())
