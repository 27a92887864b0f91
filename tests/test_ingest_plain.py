"""Structure recovery from plain text: headings, list items and paragraphs, with offsets into the text as given."""
from __future__ import annotations

from ropa.ingest import from_text
from ropa.model import HEADING, LIST_ITEM, PARAGRAPH, Document


def _structure(text: str) -> list[tuple[str, int, str]]:
    doc = from_text(text, "notice.txt")
    return [(b.kind, b.level, doc.block_text(b)) for b in doc.blocks]


def _kinds(doc: Document) -> list[str]:
    return [b.kind for b in doc.blocks]


EXCERPT = """Privacy Policy
This is the privacy policy for Flex4Business ApS. Here you can read about how we handle personal data.
Company and Data Controller
Flex4Business ApS
Nåleskovvej 3, 4291 Ruds Vedby
CVR:
42497762
What is covered by personal data?
Personal data refers to data of physical individuals. Read more about the subject on the
Danish Data Protection Agency's website.
Credit card security
We never store credit card information. We always use approved acquirers and gateways
Data security
We naturally also have described protocols to increase security - including:
- IT security policy
- Procedure for dealing with data breaches
"""


def test_notice_excerpt_structure() -> None:
    assert _structure(EXCERPT) == [
        (HEADING, 1, "Privacy Policy"),
        (PARAGRAPH, 0, "This is the privacy policy for Flex4Business ApS. Here you can read about how we handle "
                       "personal data."),
        (HEADING, 2, "Company and Data Controller"),
        (PARAGRAPH, 0, "Flex4Business ApS"),
        (PARAGRAPH, 0, "Nåleskovvej 3, 4291 Ruds Vedby"),
        (PARAGRAPH, 0, "CVR:"),
        (PARAGRAPH, 0, "42497762"),
        (HEADING, 2, "What is covered by personal data?"),
        (PARAGRAPH, 0, "Personal data refers to data of physical individuals. Read more about the subject on the\n"
                       "Danish Data Protection Agency's website."),
        (HEADING, 2, "Credit card security"),
        (PARAGRAPH, 0, "We never store credit card information. We always use approved acquirers and gateways"),
        (HEADING, 2, "Data security"),
        (PARAGRAPH, 0, "We naturally also have described protocols to increase security - including:"),
        (LIST_ITEM, 1, "IT security policy"),
        (LIST_ITEM, 1, "Procedure for dealing with data breaches"),
    ]


def test_text_is_kept_exactly_and_blocks_point_into_it() -> None:
    doc = from_text(EXCERPT, "notice.txt")
    assert doc.text == EXCERPT
    assert doc.source == "notice.txt" and doc.media_type == "text/plain"
    for block in doc.blocks:
        assert doc.text[block.start : block.end] == doc.block_text(block)


def test_wrapped_paragraph_lines_join() -> None:
    text = ("Data submitted in forms are stored for 5 years if they are\n"
            "of an accounting nature, as the law\nrequires.\n")
    assert _structure(text) == [(PARAGRAPH, 0, text.strip())]


def test_lines_ending_a_sentence_stay_separate_paragraphs() -> None:
    text = "We collect your name.\nWe keep it for five years.\n"
    assert [k for k, _, _ in _structure(text)] == [PARAGRAPH, PARAGRAPH]


def test_question_headings() -> None:
    text = "Intro sentence here.\n\nWhat data do we collect?\n\nWe collect your name and e-mail address.\n"
    assert _structure(text)[1] == (HEADING, 2, "What data do we collect?")


def test_numbered_headings_take_their_depth() -> None:
    text = ("1. The Basics\n\nWe are a company that sells things.\n\n4.2 Retention\n\nWe keep data for 5 years.\n\n"
            "Section 4: Your rights\n\nYou may complain.\n")
    headings = [(level, t) for kind, level, t in _structure(text) if kind == HEADING]
    assert headings == [(1, "1. The Basics"), (2, "4.2 Retention"), (1, "Section 4: Your rights")]


def test_numbered_runs_are_lists_not_headings() -> None:
    text = "We collect:\n1. Name\n2. Email address\n3. Phone number\n\nThat is all.\n"
    assert _structure(text)[1:4] == [(LIST_ITEM, 1, "Name"), (LIST_ITEM, 1, "Email address"),
                                     (LIST_ITEM, 1, "Phone number")]


