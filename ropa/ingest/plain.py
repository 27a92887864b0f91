"""Structure recovery from plain text: every non-empty line is a heading, list item or paragraph candidate.

The text is never rewritten: blocks are offsets into it, trimmed of surrounding whitespace. The parser reads
the lines once, looking one non-blank line back and one ahead, so it stays linear on very large inputs.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ropa.ingest import lines as cue
from ropa.model import HEADING, LIST_ITEM, PARAGRAPH, Block

_TAB_WIDTH = 4
_PROSE_WORDS = 8


@dataclass(slots=True)
class Line:
    """One non-blank line: its trimmed content and where that content sits in the text."""

    start: int
    end: int
    content: str
    indent: int
    blank_before: bool


@dataclass(slots=True)
class _Open:
    """The paragraph or list item being built; wrapped lines move its end."""

    kind: str
    start: int
    end: int
    level: int = 0
    indent: int = 0


@dataclass(slots=True)
class _State:
    """What the parser remembers between lines."""

    blocks: list[Block] = field(default_factory=list)
    open: _Open | None = None
    prev: Line | None = None
    prev_demoted: bool = False
    prev_numbered: bool = False
    pending_marker: int | None = None  # indent of a marker-only line waiting for its item
    list_indents: list[int] = field(default_factory=list)


def parse(text: str) -> tuple[str, list[Block]]:
    """Recover headings, list items and paragraphs from plain ``text`` (returned unchanged)."""
    state = _State()
    it = iter_lines(text)
    cur = next(it, None)
    while cur is not None:
        nxt = next(it, None)
        _step(state, cur, nxt)
        state.prev = cur
        cur = nxt
    _close(state)
    return text, state.blocks


def iter_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[Line]:
    """The non-blank lines of ``text[start:end]`` (split at ``\\n`` only), trimmed like ``str.strip``."""
    end = len(text) if end is None else end
    pos, blank = start, True
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        raw = text[pos:stop]
        body = raw.lstrip()
        if body:
            content = body.rstrip()
            lead = len(raw) - len(body)
            yield Line(pos + lead, pos + lead + len(content), content, _indent(raw[:lead]), blank)
            blank = False
        else:
            blank = True
        pos = stop + 1


def _indent(lead: str) -> int:
    """Indentation width, a tab counting as four columns."""
    return len(lead) + (_TAB_WIDTH - 1) * lead.count("\t")


def _step(state: _State, line: Line, nxt: Line | None) -> None:
    """Classify one line and add it to the blocks (as a new block or the continuation of the open one)."""
    if state.pending_marker is not None:
        indent, state.pending_marker = state.pending_marker, None
        _open_item(state, line.start, line.end, indent)
        _remember(state)
        return
    if cue.is_marker_only(line.content):
        _close(state)
        state.pending_marker = line.indent
        _remember(state)
        return
    if state.open is not None and _extends_open(state.open, state.prev, line):
        state.open.end = line.end
        _remember(state)
        return
    if _bullet(state, line, nxt):
        return
    candidate = _heading_candidate(line.content)
    demoted = False
    if candidate is not None and not _breaks_before(line, nxt):
        level, strong, skip = candidate
        if strong or not _demoting_context(state, line) or _introduces(line, nxt):
            _add_heading(state, line.start + skip, line.end, level, strong)
            return
        demoted = True
    _close(state)
    state.list_indents.clear()
    state.open = _Open(PARAGRAPH, line.start, line.end, 0, line.indent)
    _remember(state, demoted=demoted)


def _remember(state: _State, demoted: bool = False, numbered: bool = False) -> None:
    """Note what the line just classified was, for the next line's decisions."""
    state.prev_demoted, state.prev_numbered = demoted, numbered


def _extends_open(block: _Open, prev_line: Line | None, line: Line) -> bool:
    """True when ``line`` wraps the open paragraph or list item instead of starting a block."""
    if prev_line is None or cue.bullet_end(line.content):
        return False
    prev = prev_line.content
    if line.blank_before:
        return cue.ends_mid_sentence(prev) and line.content[0].islower()
    if block.kind == LIST_ITEM and line.indent > block.indent and not cue.ends_sentence(prev):
        return True
    return cue.continues(prev, line.content)


