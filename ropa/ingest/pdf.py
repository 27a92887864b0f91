"""The text layer of a PDF (pypdf), pages joined with a blank line; scanned or encrypted PDFs refused clearly."""
from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from ropa.errors import NoticeError

PAGE_SEPARATOR = "\n\n"
_NO_TEXT = "no text layer found; run OCR first (e.g. ocrmypdf) and pass the result"
_ENCRYPTED = "is an encrypted PDF; remove the password (e.g. qpdf --decrypt in.pdf out.pdf) and pass the result"


def is_pdf(data: bytes) -> bool:
    """True when the bytes carry a PDF header (allowed anywhere in the first 1 KiB)."""
    return b"%PDF-" in data[:1024]


def pdf_text(data: bytes, path: Path) -> str:
    """The text of every page, joined by a blank line; :class:`NoticeError` when there is none to read."""
    reader = _open(data, path)
    pages = [_page_text(page, path, n) for n, page in enumerate(_pages(reader, path), start=1)]
    text = PAGE_SEPARATOR.join(p.strip("\n") for p in pages)
    if not text.strip():
        raise NoticeError(_NO_TEXT, path)
    return text


def _open(data: bytes, path: Path) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as e:  # pypdf raises many types on damaged files
        raise _unreadable(e, path) from e
    if encrypted:
        _decrypt(reader, path)
    return reader


def _pages(reader: PdfReader, path: Path) -> list[PageObject]:
    try:
        return list(reader.pages)
    except FileNotDecryptedError as e:
        raise NoticeError(_ENCRYPTED, path) from e
    except Exception as e:  # a damaged page tree
        raise _unreadable(e, path) from e


def _unreadable(error: Exception, path: Path) -> NoticeError:
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return NoticeError(f"is not a readable PDF ({reason}); re-export it or pass a text version", path)


def _decrypt(reader: PdfReader, path: Path) -> None:
    """Open a PDF encrypted with an empty user password (owner-only restrictions); refuse anything else."""
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError) as e:
        raise NoticeError(_ENCRYPTED, path) from e
    if not opened:
        raise NoticeError(_ENCRYPTED, path)


def _page_text(page: PageObject, path: Path, number: int) -> str:
    try:
        return page.extract_text() or ""
    except FileNotDecryptedError as e:
        raise NoticeError(_ENCRYPTED, path) from e
    except Exception as e:  # pypdf raises many types on broken content streams
        reason = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise NoticeError(f"page {number} cannot be read ({reason}); re-export the PDF or pass a text version",
                          path) from e
