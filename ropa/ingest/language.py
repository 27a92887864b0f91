"""A cheap "is this English?" test: the share of common English function words among the word tokens.

English prose runs at 30-50% function words; other languages (Danish, German, French, ...) and other
scripts stay near zero, because their own function words are different strings.
"""
from __future__ import annotations

FUNCTION_WORDS = frozenset(
    "the of and to a in is that for it as with be on not this by are or from at which an have we you your our "
    "us may will can if any such other these their they has been more when who also all only where its would "
    "should".split()
)
_SAMPLE_CHARS = 40_000
_SAMPLE_WORDS = 5_000
_MIN_WORDS = 20
_MIN_CHARS = 100
MIN_ENGLISH_RATIO = 0.12


def english_ratio(text: str) -> tuple[float, int, int]:
    """``(share of function words, token count, non-space characters)`` over the first ~5,000 tokens.

    Tokens are whitespace-separated (fast; punctuation stuck to a word only costs a few hits). Text in
    scripts without spaces gives few, long tokens and no hits.
    """
    tokens = text[:_SAMPLE_CHARS].lower().split()[:_SAMPLE_WORDS]
    if not tokens:
        return 0.0, 0, 0
    hits = sum(map(FUNCTION_WORDS.__contains__, tokens))
    return hits / len(tokens), len(tokens), sum(map(len, tokens))


def looks_english(text: str) -> bool:
    """False only when ``text`` is clearly not English; too little text to judge counts as English."""
    ratio, words, chars = english_ratio(text)
    if words < _MIN_WORDS and chars < _MIN_CHARS:
        return True
    return ratio >= MIN_ENGLISH_RATIO


def language_warning(text: str, source: str) -> str | None:
    """The warning to attach to a document that does not look English, or ``None``."""
    if looks_english(text):
        return None
    return f"{source}: does not look like English (ropa extracts English notices only); results will be poor"