def _bullet(state: _State, line: Line, nxt: Line | None) -> bool:
    """Open a list item for a bulleted line; "1. Title" lines that number headings are left to the caller."""
    marker = cue.bullet_end(line.content)
    if not marker:
        return False
    numbered = cue.is_numbered_marker(line.content)
    if numbered and _numbers_heading(state, line.content[marker:], nxt):
        return False
    _open_item(state, line.start + marker, line.end, line.indent)
    _remember(state, numbered=numbered)
    return True


def _numbers_heading(state: _State, rest: str, nxt: Line | None) -> bool:
    """A short "1. The Basics" line numbers a heading unless it sits in a run of numbered lines."""
    if state.prev_numbered or (nxt is not None and cue.is_numbered_marker(nxt.content)):
        return False
    return cue.heading_shape(rest, numbered=True)


def _open_item(state: _State, start: int, end: int, indent: int) -> None:
    _close(state)
    stack = state.list_indents
    while stack and stack[-1] > indent:
        stack.pop()
    if not stack or stack[-1] < indent:
        stack.append(indent)
    state.open = _Open(LIST_ITEM, start, end, len(stack), indent)


def _breaks_before(line: Line, nxt: Line | None) -> bool:
    """True when the next line continues this one's sentence, so this line cannot be a heading."""
    return nxt is not None and not nxt.blank_before and cue.continues(line.content, nxt.content)


def _heading_candidate(content: str) -> tuple[int, bool, int] | None:
    """``(level, strong, skip)`` for a heading-shaped line, ``skip`` being the length of a ``#`` marker.

    Strong candidates (numbered, ``#``-marked, questions) are headings whatever the context.
    """
    if len(content) > cue.MAX_LEAD_IN_CHARS:
        return None
    md_level, md_len = cue.markdown_heading(content)
    if md_level and cue.heading_shape(content[md_len:], numbered=True):
        return md_level, True, md_len
    depth, num_len = cue.numbering(content)
    if num_len and cue.heading_shape(content[num_len:], numbered=True):
        return depth, True, 0
    if cue.is_lead_in(content):
        return 3, False, 0
    if cue.heading_shape(content):
        if cue.is_all_caps(content):
            return 1, False, 0
        return 2, content.endswith("?"), 0
    return None


def _demoting_context(state: _State, line: Line) -> bool:
    """After a colon, a heading or a short unpunctuated line, a title-like line is more likely data (an address)."""
    prev = state.prev
    if prev is None:
        return False
    if state.prev_demoted or prev.content.endswith(":"):
        return True
    if line.blank_before:
        return False
    return len(prev.content.split()) <= cue.MAX_HEADING_WORDS and not cue.ends_sentence(prev.content)


def _introduces(line: Line, nxt: Line | None) -> bool:
    """True when ``line`` heads the body text after it: prose follows, and not after a gap the line itself lacks."""
    if nxt is None or not _is_prose(nxt):
        return False
    return line.blank_before or not nxt.blank_before


def _is_prose(line: Line | None) -> bool:
    """True for a line that reads like body text (a sentence or list item), the usual thing after a heading."""
    if line is None:
        return False
    if cue.bullet_end(line.content):
        return True
    words = len(line.content.split())
    return words >= _PROSE_WORDS or (words >= 3 and cue.ends_sentence(line.content))


def _add_heading(state: _State, start: int, end: int, level: int, strong: bool) -> None:
    _close(state)
    state.list_indents.clear()
    if not state.blocks and level == 2 and not strong:
        level = 1  # the document's title
    state.blocks.append(Block(HEADING, start, end, level))
    _remember(state)


def _close(state: _State) -> None:
    """Turn the open paragraph or list item into a block."""
    block = state.open
    if block is not None:
        state.blocks.append(Block(block.kind, block.start, block.end, block.level))
        state.open = None
