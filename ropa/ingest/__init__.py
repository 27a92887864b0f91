"""Ingestion: privacy notices (.txt, .md, .html, .pdf) to text with structure (headings, list items, paragraphs).

Offsets count code points in ``Document.text``. Plain text and PDF text layers are never rewritten (only
newlines normalised), so offsets into a UTF-8 ``.txt`` notice match ``Path.read_text(encoding="utf-8")``;
markdown and HTML are cleaned first and the blocks point into the cleaned text.

Public API: :func:`read`, :func:`from_text`, :func:`find_notices`, :func:`sentences`.
"""
from __future__ import annotations

from ropa.ingest.files import DEFAULT_MAX_BYTES, NOTICE_SUFFIXES, find_notices
from ropa.ingest.pipeline import HTML, MARKDOWN, PDF, PLAIN, from_text, read, sniff
from ropa.ingest.sentences import sentences

__all__ = [
    "DEFAULT_MAX_BYTES",
    "HTML",
    "MARKDOWN",
    "NOTICE_SUFFIXES",
    "PDF",
    "PLAIN",
    "find_notices",
    "from_text",
    "read",
    "sentences",
    "sniff",
]
