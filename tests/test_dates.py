"""The notice's own date."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ropa.extract.dates import notice_date


@pytest.mark.parametrize("text, iso", [
    ("Privacy Notice\n\nLast updated 12 October 2023\n\nFlux", "2023-10-12"),
    ("Version 1.1. January 28, 2020", "2020-01-28"),
    ("(last review date September 2023)", "2023-09"),
    ("Effective date: 2021-07-01", "2021-07-01"),
    ("Updated July 1, 2021 Mailchimp takes data privacy seriously.", "2021-07-01"),
    ("Last revised: 03.02.2022", "2022-02-03"),
])
def test_dates(text, iso):
    d = notice_date(text)
    assert d is not None and d.iso == iso
    assert d.end <= len(text) and iso[:4] in text[d.start:d.end]


def test_no_cue_no_date():
    assert notice_date("We were founded on 12 October 1999.") is None


@given(st.text(max_size=200))
def test_never_crash(text):
    d = notice_date(text)
    assert d is None or 0 <= d.start < d.end <= len(text)
