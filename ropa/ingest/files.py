"""Finding notice files and reading their bytes safely (size checked with ``stat`` before reading)."""
from __future__ import annotations

import stat
from pathlib import Path

from ropa.errors import NoNoticesError, NoticeError

PLAIN_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
NOTICE_SUFFIXES = PLAIN_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
DEFAULT_MAX_BYTES = 50 * 2**20
_MB = 2**20
_NONE_FOUND = "no notices found (.txt, .md, .html, .pdf); point ropa at a folder of notices"


def find_notices(paths: list[Path]) -> list[Path]:
    """The notice files named by ``paths``: files as given, folders expanded (not recursively, sorted by name).

    Hidden files, sidecars (``*.meta.json``, ``*.yaml``) and other unsupported suffixes inside folders are
    skipped. Raises :class:`NoticeError` for a path that does not exist and :class:`NoNoticesError` when
    nothing is left.
    """
    found: dict[Path, None] = {}
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise NoticeError("does not exist; check the path", path)
        for notice in _expand(path):
            found.setdefault(notice, None)
    if not found:
        where = paths[0] if len(paths) == 1 else ", ".join(str(p) for p in paths) or None
        raise NoNoticesError(_NONE_FOUND, where)
    return list(found)


def _expand(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    try:
        children = sorted(path.iterdir(), key=lambda p: p.name)
    except PermissionError as e:
        raise NoticeError("cannot be listed (permission denied); check the folder's permissions", path) from e
    return [child for child in children if is_notice_file(child)]


def is_notice_file(path: Path) -> bool:
    """True for a visible regular file with a supported suffix that is not a metadata sidecar."""
    name = path.name
    if name.startswith((".", "~")) or ".meta." in name.lower():
        return False
    return path.suffix.lower() in NOTICE_SUFFIXES and path.is_file()


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, after checking that it exists, is a readable regular file, non-empty and small enough."""
    _check_file(path, max_bytes)
    try:
        data = path.read_bytes()
    except PermissionError as e:
        raise NoticeError("cannot be read (permission denied); check the file's permissions", path) from e
    except OSError as e:
        raise NoticeError(f"cannot be read ({e.strerror or e}); check the file", path) from e
    if len(data) > max_bytes:
        raise NoticeError(_too_large(len(data), max_bytes), path)
    if not data:
        raise NoticeError("is empty; nothing to extract", path)
    return data


def _check_file(path: Path, max_bytes: int) -> None:
    try:
        info = path.stat()
    except FileNotFoundError as e:
        raise NoticeError("does not exist; check the path", path) from e
    except PermissionError as e:
        raise NoticeError("cannot be read (permission denied); check the file's permissions", path) from e
    except OSError as e:
        raise NoticeError(f"cannot be read ({e.strerror or e}); check the path", path) from e
    if stat.S_ISDIR(info.st_mode):
        raise NoticeError("is a folder, not a notice; pass the notice files in it", path)
    if not stat.S_ISREG(info.st_mode):
        raise NoticeError("is not a regular file; pass a .txt, .md, .html or .pdf notice", path)
    if info.st_size > max_bytes:
        raise NoticeError(_too_large(info.st_size, max_bytes), path)
    if info.st_size == 0:
        raise NoticeError("is empty; nothing to extract", path)


def _too_large(size: int, max_bytes: int) -> str:
    return f"is {size / _MB:.1f} MB, over the {max_bytes / _MB:g} MB limit; split it or raise --max-size"
