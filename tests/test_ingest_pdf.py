"""PDF ingestion: the pypdf text layer, pages joined by a blank line, clear errors for scans and passwords."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from ropa.errors import NoticeError
from ropa.ingest import PDF, read
from ropa.model import HEADING, PARAGRAPH


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF written by hand: one Helvetica text line per string, one page per list."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    kids = []
    for n, lines in enumerate(pages):
        page, content = 4 + 2 * n, 5 + 2 * n
        shown = [b"(" + _pdf_string(line) + b") Tj T*" for line in lines]
        stream = b"\n".join([b"BT /F1 11 Tf 72 720 Td 14 TL", *shown, b"ET"])
        objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        objects[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                         b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
        kids.append(b"%d 0 R" % page)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return _assemble(objects)


def _pdf_string(line: str) -> bytes:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")


def _assemble(objects: dict[int, bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref, size = out.tell(), max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    out.write(b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size)))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def _encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PAGES = [
    ["Privacy Policy", "We collect your name (and e-mail) to answer you.", "Data Controller"],
    ["Your rights", "You may complain to the Danish Data Protection Agency."],
]


def test_pdf_text_layer_and_structure(tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    data = make_pdf(PAGES)
    path.write_bytes(data)
    doc = read(path)
    assert doc.media_type == PDF
    assert doc.text == ("Privacy Policy\nWe collect your name (and e-mail) to answer you.\nData Controller\n\n"
                        "Your rights\nYou may complain to the Danish Data Protection Agency.")
    assert [(b.kind, doc.block_text(b)) for b in doc.blocks] == [
        (HEADING, "Privacy Policy"),
        (PARAGRAPH, "We collect your name (and e-mail) to answer you."),
        (HEADING, "Data Controller"),
        (HEADING, "Your rights"),
        (PARAGRAPH, "You may complain to the Danish Data Protection Agency."),
    ]
    assert doc.source == "notice.pdf" and len(doc.sha256) == 64


def test_pdf_is_recognised_by_content_whatever_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(make_pdf(PAGES))
    assert read(path).media_type == PDF


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as f:
        writer.write(f)
    with pytest.raises(NoticeError, match=r"scan\.pdf: no text layer found; run OCR first \(e\.g\. ocrmypdf\)"):
        read(path)


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted(make_pdf(PAGES), "secret"))
    with pytest.raises(NoticeError, match=r"locked\.pdf: is an encrypted PDF; remove the password"):
        read(path)


def test_pdf_with_owner_password_only_is_read(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    path.write_bytes(_encrypted(make_pdf(PAGES), ""))
    assert read(path).text.startswith("Privacy Policy\n")


def test_broken_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(NoticeError, match=r"broken\.pdf: "):
        read(path)
