"""The one module that knows where ontology/, lexicons and queries/ live.

In a source checkout (or an editable install) they sit beside the package; an installed wheel carries a copy
under ``ropa/_data/``. ``ROPA_HOME`` overrides both.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@cache
def home() -> Path:
    """The folder that holds ``ontology/`` and ``queries/``."""
    candidates = [Path(os.environ["ROPA_HOME"])] if os.environ.get("ROPA_HOME") else []
    candidates += [_PKG.parent, _PKG / "_data"]
    for c in candidates:
        if (c / "ontology" / "lexicon").is_dir():
            return c
    raise FileNotFoundError("ropa's ontology/ folder was not found; reinstall ropa or set ROPA_HOME to its checkout")


def ontology_file() -> Path:
    return home() / "ontology" / "ropa.ttl"


def lexicon_dir() -> Path:
    return home() / "ontology" / "lexicon"


def queries_dir() -> Path:
    return home() / "queries"


def shapes_dir() -> Path:
    return home() / "ontology" / "shapes"
