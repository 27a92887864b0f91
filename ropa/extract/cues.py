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


class Cues:
    """Sentence cues: the ``cue:<name>`` facets of the lexicon (scanned with it, once per document); span
    queries are answered by bisection."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._text: str | None = None
        self._found: dict[str, tuple] = {}

    def _find_all(self, name: str, text: str) -> tuple:
        """The cue's matches in ``text`` with their starts, remembered for the last text asked about."""
        if text is not self._text:
            self._text, self._found = text, {}
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = self.lexicon[f"cue:{name}"].find_all(text)
        return found

    def spans(self, name: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.lexicon[f"cue:{name}"].within(text, start, end)]

    def has(self, name: str, text: str, start: int, end: int) -> bool:
        hits, starts = self._find_all(name, text)
        i = bisect.bisect_left(starts, start)
        while i < len(hits) and hits[i].start < end:
            if hits[i].end <= end:
                return True
            i += 1
        return False

    def negated(self, text: str, start: int, pos: int) -> bool:
        """True when a negation cue before ``pos`` (same clause, within reach, no exception word between)
        governs it: "we never store card data" negates "card data"; "we do not share it except with
        service providers" does not negate "service providers"."""
        lo = max(start, pos - NEGATION_REACH)
        if LISTING.search(text, max(start, pos - LIST_REACH), pos):  # "do not include data such as X, Y, ... or Z": reach the whole list
            lo = max(start, pos - LIST_REACH)
        negs = self.spans("negation", text, lo, pos)
        if not negs:
            return False
        last = negs[-1][1]
        between = text[last:pos]
        return not (CLAUSE_BREAK.search(between) or self.has("exception", text, last, pos))


@cache
def load() -> Cues:
    return Cues(lexicon_mod.default())
