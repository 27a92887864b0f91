"""Retention periods -> ISO 8601 with bound, trigger and legal reference."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ropa.extract.durations import event_bound, temporal


def one(text):
    [d] = temporal(text, 0, len(text))
    return d


@pytest.mark.parametrize("text, iso, bound", [
    ("We keep your data for 5 years.", "P5Y", None),
    ("stored for up to 10 years", "P10Y", "max"),
    ("for a minimum of 5 years", "P5Y", "min"),
    ("retained for six months", "P6M", None),
    ("deleted after 30 days", "P30D", None),
    ("kept for two (2) years", "P2Y", None),
    ("no longer than 24 months", "P24M", "max"),
    ("for 1.5 years", "P18M", None),
    ("for 48 hours", "PT48H", None),
])
def test_periods(text, iso, bound):
    d = one(text)
    assert (d.iso, d.bound) == (iso, bound)
    assert text[d.start:d.end].strip()


def test_trigger_and_law():
    d = one("Accounting records are kept for 5 years from the end of the financial year, as required by the "
            "Danish Bookkeeping Act.")
    assert d.iso == "P5Y"
    assert d.trigger.startswith("the end of the financial year")
    assert "Bookkeeping Act" in d.law


def test_event_bound():
    text = "Data submitted in forms are stored as long as it is relevant, or there is a customer relationship."
    [d] = event_bound(text, 0, len(text))
    assert d.kind == "until_event" and d.description.startswith("as long as")


@pytest.mark.parametrize(("text", "description"), [
    ("Log files are generally kept for a shorter period of time.", "for a shorter period of time"),
    ("The voice snippet is discarded immediately after use.", "immediately after use"),
])
def test_unquantified_periods_are_event_bound(text, description):
    [d] = event_bound(text, 0, len(text))
    assert (d.kind, d.description) == ("until_event", description)


def test_indefinite():
    text = "We may retain aggregated data indefinitely."
    assert [d.kind for d in event_bound(text, 0, len(text))] == ["indefinite"]


@given(st.text(max_size=300))
def test_never_crash(text):
    for d in temporal(text, 0, len(text)) + event_bound(text, 0, len(text)):
        assert 0 <= d.start < d.end <= len(text)
