"""The lexicon's prefix-indexed scan finds what a plain scan of every pattern finds."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ropa.extract import prefix
from ropa.extract.lexicon import _vetoed, default, fold

SAMPLE = ("We collect your name, e-mail address, IP address and device identifiers. We may transfer data to the "
          "United States, Canada and India under Standard Contractual Clauses. You have the right of access and "
          "may lodge a complaint with the Danish Data Protection Agency. We keep invoices for 5 years as the "
          "Bookkeeping Act requires. Our legitimate interests include fraud prevention and marketing.")


def naive(facet, text):
    out = []
    for e in facet.entries:
        for m in e.pattern.finditer(text):
            if not (e.unless and _vetoed(e.unless, text, m.start(), m.end(), 0, len(text))):
                out.append((e.value, m.start(), m.end()))
    return out


def overlaps(a, b):
    return a[1] < b.end and b.start < a[2]


def check(text):
    lex = default()
    for name, facet in lex.facets.items():
        fast = facet.find(text)
        assert fast == lex.scan(text)[name][0], name
        for want in naive(facet, text):
            assert any(overlaps(want, h) for h in fast), f"{name}: {want} not found by the indexed scan"


def test_indexed_scan_agrees_with_plain_scan():
    check(SAMPLE)
    check(SAMPLE.upper())


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(SAMPLE.split() + ["U.S.", "USA", "cookies", "(", ")", ",", "\n"]), max_size=60))
def test_indexed_scan_property(words):
    check(" ".join(words))


def test_prefixes():
    assert prefix.prefixes("e-?mail address(?:es)?", 6) == {"e-mail", "email "}
    assert prefix.prefixes("(?:the |our )?data", 4) == {"data"}  # optional leads are skipped
    assert prefix.prefixes(r"\w+ data", 4) is None
    assert prefix.prefixes("(?i:us)", 2) == {"us", "uS", "Us", "US"}


def test_fold_keeps_length():
    text = "İstanbul ÆØÅ straße"
    assert len(fold(text)) == len(text)
    assert re.sub(r"\W", "", fold("ABC")) == "abc"


KEYS = st.sets(st.text(alphabet="ab c-", min_size=1, max_size=5).filter(lambda k: k[0].isalnum()), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(KEYS, st.text(alphabet="ab c-.", max_size=40))
def test_the_key_trie_finds_each_word_start_with_its_longest_key(keys, text):
    """The scan's trie regex stops at exactly the word starts where some key begins, capturing the longest."""
    from ropa.extract.lexicon import _plan

    index = {k: [] for k in keys}
    rx, cands_of, _ = _plan(index)
    got = {m.start(): m.group(1) for m in rx.finditer(text)}
    want = {}
    for w in re.finditer(r"\w+", text):
        found = [k for k in keys if text.startswith(k, w.start())]
        if found:
            want[w.start()] = max(found, key=len)
    assert got == want
    assert set(cands_of) == set(keys)


def test_identifiers_are_found_near_their_digits_only():
    from ropa.extract.controller import identifiers

    text = ("x " * 500) + "Acme Ltd, company registration number 12345678, VAT no. GB 123 4567 89. " + ("y " * 500)
    values = {f.value for f in identifiers(text, 0)}
    assert values == {"12345678", "GB 123 4567 89"}
    assert identifiers("Call us on phone 12345678 or write to us.", 0) == []


SPANS = st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 30), st.integers(1, 8)), max_size=14)


@settings(max_examples=300, deadline=None)
@given(SPANS)
def test_resolve_keeps_the_longest_then_leftmost_of_overlapping_matches(spans):
    """The run-by-run resolution gives what taking matches longest first, then leftmost, gives over the whole list."""
    from ropa.extract.lexicon import Match, _resolve

    hits = [Match(v, s, s + n) for v, s, n in spans]
    taken: list[Match] = []
    for h in sorted(hits, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(t.start < h.end and h.start < t.end for t in taken):
            taken.append(h)
    assert _resolve(list(hits)) == sorted(taken, key=lambda m: m.start)
