"""A regex sentence splitter for notice text: fast, offset-preserving, aware of legal abbreviations.

A sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes or brackets) followed by whitespace and a
capital, a digit or an opening quote, or at the end of its line group. Lines are grouped the way
:mod:`ropa.ingest.plain` joins wrapped paragraphs, so a line break between separate blocks always ends a
sentence and a wrapped line never does.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ropa.ingest import lines as cue
from ropa.ingest.plain import iter_lines

_END_RE = re.compile(r"[.!?]+[)\]\"'”’»]*")
_SPACE_RE = re.compile(r"\s+")
_OPENERS = "\"'“‘«(["
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.|\d{1,3}\.")
_ABBREVIATIONS = frozenset(
    "e.g. i.e. etc. art. arts. no. nos. nr. inc. ltd. co. corp. llc. plc. u.s. u.k. e.u. approx. appr. ca. cf. vs. "
    "viz. mr. mrs. ms. dr. prof. st. sec. secs. para. paras. ch. p. pp. fig. vol. dept. est. tel. fax. ref. "
    "jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. incl. excl. resp. max. min. govt. reg.".split()
)
_MAX_WORD = 24


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` inside ``text[start:end]``, trimmed of whitespace and never empty."""
    end = len(text) if end is None else min(end, len(text))
    start = max(start, 0)
    spans: list[tuple[int, int]] = []
    for group_start, group_end in _line_groups(text, start, end):
        spans.extend(_split_group(text, group_start, group_end))
    return spans


def _line_groups(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Runs of lines that form one block (wrapped lines of a paragraph), as trimmed spans."""
    group_start = group_end = -1
    prev = ""
    for line in iter_lines(text, start, end):
        joins = group_start >= 0 and not line.blank_before and not cue.bullet_end(line.content)
        if not (joins and cue.continues(prev, line.content)):
            if group_start >= 0:
                yield group_start, group_end
            group_start = line.start
        group_end = line.end
        prev = line.content
    if group_start >= 0:
        yield group_start, group_end


def _split_group(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split one line group at sentence-final punctuation."""
    cur = start
    for m in _END_RE.finditer(text, start, end):
        nxt = _next_start(text, m.end(), end)
        if nxt is None or _is_abbreviation(text, m, start):
            continue
        yield from _trimmed(text, cur, m.end())
        cur = nxt
    yield from _trimmed(text, cur, end)


def _next_start(text: str, pos: int, end: int) -> int | None:
    """Start of the next sentence when ``pos`` (just after the punctuation) really ends one, else ``None``."""
    if pos >= end:
        return None
    space = _SPACE_RE.match(text, pos, end)
    if space is None or space.end() >= end:
        return None
    ch = text[space.end()]
    if ch.isupper() or ch.isdigit() or ch in _OPENERS:
        return space.end()
    return None


def _is_abbreviation(text: str, m: re.Match[str], floor: int) -> bool:
    """True when the full stop of ``m`` closes an abbreviation, an initial or an enumerator ("1.")."""
    if m.group() != ".":
        return False
    stop = m.end()
    k = m.start()
    limit = max(floor, k - _MAX_WORD)
    while k > limit and not text[k - 1].isspace():
        k -= 1
    word = text[k:stop].lstrip("(\"'“‘[")
    return word.lower() in _ABBREVIATIONS or _INITIALS_RE.fullmatch(word) is not None


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    body = piece.lstrip()
    if body:
        s = start + len(piece) - len(body)
        yield s, s + len(body.rstrip())
