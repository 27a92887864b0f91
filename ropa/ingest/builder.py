"""Assembling cleaned text from blocks (for markup formats), recording each block's offsets as it goes."""
from __future__ import annotations

from ropa.model import Block

BLOCK_SEPARATOR = "\n\n"


class TextBuilder:
    """Appends blocks separated by a blank line; ``build()`` returns the text and the blocks pointing into it."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []

    def add(self, content: str, kind: str, level: int = 0) -> None:
        """Add one block; surrounding whitespace is trimmed and an empty block is dropped."""
        content = content.strip()
        if not content:
            return
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        self.blocks.append(Block(kind, self._length, self._length + len(content), level))
        self._parts.append(content)
        self._length += len(content)

    def build(self) -> tuple[str, list[Block]]:
        return "".join(self._parts), self.blocks
