"""ropa: privacy notices -> a GDPR record of processing activities (ROPA) knowledge graph under the W3C DPV.

The library entry points, imported on first use so that ``import ropa`` stays cheap::

    ropa.build(["data/notices"], "build/ropa.trig")      # ropa.pipeline.build
    ropa.gaps("build/ropa.trig")                          # ropa.analyse.gaps.gaps
    ropa.compare("build/ropa.trig")                       # ropa.analyse.compare.compare
"""
from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {"build": ("ropa.pipeline", "build"), "gaps": ("ropa.analyse.gaps", "gaps"),
         "compare": ("ropa.analyse.compare", "compare")}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        return getattr(import_module(module), attr)
    raise AttributeError(f"module 'ropa' has no attribute {name!r}")
