"""Markdown to plain text: markup removed, headings (level = number of ``#``) and list items kept as blocks.

Handles ATX and setext headings, bullet and ordered lists (nesting by indentation), block quotes, code
fences (content kept as text), tables (cells joined by `` | ``), links, images, emphasis, inline code,
HTML tags and comments, reference definitions and YAML front matter. Not a full CommonMark parser: the
goal is clean, offset-stable text for extraction.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ropa.ingest.builder import TextBuilder
from ropa.model import HEADING, LIST_ITEM, PARAGRAPH, Block

_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_SETEXT_RE = re.compile(r" {0,3}(=+|-+)[ \t]*")
_HR_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_ITEM_RE = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(?=\S)")
_QUOTE_RE = re.compile(r" {0,3}>[ \t]?")
_TABLE_ROW_RE = re.compile(r"[ \t]*\|.*\|[ \t]*")
_TABLE_RULE_RE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_REF_DEF_RE = re.compile(r" {0,3}\[[^\]]+\]:[ \t]+\S+")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_FRONT_MATTER_RE = re.compile(r"---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)
_BOLD_LINE_RE = re.compile(r"[ \t]*(\*\*|__)([^*_\n]{1,120}?)\1[ \t]*:?[ \t]*")

_INLINE_RULES = (
    (re.compile(r"!\[([^\]\n]{0,500})\]\((?:[^()\n]|\([^()\n]{0,200}\)){0,2000}\)"), r"\1"),
    (re.compile(r"\[([^\]\n]{0,500})\]\((?:[^()\n]|\([^()\n]{0,200}\)){0,2000}\)"), r"\1"),
    (re.compile(r"\[([^\]\n]{1,500})\]\[[^\]\n]{0,100}\]"), r"\1"),
    (re.compile(r"<((?:https?|ftp|mailto):[^>\s]+|[^@\s<>]+@[^@\s<>]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,2000})?/?>"), ""),
    (re.compile(r"(`{1,3})(.{1,500}?)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.{1,500}?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.{1,500}?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.{1,500}?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),
)
_MAX_BOLD_HEADING_WORDS = 12


def inline(text: str) -> str:
    """Remove inline markdown (links, images, emphasis, code, tags, escapes) and decode entities."""
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return html.unescape(text) if "&" in text else text


@dataclass(slots=True)
class _State:
    out: TextBuilder = field(default_factory=TextBuilder)
    para: list[str] = field(default_factory=list)
    item: list[str] = field(default_factory=list)
    item_level: int = 0
    list_indents: list[int] = field(default_factory=list)
    fence: list[str] | None = None
    fence_marker: str = ""
    last_heading: int = 1


def parse(text: str) -> tuple[str, list[Block]]:
    """Clean markdown ``text`` into plain text and its blocks."""
    text = _FRONT_MATTER_RE.sub("", text, count=1) if text.startswith("---") else text
    text = _COMMENT_RE.sub("", text) if "<!--" in text else text
    state = _State()
    for line in text.split("\n"):
        _step(state, line)
    if state.fence is not None:
        _close_fence(state)
    _flush(state)
    return state.out.build()


def _step(state: _State, line: str) -> None:
    if state.fence is not None:
        if line.strip().startswith(state.fence_marker):
            _close_fence(state)
        else:
            state.fence.append(line)
        return
    while (quote := _QUOTE_RE.match(line)) is not None:
        line = line[quote.end() :]
    if _structural(state, line):
        return
    _text_line(state, line)


def _structural(state: _State, line: str) -> bool:
    """Handle lines that are markup on their own (fences, headings, rules, tables); True when handled."""
    if not line.strip() or _REF_DEF_RE.match(line):
        _flush(state)
        return True
    if (fence := _FENCE_RE.match(line)) is not None:
        _flush(state)
        state.fence, state.fence_marker = [], fence.group(1)
        return True
    if (atx := _ATX_RE.fullmatch(line)) is not None:
        _flush(state)
        _heading(state, atx.group(2) or "", len(atx.group(1)))
        return True
    if (setext := _SETEXT_RE.fullmatch(line)) is not None and state.para:
        title, state.para = " ".join(state.para), []
        _heading(state, title, 1 if setext.group(1)[0] == "=" else 2)
        return True
    if _HR_RE.fullmatch(line):
        _flush(state)
        return True
    return _table_row(state, line)


def _table_row(state: _State, line: str) -> bool:
    if not _TABLE_ROW_RE.fullmatch(line):
        return False
    _flush(state)
    if not _TABLE_RULE_RE.fullmatch(line):
        cells = [inline(c).strip() for c in line.strip().strip("|").split("|")]
        state.out.add(" | ".join(c for c in cells if c), PARAGRAPH)
    return True


def _text_line(state: _State, line: str) -> None:
    item = _ITEM_RE.match(line)
    if item is not None:
        _flush(state)
        state.item_level = _list_level(state.list_indents, _width(item.group(1)))
        state.item = [line[item.end() :]]
    elif state.item:
        state.item.append(line)
    else:
        state.list_indents.clear()
        state.para.append(line)


def _list_level(stack: list[int], indent: int) -> int:
    while stack and stack[-1] > indent:
        stack.pop()
    if not stack or stack[-1] < indent:
        stack.append(indent)
    return len(stack)


def _width(lead: str) -> int:
    return sum(4 if c == "\t" else 1 for c in lead)


def _heading(state: _State, title: str, level: int) -> None:
    state.out.add(inline(title), HEADING, level)
    state.last_heading = level
    state.list_indents.clear()


def _flush(state: _State) -> None:
    """Emit the pending paragraph or list item."""
    if state.item:
        state.out.add(_join(state.item), LIST_ITEM, state.item_level)
        state.item = []
    if state.para:
        bold = _BOLD_LINE_RE.fullmatch(state.para[0]) if len(state.para) == 1 else None
        if bold is not None and _bold_heading(bold.group(2)):
            state.out.add(inline(bold.group(2)), HEADING, min(6, state.last_heading + 1))
        else:
            state.out.add(_join(state.para), PARAGRAPH)
        state.para = []


def _bold_heading(text: str) -> bool:
    """A paragraph that is one short bold phrase ("**What we collect**") stands for a heading."""
    text = text.strip()
    return bool(text) and len(text.split()) <= _MAX_BOLD_HEADING_WORDS and text[-1] not in ".;,"


def _join(lines: list[str]) -> str:
    return inline(" ".join(line.strip() for line in lines))


def _close_fence(state: _State) -> None:
    content = "\n".join(state.fence or [])
    state.fence = None
    state.out.add(content, PARAGRAPH)
