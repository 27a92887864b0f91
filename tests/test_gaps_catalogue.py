"""The check catalogue: every check file carries its GDPR item in its name and header, and a bad header is refused
with a message that says what to fix."""
from __future__ import annotations

import re

import pytest

from ropa.analyse.gaps_checks import CheckError, load_catalogue, sparql_check


def _article_from_name(check_id: str) -> str:
    """art13_1_c_legal_basis -> Art. 13(1)(c); art4_11_x -> Art. 4(11); art10_x -> Art. 10."""
    m = re.match(r"art(\d+)(?:_(\d+))?(?:_([a-z]))?_", check_id)
    assert m, f"{check_id}: a check id starts with the article, e.g. art13_1_c_"
    num, para, point = m.groups()
    return f"Art. {num}" + (f"({para})" if para else "") + (f"({point})" if point else "")


@pytest.mark.parametrize("check", load_catalogue().all, ids=lambda c: c.id)
def test_each_check_names_its_article_severity_and_fix(check):
    info = check.info
    assert info.article.startswith(_article_from_name(info.id)), (info.id, info.article)
    assert info.severity.value in ("violation", "warning", "info")
    assert info.title and info.fix and info.law and info.how
    assert info.path.startswith(("queries/gaps/", "ontology/shapes/"))


def test_the_catalogue_covers_the_issue_checklist():
    articles = {c.info.article for c in load_catalogue().all} | {a for c in load_catalogue().all for a in c.info.also}
    for item in ("Art. 13(1)(a)", "Art. 13(1)(b)", "Art. 13(1)(c)", "Art. 13(1)(d)", "Art. 13(1)(e)",
                 "Art. 13(1)(f)", "Art. 13(2)(a)", "Art. 13(2)(b)", "Art. 13(2)(c)", "Art. 13(2)(d)",
                 "Art. 13(2)(e)", "Art. 13(2)(f)", "Art. 14(2)(f)", "Art. 30(1)(a)", "Art. 30(1)(b)",
                 "Art. 30(1)(c)", "Art. 30(1)(d)", "Art. 30(1)(e)", "Art. 30(1)(f)", "Art. 30(1)(g)", "Art. 9(2)",
                 "Art. 10", "Art. 4(11)", "Art. 12(1)"):
        assert item in articles, item


def test_a_header_without_a_fix_is_refused(tmp_path):
    bad = tmp_path / "art13_1_a_bad.rq"
    bad.write_text("# title: t\n# article: Art. 13(1)(a)\n# severity: violation\nSELECT ?notice WHERE {}\n")
    with pytest.raises(CheckError, match=r"lacks fix.*# fix: \.\.\."):
        sparql_check(bad)


def test_a_badly_written_article_is_refused(tmp_path):
    bad = tmp_path / "art13_1_a_bad.rq"
    bad.write_text("# title: t\n# article: 13.1.a\n# severity: violation\n# fix: f\nSELECT ?notice WHERE {}\n")
    with pytest.raises(CheckError, match="Art. 13"):
        sparql_check(bad)


def test_header_values_may_span_lines(tmp_path):
    f = tmp_path / "art13_1_a_ok.rq"
    f.write_text("# title: t\n# article: Art. 13(1)(a)\n# severity: warning\n# fix: first line\n#      second line\n"
                 "# scope: controller\nSELECT ?notice WHERE {}\n")
    check = sparql_check(f)
    assert check.info.fix == "first line second line" and check.info.scope == "controller"
