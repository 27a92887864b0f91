"""Sentence cues (``ontology/lexicon/cues.yaml``), compiled once, and negation scope."""
from __future__ import annotations

import bisect
import re
from functools import cache

import yaml

from ropa import resources
from ropa.extract.lexicon import _compile

CLAUSE_BREAK = re.compile(r"[;:]|\.\s")
NEGATION_REACH = 100  # characters a negation reaches forward within its clause


class Cues:
    """Cue regexes; ``for_text`` scans a document once per cue and answers span queries by bisection."""

    def __init__(self, patterns: dict[str, list[str]]):
        self.rx = {name: _compile(pats, False) for name, pats in patterns.items()}
        self._text: str | None = None
        self._starts: dict[str, list[int]] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def for_text(self, text: str) -> Cues:
        if text is not self._text:
            self._text, self._starts, self._spans = text, {}, {}
        return self

    def _index(self, name: str, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        if text is not self._text:
            self.for_text(text)
        if name not in self._spans:
            spans = [m.span() for m in self.rx[name].finditer(text)]
            self._spans[name], self._starts[name] = spans, [s for s, _ in spans]
        return self._starts[name], self._spans[name]

    def spans(self, name: str, text: str, start: int, end: int) -> list[tuple[int, int]]:
        starts, spans = self._index(name, text)
        i = bisect.bisect_left(starts, start)
        out = []
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] <= end:
                out.append(spans[i])
            i += 1
        return out

    def has(self, name: str, text: str, start: int, end: int) -> bool:
        starts, spans = self._index(name, text)
        i = bisect.bisect_left(starts, start)
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] <= end:
                return True
            i += 1
        return False

    def negated(self, text: str, start: int, pos: int) -> bool:
        """True when a negation cue before ``pos`` (same clause, within reach, no exception word between)
        governs it: "we never store card data" negates "card data"; "we do not share it except with
        service providers" does not negate "service providers"."""
        lo = max(start, pos - NEGATION_REACH)
        negs = self.spans("negation", text, lo, pos)
        if not negs:
            return False
        last = negs[-1][1]
        between = text[last:pos]
        return not (CLAUSE_BREAK.search(between) or self.has("exception", text, last, pos))


@cache
def load() -> Cues:
    doc = yaml.safe_load((resources.lexicon_dir() / "cues.yaml").read_text(encoding="utf-8"))
    return Cues(doc["cues"])
