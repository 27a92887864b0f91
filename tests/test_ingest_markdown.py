"""Markdown ingestion: markup removed, headings (level = number of #) and list items kept."""
from __future__ import annotations

from pathlib import Path

from ropa.ingest import MARKDOWN, from_text, read
from ropa.model import HEADING, LIST_ITEM, PARAGRAPH

NOTICE = """---
title: Privacy
---
# Privacy *Policy*

We are **Acme ApS**, see [our site](https://acme.example/a_(b) "home") and ![logo](logo.png).
This line wraps the same paragraph; snake_case_names stay.

## What we collect

- Your __name__
- E-mail
  - work e-mail
    continued here
1. first
2) second

**Who we share with**

> We share with `processors` only.

| Data | Retention |
|------|-----------|
| CV   | 6 months  |

```
code  block
  kept as text
```

Setext title
------------
<!-- a comment -->
***
Done &amp; dusted <span>now</span>.
"""


def test_markdown_structure() -> None:
    doc = from_text(NOTICE, "notice.md", MARKDOWN)
    assert [(b.kind, b.level, doc.block_text(b)) for b in doc.blocks] == [
        (HEADING, 1, "Privacy Policy"),
        (PARAGRAPH, 0, "We are Acme ApS, see our site and logo. This line wraps the same paragraph; "
                       "snake_case_names stay."),
        (HEADING, 2, "What we collect"),
        (LIST_ITEM, 1, "Your name"),
        (LIST_ITEM, 1, "E-mail"),
        (LIST_ITEM, 2, "work e-mail continued here"),
        (LIST_ITEM, 1, "first"),
        (LIST_ITEM, 1, "second"),
        (HEADING, 3, "Who we share with"),
        (PARAGRAPH, 0, "We share with processors only."),
        (PARAGRAPH, 0, "Data | Retention"),
        (PARAGRAPH, 0, "CV | 6 months"),
        (PARAGRAPH, 0, "code  block\n  kept as text"),
        (HEADING, 2, "Setext title"),
        (PARAGRAPH, 0, "Done & dusted now."),
    ]


def test_markdown_text_is_the_cleaned_text() -> None:
    doc = from_text("# Title\n\nSome *text*.\n", "x.md", MARKDOWN)
    assert doc.text == "Title\n\nSome text."
    assert doc.media_type == MARKDOWN


def test_unclosed_fence_keeps_its_text() -> None:
    doc = from_text("Intro.\n\n```\nlast lines\n", "x.md", MARKDOWN)
    assert [doc.block_text(b) for b in doc.blocks] == ["Intro.", "last lines"]


def test_read_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "notice.markdown"
    path.write_text("## Retention\n\nWe keep data for *5 years*.\n", encoding="utf-8")
    doc = read(path)
    assert doc.media_type == MARKDOWN
    assert doc.text == "Retention\n\nWe keep data for 5 years."
    assert doc.blocks[0].level == 2


def test_markdown_without_a_known_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "notice"
    path.write_text("# Privacy\n\n## Rights\n\n- access\n- [erasure](https://x.example)\n", encoding="utf-8")
    assert read(path).media_type == MARKDOWN
