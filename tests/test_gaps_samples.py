"""`ropa gaps` on the five sample notices: the findings a careful reader expects (see docs/gaps.md, "The samples").

These depend on the extractor too: a failure here may mean the extractor lost a fact the check needs.
"""
from __future__ import annotations

import shutil

import pytest

from ropa.analyse.gaps import gaps

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="the sample run uses HermiT, which needs Java")


@pytest.fixture(scope="module")
def report(sample_build, tmp_path_factory):
    return gaps(sample_build.dataset, as_of="2026-11-22", cache_dir=tmp_path_factory.mktemp("cache"))


def _checks(report, stem: str) -> set[str]:
    return {f.check for f in report.findings if f.notice.startswith(stem)}


def test_the_blank_controller_name_is_flagged(report):
    assert "art13_1_a_controller_name" in _checks(report, "001")
    assert not any("art13_1_a_controller_name" in _checks(report, s) for s in ("000", "002", "003", "004"))


def test_the_privacy_shield_is_flagged(report):
    found = [f for f in report.findings if f.check == "art13_1_f_invalid_mechanism"]
    assert {f.notice[:3] for f in found} == {"001"}
    assert "2020-07-16" in found[0].message and found[0].evidence


def test_a_complete_rights_section_is_not_flagged(report):
    for stem in ("000", "002", "004"):
        assert "art13_2_b_rights" not in _checks(report, stem), stem


def test_consent_from_use_and_wrong_citation(report):
    assert "art4_11_consent_from_use" in _checks(report, "002")
    assert "art13_1_c_wrong_citation" in _checks(report, "004")


def test_runs_fast_enough(report):
    assert report.seconds < 10
