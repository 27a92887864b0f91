"""The package's lazy top-level entry points."""
from __future__ import annotations

from pathlib import Path

import pytest

import ropa

NOTICES = Path(__file__).resolve().parent.parent / "data" / "notices"


def test_build_and_gaps_from_the_top_level(tmp_path):
    out = tmp_path / "ropa.trig"
    result = ropa.build([str(NOTICES / "003_5f355bfe8382d069.txt")], str(out))
    assert out.is_file() and len(result.records) == 1
    report = ropa.gaps(out, reasoner="none", cache_dir=False)
    assert [n.source for n in report.notices] == ["003_5f355bfe8382d069.txt"]


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ropa.nope  # noqa: B018
