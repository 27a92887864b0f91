"""HTML ingestion: page furniture dropped, real heading and list levels, clean text with offsets into it."""
from __future__ import annotations

from pathlib import Path

from ropa.ingest import HTML, from_text, read
from ropa.model import HEADING, LIST_ITEM, PARAGRAPH

PAGE = """<!DOCTYPE html>
<html><head><title>Acme privacy</title><style>p { color: red }</style>
<script>document.write("<p>not text</p>");</script></head>
<body>
<header><a href="/">Acme</a> Home</header>
<nav><ul><li>Products</li><li>About</li></ul></nav>
<div id="cookie-banner" class="banner">We use cookies. <button>Accept all</button><div>More</div></div>
<div class="cc-window">Cookie consent</div>
<main>
  <h1>Privacy &amp; Cookie Policy</h1>
  <p>We   collect
     your <b>name</b> and <a href="mailto:x@y">e&#8209;mail</a>.<br>Contact us any time.</p>
  <h2>Your rights</h2>
  <ul>
    <li>Access
    <li>Erasure
      <ul><li>of <i>all</i> data</li></ul>
    </li>
    <li>Portability</li>
  </ul>
  <section id="cookies"><h3>Cookies</h3><p>We use cookies for statistics.</p></section>
  <table><tr><th>Data</th><td>Retention</td></tr></table>
  <p hidden>hidden paragraph</p><div style="display: none">invisible</div>
  <aside>Related posts</aside><noscript>Enable JS</noscript><svg><text>logo</text></svg>
  <template><p>template</p></template>
</main>
<footer>Copyright Acme</footer>
</body></html>
"""


def _structure(html: str) -> list[tuple[str, int, str]]:
    doc = from_text(html, "page.html", HTML)
    return [(b.kind, b.level, doc.block_text(b)) for b in doc.blocks]


def test_page_furniture_is_dropped_and_structure_kept() -> None:
    assert _structure(PAGE) == [
        (HEADING, 1, "Privacy & Cookie Policy"),
        (PARAGRAPH, 0, "We collect your name and e\u2011mail."),
        (PARAGRAPH, 0, "Contact us any time."),
        (HEADING, 2, "Your rights"),
        (LIST_ITEM, 1, "Access"),
        (LIST_ITEM, 1, "Erasure"),
        (LIST_ITEM, 2, "of all data"),
        (LIST_ITEM, 1, "Portability"),
        (HEADING, 3, "Cookies"),
        (PARAGRAPH, 0, "We use cookies for statistics."),
        (PARAGRAPH, 0, "Data"),
        (PARAGRAPH, 0, "Retention"),
    ]


def test_blocks_are_separated_by_blank_lines() -> None:
    doc = from_text("<h2>Title</h2><p>One.</p><p>Two.</p>", "x.html", HTML)
    assert doc.text == "Title\n\nOne.\n\nTwo."
    assert doc.media_type == HTML


def test_malformed_html_is_tolerated() -> None:
    structure = _structure("<p>Unclosed <b>bold<div>Block <h2>Heading<p>After</h3> <li>stray item</ul></span>")
    assert (HEADING, 2, "Heading") in structure
    assert structure[0] == (PARAGRAPH, 0, "Unclosed bold")
    assert (LIST_ITEM, 1, "stray item") in structure


def test_odd_declarations_do_not_crash_the_parser() -> None:
    doc = from_text("<![if-->Text<![foo[x]]><!doctype weird [ <p>After</p>", "odd.html", HTML)
    assert doc.text.endswith("After")


def test_unclosed_head_does_not_swallow_the_body() -> None:
    assert _structure("<html><head><title>T</title><p>Body text.</p>") == [(PARAGRAPH, 0, "Body text.")]


def test_header_inside_article_keeps_the_title() -> None:
    html = "<header>Site</header><article><header><h1>Privacy</h1></header><p>Text.</p></article>"
    assert _structure(html) == [(HEADING, 1, "Privacy"), (PARAGRAPH, 0, "Text.")]


def test_void_element_with_banner_class_does_not_hide_the_rest() -> None:
    assert _structure('<input class="consent-box"><p>Still here.</p>') == [(PARAGRAPH, 0, "Still here.")]


def test_read_html_file_with_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "notice.html"
    html = '<html><head><meta charset="windows-1252"></head><body><h1>Privatlivspolitik</h1>' \
           "<p>We process data about Søren’s customers in Århus.</p></body></html>"
    path.write_bytes(html.encode("cp1252"))
    doc = read(path)
    assert doc.media_type == HTML
    assert doc.text == "Privatlivspolitik\n\nWe process data about Søren’s customers in Århus."


def test_html_in_a_txt_file_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("<!doctype html><html><body><h2>Your rights</h2><p>You may object.</p><script>x()</script>",
                    encoding="utf-8")
    doc = read(path)
    assert doc.media_type == HTML
    assert doc.text == "Your rights\n\nYou may object."


def test_html_suffix_without_tags_reads_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "notice.html"
    path.write_text("Privacy Policy\n\nWe collect your name.\n", encoding="utf-8")
    doc = read(path)
    assert doc.media_type == "text/plain"
    assert doc.text == "Privacy Policy\n\nWe collect your name.\n"
