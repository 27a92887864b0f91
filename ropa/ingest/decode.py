"""Bytes to text: BOMs, UTF-8, UTF-16, an HTML meta charset, then charset detection; binary files refused.

Newlines are normalised exactly like Python's universal newlines (``\\r\\n`` and ``\\r`` become ``\\n``) and
nothing else is changed, so a UTF-8 notice decodes to what ``Path.read_text(encoding="utf-8")`` returns.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ropa.errors import NoticeError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SNIFF_BYTES = 8192
_SAMPLE_CHARS = 65536
_MAX_CONTROL_RATIO = 0.05
_MAX_CHAOS = 0.2
_DETECT_BYTES = 2**20
_MIN_COHERENCE = 0.2
_TIE = 0.01
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_WESTERN_PUNCTUATION = frozenset("’‘“”„–—•…€£¥©®°±²³µ·¹º»«½¼¾×÷§¶¢¡¿ \xa0\xad")
_MAX_ODD_RATIO = 0.01
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}

BINARY_HINT = "looks binary, not a text notice; convert it to .txt/.html/.pdf"


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` to ``\\n``, as Python's universal newlines do; a leading BOM dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def decode(data: bytes, path: Path, *, html: bool = False) -> str:
    """Decode a notice's bytes; raise :class:`NoticeError` for binary or undecodable input."""
    text = _decode_bom(data, path)
    if text is None:
        text = _decode_unmarked(data, path, html)
    text = normalise_newlines(text)
    if looks_binary(text):
        raise NoticeError(BINARY_HINT, path)
    return text


def looks_binary(text: str) -> bool:
    """True when the text holds NUL characters or many other control characters near its start."""
    sample = text[:_SAMPLE_CHARS]
    if "\x00" in sample[:_SNIFF_BYTES]:
        return True
    return len(_CONTROL_RE.findall(sample)) > _MAX_CONTROL_RATIO * max(len(sample), 1)


def _decode_bom(data: bytes, path: Path) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise NoticeError(f"starts with a {encoding} byte-order mark but is not valid {encoding} text; "
                                  "save it as UTF-8", path) from e
    return None


def _decode_unmarked(data: bytes, path: Path, html: bool) -> str:
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise NoticeError(BINARY_HINT, path)
    if html:
        declared = _declared_charset(data)
        if declared is not None:
            return declared
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data, path)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows as every other byte NUL in ASCII-heavy text; try that reading."""
    head = data[:_SNIFF_BYTES]
    if len(head) < 4 or len(data) % 2:
        return None
    half = len(head) // 2
    for encoding, zeros, chars in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if zeros.count(0) >= 0.9 * half and chars.count(0) <= 0.1 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET_RE.search(data[:4096])
    if m is None:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        encoding = codecs.lookup(_WHATWG_ALIASES.get(name, name)).name
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _detect(data: bytes, path: Path) -> str:
    """charset-normalizer's confident guess (Western code pages win ties), else a clean cp1252 reading."""
    text = _detected(data)
    if text is None:
        text = _western(data)
    if text is None:
        raise NoticeError("is not valid UTF-8 text and its encoding could not be detected; save it as UTF-8", path)
    return text


def _detected(data: bytes) -> str | None:
    """Decode with charset-normalizer's confident guess, judged on the first MiB (large files stay fast)."""
    results = from_bytes(data[:_DETECT_BYTES])
    best = results.best()
    if best is None or best.chaos > _MAX_CHAOS or best.coherence < _MIN_COHERENCE:
        return None
    ties = {m.encoding for m in results if m.chaos <= best.chaos + _TIE and m.coherence >= _MIN_COHERENCE}
    encoding = next((e for e in _WESTERN if e in ties), best.encoding)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _western(data: bytes) -> str | None:
    """cp1252 (the usual legacy encoding of English text) when it decodes to letters and common punctuation."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    odd = [c for c in _NON_ASCII_RE.findall(text) if not (c.isalpha() or c in _WESTERN_PUNCTUATION)]
    return text if len(odd) <= _MAX_ODD_RATIO * len(text) else None
