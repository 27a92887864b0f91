"""Errors of stores and endpoints; each says what to do (exit code 2, like every ropa error)."""
from __future__ import annotations

from ropa.errors import RopaError


class StoreError(RopaError):
    """A store directory that cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store (a build writing it, or a server / query reading it)."""


class EndpointError(RopaError):
    """A remote SPARQL endpoint that refused, failed, timed out or answered something unreadable."""
