"""The errors ropa raises. Each message names the file (when there is one) and says what to do."""
from __future__ import annotations

# Exit codes shared by every command (README, "Exit codes").
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class RopaError(Exception):
    """Base class: ``str(err)`` is a one-line message with the file and the fix."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, path: object | None = None):
        self.path = path
        super().__init__(f"{path}: {message}" if path is not None else message)


class NoticeError(RopaError):
    """A notice that cannot be read or holds no usable text."""


class NoNoticesError(RopaError):
    """A folder or argument list that names no notice files."""


class OutputError(RopaError):
    """An output path that cannot be written."""


class GraphError(RopaError):
    """A graph file that cannot be read or is not a ropa graph."""


class UsageError(RopaError):
    """Bad arguments: an unknown format, extractor or option value."""