def test_all_caps_headings_are_level_one() -> None:
    text = "Some intro text that ends here.\n\nYOUR RIGHTS\n\nYou have the right to access your data.\n"
    assert _structure(text)[1] == (HEADING, 1, "YOUR RIGHTS")


def test_lead_in_lines_are_level_three_headings() -> None:
    text = ("How we use data\n\nWe process data in these contexts.\n\nIf you are our customer\n\n"
            "We store your name and address for five years.\n\nAs a job applicant:\n\n"
            "We keep your CV for six months.\n\nFor website visitors\n\nWe use cookies for statistics.\n")
    headings = [(level, t) for kind, level, t in _structure(text) if kind == HEADING]
    assert headings[1:] == [(3, "If you are our customer"), (3, "As a job applicant:"), (3, "For website visitors")]


def test_bullets_and_markers_of_every_style() -> None:
    text = ("We collect:\n- dash\n* star\n• dot\n· middle\n◦ ring\n▪ square\n– en dash\n"
            "1) paren\na) letter\n(b) both\ni. roman\n")
    items = [t for kind, _, t in _structure(text) if kind == LIST_ITEM]
    assert items == ["dash", "star", "dot", "middle", "ring", "square", "en dash", "paren", "letter", "both", "roman"]


def test_list_levels_follow_indentation() -> None:
    text = "Categories:\n- Contact data\n    - name\n    - e-mail\n- Usage data\n\tdetails wrap here\n"
    assert _structure(text)[1:] == [
        (LIST_ITEM, 1, "Contact data"),
        (LIST_ITEM, 2, "name"),
        (LIST_ITEM, 2, "e-mail"),
        (LIST_ITEM, 1, "Usage data\n\tdetails wrap here"),
    ]


def test_marker_on_its_own_line_takes_the_next_line() -> None:
    assert _structure("We share with:\n•\nService providers\n")[1] == (LIST_ITEM, 1, "Service providers")


def test_address_after_a_colon_is_not_a_heading() -> None:
    text = ("Contact information on the data controller is as follows:\n\nConscensia A/S\nNordvestvej 31\n"
            "9000 Aalborg\nDenmark\n\nWe are not required to have a Data Protection Officer.\n")
    assert HEADING not in [k for k, _, _ in _structure(text)]


def test_heading_then_heading_then_prose() -> None:
    text = "Privacy Policy\nCookies\nWe use cookies to make the website work and to count visitors.\n"
    assert _structure(text)[:2] == [(HEADING, 1, "Privacy Policy"), (HEADING, 2, "Cookies")]


def test_sentence_like_lines_are_not_headings() -> None:
    text = ("Intro.\n\nTo contact our Group Privacy Office, please contact\n\nLast updated 12 October 2023\n\n"
            "E-mail: info@example.com\n\nRead more on the\n")
    assert HEADING not in [k for k, _, _ in _structure(text)]


def test_markdown_hashes_in_plain_text() -> None:
    assert _structure("## Your rights\n\nYou may object.\n")[0] == (HEADING, 2, "Your rights")


def test_blocks_are_trimmed_of_surrounding_whitespace() -> None:
    doc = from_text("  \t Privacy Policy \u00a0 \n\n   We collect data.   \n", "x.txt")
    assert [doc.block_text(b) for b in doc.blocks] == ["Privacy Policy", "We collect data."]


def test_empty_and_blank_text_have_no_blocks() -> None:
    assert from_text("", "e.txt").blocks == []
    assert from_text(" \n\t\n  ", "e.txt").blocks == []


def test_crlf_and_cr_are_normalised_like_universal_newlines() -> None:
    doc = from_text("\ufeffPrivacy Policy\r\n\r\nWe collect data.\rMore.\r\n", "x.txt")
    assert doc.text == "Privacy Policy\n\nWe collect data.\nMore.\n"


def test_control_zero_width_and_rtl_text_are_kept() -> None:
    text = "Privacy\u200b Policy\n\nWe \x01collect \u202edata\x7f.\n\nסיכום הנתונים.\n"
    doc = from_text(text, "odd.txt")
    assert doc.text == text
    assert [doc.block_text(b) for b in doc.blocks][1:] == ["We \x01collect \u202edata\x7f.", "סיכום הנתונים."]


def test_other_unicode_line_breaks_do_not_split_lines() -> None:
    doc = from_text("One\u2028two\x85three.\n", "x.txt")
    assert _kinds(doc) == [PARAGRAPH]
