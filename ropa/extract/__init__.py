"""Extractors, registered by versioned name (``rules.v4``): text -> typed records.

Each extractor's id goes into the provenance of every fact it produces; a change that alters output bumps it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ropa.errors import UsageError
from ropa.model import Document, NoticeRecord

DEFAULT = "rules.v4"


class Extractor(Protocol):
    name: str

    def extract(self, doc: Document) -> NoticeRecord: ...


_REGISTRY: dict[str, Callable[[], Extractor]] = {}


def register(name: str) -> Callable[[Callable[[], Extractor]], Callable[[], Extractor]]:
    def deco(factory: Callable[[], Extractor]) -> Callable[[], Extractor]:
        _REGISTRY[name] = factory
        return factory
    return deco


def names() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def get(name: str = DEFAULT) -> Extractor:
    _load_builtin()
    if name not in _REGISTRY:
        raise UsageError(f"unknown extractor {name!r}; choose one of {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name]()


def extract(doc: Document, extractor: str = DEFAULT) -> NoticeRecord:
    return get(extractor).extract(doc)


def _load_builtin() -> None:
    from ropa.extract import rules  # noqa: F401  (registers itself)
