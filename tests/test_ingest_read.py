"""Reading notice files: decoding, sniffing, bad input, finding notices, language warnings, the sample notices."""
from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from ropa.errors import NoNoticesError, NoticeError
from ropa.ingest import PLAIN, find_notices, from_text, read

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "notices").glob("*.txt"))
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NOTICE = "Privacy Policy\n\nWe collect your name and e-mail address to answer your questions.\n"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_notice_text_equals_read_text(path: Path) -> None:
    doc = read(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.source == path.name and doc.path == path and doc.media_type == PLAIN
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.warnings == []
    assert len(doc.blocks) > 10


def test_there_are_five_sample_notices() -> None:
    assert len(SAMPLES) == 5


def test_from_text_matches_read_for_a_utf8_file() -> None:
    path = SAMPLES[0]
    doc = from_text(path.read_text(encoding="utf-8"), path.name)
    assert (doc.text, doc.blocks, doc.sha256) == (read(path).text, read(path).blocks, read(path).sha256)


# --- decoding -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    NOTICE.encode("utf-8"),
    codecs.BOM_UTF8 + NOTICE.encode("utf-8"),
    codecs.BOM_UTF16_LE + NOTICE.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + NOTICE.encode("utf-16-be"),
    NOTICE.encode("utf-16-le"),
    NOTICE.replace("\n", "\r\n").encode("utf-8"),
    NOTICE.replace("\n", "\r").encode("utf-8"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "crlf", "cr"])
def test_encodings_and_newlines(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(raw)
    assert read(path).text == NOTICE


def test_legacy_encoding_is_detected(tmp_path: Path) -> None:
    text = ("Privacy Policy\n\nWe process personal data about our customers in Århus and Køge, "
            "including names, addresses and phone numbers, so that we can deliver the goods you order "
            "and send you invoices. The data controller is Søren Æbelø ApS, Nørregade 12, København.\n") * 3
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252"))
    assert read(path).text == text


def test_undetectable_encoding(tmp_path: Path) -> None:
    path = tmp_path / "mojibake.txt"
    path.write_bytes(b"Privacy \xff\xfe\x81\x8d policy \x90\x9d\xc3\x28 " * 3)
    with pytest.raises(NoticeError, match=r"mojibake\.txt: is not valid UTF-8 text and its encoding could not be "
                                          r"detected; save it as UTF-8"):
        read(path)


# --- bad input ---------------------------------------------------------------------------------------------------

def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(NoticeError, match=r"empty\.txt: is empty; nothing to extract"):
        read(path)


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n  \n")
    with pytest.raises(NoticeError, match=r"blank\.txt: contains only whitespace; nothing to extract"):
        read(path)


@pytest.mark.parametrize("raw", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    bytes(range(1, 32)) * 40 + b"some text",
], ids=["nul-bytes", "control-characters"])
def test_binary_file(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(raw)
    with pytest.raises(NoticeError, match=r"image\.txt: looks binary, not a text notice; convert it to "
                                          r"\.txt/\.html/\.pdf"):
        read(path)


def test_stray_control_characters_in_text_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    text = "Privacy Policy\n\nWe collect\x0b your name\x01 and\x1b e-mail.\x0c\n"
    path.write_text(text, encoding="utf-8")
    assert read(path).text == text


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(int(57.3 * 2**20))  # sparse: nothing is written
    with pytest.raises(NoticeError, match=r"huge\.txt: is 57\.3 MB, over the 50 MB limit; split it or raise "
                                          r"--max-size"):
        read(path)


def test_max_bytes_can_be_raised_or_lowered(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE, encoding="utf-8")
    with pytest.raises(NoticeError, match="over the"):
        read(path, max_bytes=10)
    assert read(path, max_bytes=1000).text == NOTICE


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(NOTICE, encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(NoticeError, match=r"secret\.txt: cannot be read \(permission denied\)"):
        read(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match=r"nope\.txt: does not exist; check the path"):
        read(tmp_path / "nope.txt")
    with pytest.raises(NoticeError, match="is a folder"):
        read(tmp_path)


def test_html_without_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text("<html><head><script>app()</script></head><body><nav>Menu</nav></body></html>")
    with pytest.raises(NoticeError, match=r"shell\.html: holds no readable text"):
        read(path)


# --- finding notices ---------------------------------------------------------------------------------------------

def test_find_notices_expands_folders(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "c.html", "d.htm", "e.pdf", "f.markdown", ".hidden.txt", "a.meta.json",
                 "a.yaml", "notes.docx", "g.TXT"]:
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_text("x")
    found = find_notices([tmp_path])
    assert [p.name for p in found] == ["a.md", "b.txt", "c.html", "d.htm", "e.pdf", "f.markdown", "g.TXT"]


def test_find_notices_keeps_named_files_and_drops_duplicates(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    odd = tmp_path / "notice.data"
    odd.write_text("x")
    assert find_notices([odd, tmp_path, tmp_path / "a.txt"]) == [odd, tmp_path / "a.txt"]


def test_find_notices_in_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "a.meta.json").write_text("{}")
    with pytest.raises(NoNoticesError, match=r": no notices found \(\.txt, \.md, \.html, \.pdf\); point ropa at a "
                                             r"folder of notices") as err:
        find_notices([tmp_path])
    assert str(tmp_path) in str(err.value)


def test_find_notices_with_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match=r"missing: does not exist; check the path"):
        find_notices([tmp_path / "missing"])


def test_find_notices_on_the_sample_folder() -> None:
    assert find_notices([ROOT / "data" / "notices"]) == SAMPLES


# --- language ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["da.txt", "de.txt", "fr.txt", "nl.txt", "ru.txt", "zh.txt"])
def test_non_english_notices_get_a_warning(name: str) -> None:
    doc = read(FIXTURES / name)
    assert doc.warnings == [f"{name}: does not look like English (ropa extracts English notices only); "
                            "results will be poor"]


def test_english_and_short_texts_get_no_warning() -> None:
    assert from_text(NOTICE * 20, "en.txt").warnings == []
    assert from_text("Privatlivspolitik", "short.txt").warnings == []
