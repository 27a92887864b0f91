"""Shared fixtures: the sample notices and their dataset, built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "data" / "notices"


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    return sorted(NOTICES.glob("*.txt"))


@pytest.fixture(scope="session")
def sample_build(sample_paths):
    from ropa.pipeline import build

    return build([NOTICES])
