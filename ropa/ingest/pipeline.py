"""The ingestion pipeline: bytes or text in, a :class:`~ropa.model.Document` (text, blocks, warnings) out."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from ropa.errors import NoticeError
from ropa.ingest import files, html, markdown, plain
from ropa.ingest.decode import decode, normalise_newlines
from ropa.ingest.language import language_warning
from ropa.ingest.pdf import is_pdf, pdf_text
from ropa.model import Block, Document

PLAIN, MARKDOWN, HTML, PDF = "text/plain", "text/markdown", "text/html", "application/pdf"
Parser = Callable[[str], tuple[str, list[Block]]]
PARSERS: dict[str, Parser] = {PLAIN: plain.parse, MARKDOWN: markdown.parse, HTML: html.parse, PDF: plain.parse}

_HTML_START_RE = re.compile(
    r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<!--|<\?xml[^>]*>\s*<(?:!doctype|html))", re.I
)
_HTML_TAG_RE = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|/[a-zA-Z]|!--|!doctype)", re.I)
_HTML_BLOCK_TAG_RE = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|br|table|section|article|span|a)[\s/>]", re.I)
_MD_CUE_RE = re.compile(r"^ {0,3}#{1,6} \S|^\s*[-*+] \S|\[[^\]\n]+\]\([^)\n]+\)|^\*\*[^*\n]+\*\*\s*$", re.M)
_SNIFF_CHARS = 65536


def from_text(text: str, source: str, media_type: str = PLAIN) -> Document:
    """Ingest text already in memory (``media_type`` picks the parser; unknown types read as plain text).

    Newlines are normalised and a BOM dropped, as :func:`read` does; nothing raises on odd content.
    ``sha256`` is taken over the UTF-8 encoding of ``text`` as given (the file's digest for a UTF-8 file).
    """
    document = _document(normalise_newlines(text), source, media_type)
    document.sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return document


def read(path: Path, *, max_bytes: int = files.DEFAULT_MAX_BYTES) -> Document:
    """Read one notice file (.txt, .md, .html, .pdf; the content decides when the suffix is missing or wrong)."""
    path = Path(path)
    data = files.read_bytes(path, max_bytes)
    if is_pdf(data):
        text, media_type = pdf_text(data, path), PDF
    else:
        text, media_type = _decode_text(data, path)
    document = _document(normalise_newlines(text), path.name, media_type)
    if not document.blocks:
        raise NoticeError("holds no readable text outside markup, scripts and banners; nothing to extract", path)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.path = path
    return document


def _decode_text(data: bytes, path: Path) -> tuple[str, str]:
    suffix = path.suffix.lower()
    html_like = suffix in files.HTML_SUFFIXES or data[:1024].lstrip()[:1] == b"<"
    text = decode(data, path, html=html_like)
    if not text.strip():
        raise NoticeError("contains only whitespace; nothing to extract", path)
    return text, sniff(text, suffix)


def sniff(text: str, suffix: str = "") -> str:
    """The media type of decoded notice text, from its content first and its suffix second."""
    head = text[:_SNIFF_CHARS]
    if suffix in files.HTML_SUFFIXES:
        return HTML if _HTML_TAG_RE.search(head) else PLAIN
    if _HTML_START_RE.match(head) or (head.lstrip().startswith("<") and _HTML_BLOCK_TAG_RE.search(head)):
        return HTML
    if suffix in files.MARKDOWN_SUFFIXES:
        return MARKDOWN
    if suffix not in files.NOTICE_SUFFIXES and len(_MD_CUE_RE.findall(head)) >= 2:
        return MARKDOWN
    return PLAIN


def _document(text: str, source: str, media_type: str) -> Document:
    parse = PARSERS.get(media_type, plain.parse)
    text, blocks = parse(text)
    document = Document(source=source, text=text, blocks=blocks, media_type=media_type)
    warning = language_warning(text, source)
    if warning is not None:
        document.warnings.append(warning)
    return document
