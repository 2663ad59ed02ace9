"""Input formats people have: encodings, line endings, HTML pages, PDF files, the rest."""

from __future__ import annotations

import codecs
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from sotegraph.errors import InputError, UnsupportedFormatError
from sotegraph.extract.eura import parse_eura
from sotegraph.facts import Role
from sotegraph.read import (
    Document,
    Genre,
    decode_text,
    html_to_text,
    normalise_text,
    pdf_to_text,
    read_document,
    sniff_format,
)

TEXT_EXPECTED = "UTF-8, UTF-16 or Windows-1252/ISO-8859-1 text"

# An invented record in the EURA label layout, with every Finnish letter and (for cp1252) €.
RECORD = (
    "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\n\n"
    "1 Hanke\n\n"
    "Hankekoodi: S29920\n\n"
    "Hankkeen nimi: Ääniä ja öitä – Åbo-yhteistyö\n\n"
    "Suunnitelman mukainen toteutusaika: Alkaa 1.9.2019 ja päättyy 31.8.2021\n\n"
    "Toiminnan tila: Toiminnassa\n\n"
    "2 Hakijan perustiedot\n\n"
    "Hakijan virallinen nimi: Öljymäen Älykoti Oy\n\n"
    "Y-tunnus: 2990001-0\n\n"
    "Postitoimipaikka: Äänekoski\n\n"
    "3 Suunnitelman mukainen tiivistelmä toteutuksesta\n\n"
    "Hankkeen kohderyhmä on ikääntyneet; ÄÖÅ äöå säilyvät oikein.\n\n"
    "5 Projektin julkinen rahoitus, euroa\n\n"
    "Myönnetty EU- ja valtion rahoitus: 45 600\n"
)
EURO_LINE = "Omarahoitus on 5 000 € (arvio) – lopullinen summa vahvistetaan ”myöhemmin”.\n"


def _check_record(text: str) -> None:
    facts = parse_eura(Document.from_text(text, source="x.txt"))
    (project,) = facts.projects
    assert project.code == "S29920"
    # the single-byte code pages without an en dash get a hyphen instead
    assert project.name in {"Ääniä ja öitä – Åbo-yhteistyö", "Ääniä ja öitä - Åbo-yhteistyö"}
    lead = facts.organisations_with_role("S29920", Role.LEAD)
    assert [o.name for o in lead] == ["Öljymäen Älykoti Oy"]
    assert lead[0].postal_town == "Äänekoski"


ENCODINGS: list[tuple[str, Callable[[str], bytes], str]] = [
    # (name, encode function, expected reported encoding)
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("utf-16 LE BOM", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE BOM", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    ("utf-16 LE no BOM", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16 BE no BOM", lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("utf-32 BOM", lambda t: t.encode("utf-32"), "utf-32"),
    ("cp1252 with euro", lambda t: (t + EURO_LINE).encode("cp1252"), "cp1252"),
    ("iso-8859-1", lambda t: t.replace("–", "-").encode("iso-8859-1"), "iso-8859-1"),
    ("cp850 (DOS)", lambda t: t.replace("–", "-").encode("cp850"), "cp850"),
    ("mac_roman", lambda t: (t + EURO_LINE).encode("mac_roman"), "mac_roman"),
]


@pytest.mark.parametrize(("label", "encode", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_encodings_read_right(
    tmp_path: Path, label: str, encode: Callable[[str], bytes], encoding: str
) -> None:
    path = tmp_path / "record.txt"
    data = encode(RECORD)
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.encoding == encoding, label
    assert doc.genre is Genre.EURA_RECORD
    assert "ÄÖÅ äöå säilyvät oikein" in doc.text
    assert "\ufffd" not in doc.text
    if "euro" in label or label == "mac_roman":
        assert "5 000 €" in doc.text
        assert "”myöhemmin”" in doc.text
    _check_record(doc.text)


def test_same_text_same_id_across_encodings(tmp_path: Path) -> None:
    ids = set()
    for name, encode, _ in ENCODINGS[:7]:
        path = tmp_path / f"{name.replace(' ', '_')}.txt"
        path.write_bytes(encode(RECORD))
        ids.add(read_document(path).id)
    assert len(ids) == 1


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"], ids=["windows", "old-mac", "unix"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "record.txt"
    text = RECORD.replace("Y-tunnus: 2990001-0", "Y-tunnus: 2990001-1")
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    doc = read_document(path)
    assert "\r" not in doc.text
    assert doc.text == normalise_text(text)
    facts = parse_eura(doc)
    # warnings count lines the same whatever the line ends were
    (warning,) = [w for w in facts.warnings if "Y-tunnus" in w.message]
    assert warning.line == 17
    assert doc.text.split("\n")[warning.line - 1] == "Y-tunnus: 2990001-1"


def test_mixed_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"Hankekoodi: S29921\r\nHankkeen nimi: Sekalaiset\rToiminnan tila: Valmis\n")
    assert read_document(path).text.split("\n")[:3] == [
        "Hankekoodi: S29921",
        "Hankkeen nimi: Sekalaiset",
        "Toiminnan tila: Valmis",
    ]


def test_double_encoded_utf8_is_repaired() -> None:
    broken = RECORD.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    text, encoding = decode_text(broken)
    assert encoding == "utf-8 (double-encoded)"
    assert "Ääniä ja öitä" in text


def test_utf8_with_stray_cp1252_bytes() -> None:
    data = RECORD.encode("utf-8") + "Lisäys: väärä koodaus\n".encode("cp1252")
    text, encoding = decode_text(data)
    assert encoding == "utf-8+cp1252"
    assert "Ääniä ja öitä" in text
    assert "Lisäys: väärä koodaus" in text


def test_undecidable_bytes_are_refused_not_guessed() -> None:
    rng = random.Random(3)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(400))
    with pytest.raises(InputError) as info:
        decode_text(b"Hankekoodi: S29922\n" + noise, source="noise.txt")
    assert str(info.value).startswith("noise.txt:2: cannot tell the text encoding: not UTF-8")
    assert "save the file as UTF-8" in str(info.value)


def test_truncated_utf16_is_a_clear_error() -> None:
    data = codecs.BOM_UTF16_LE + "Hankekoodi: S29923\n".encode("utf-16-le") + b"H"
    with pytest.raises(InputError) as info:
        decode_text(data, source="cut.txt")
    assert str(info.value) == (
        "cut.txt: UTF-16-LE text is cut off in the middle of a character (39 bytes is not a "
        "multiple of 2) (expected complete UTF-16-LE text)"
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "PDF document"),
        (b"PK\x03\x04\x14\x00", "ZIP archive (e.g. .docx, .xlsx, .odt)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "OLE document (e.g. .doc, .xls)"),
        (b"\x1f\x8b\x08\x00", "gzip archive"),
    ],
)
def test_binary_formats_with_a_text_suffix(tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "looks_like.txt"
    path.write_bytes(data + bytes(range(256)))
    assert sniff_format(data) == kind
    with pytest.raises(InputError) as info:
        read_document(path)
    assert str(info.value).startswith(f"{path}: binary data ({kind}), not text (expected ")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".odt", ".rtf", ".json", ".doc"])
def test_unsupported_formats_name_the_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"hankekuvaus{suffix}"
    path.write_bytes(b"PK\x03\x04 whatever")
    with pytest.raises(UnsupportedFormatError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"{path}: unsupported format '{suffix}' (expected one of ")
    assert ".pdf" in message
    assert ".html" in message


# -- HTML ---------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="fi"><head><meta charset="{charset}"><title>Hankekuvaus</title>
<style>body {{ color: red }}</style>
<script>var seuranta = "ÄLÄ NÄYTÄ";</script></head>
<body>
<header><a href="/">Etusivu</a> | <a href="/haku">Haku</a></header>
<nav><ul><li>Valikko 1</li><li>Valikko 2</li></ul></nav>
<div role="navigation">Murupolku &gt; Hankkeet</div>
<main>
<h1>Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus</h1>
<h2>1 Hanke</h2>
<table>
<tr><th>Hankekoodi</th><td>S29920</td></tr>
<tr><th>Hankkeen nimi:</th><td>Ääniä ja öitä &ndash; Åbo-yhteistyö</td></tr>
<tr><th>Suunnitelman mukainen toteutusaika</th><td>Alkaa 1.9.2019 ja päättyy 31.8.2021</td></tr>
</table>
<h2>2 Hakijan perustiedot</h2>
<dl><dt>Hakijan virallinen nimi</dt><dd>Öljymäen Älykoti Oy</dd>
<dt>Postitoimipaikka</dt><dd>Äänekoski</dd></dl>
<p>Hankkeen kohderyhmä on ikääntyneet;<br>ÄÖÅ äöå säilyvät oikein.</p>
</main>
<aside>Mainos</aside>
<footer>© Keksitty sivusto <script>document.write("x")</script></footer>
<noscript>Ota JavaScript käyttöön</noscript>
</body></html>
"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1252"])
def test_html_page(tmp_path: Path, charset: str) -> None:
    path = tmp_path / "hanke.html"
    encoding = "cp1252" if charset == "windows-1252" else "utf-8"
    path.write_bytes(PAGE.format(charset=charset).encode(encoding))
    doc = read_document(path)
    for dropped in (
        "ÄLÄ NÄYTÄ",
        "Valikko",
        "Etusivu",
        "Murupolku",
        "Mainos",
        "color",
        "JavaScript",
    ):
        assert dropped not in doc.text, dropped
    assert "Keksitty sivusto" not in doc.text
    assert doc.genre is Genre.EURA_RECORD
    lines = doc.text.split("\n")
    assert "Hankekoodi: S29920" in lines
    assert "Hankkeen nimi: Ääniä ja öitä – Åbo-yhteistyö" in lines
    assert "Hakijan virallinen nimi: Öljymäen Älykoti Oy" in lines
    assert "ÄÖÅ äöå säilyvät oikein." in lines
    _check_record(doc.text)


def test_html_without_body_and_entities() -> None:
    assert html_to_text("Hankekoodi: S29920 &amp; muuta") == "Hankekoodi: S29920 & muuta"
    assert html_to_text("<html><script>only()</script></html>") == ""


# -- PDF ----------------------------------------------------------------------------------------


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages: list[list[tuple[int, int, str]]]) -> bytes:
    """Write a minimal PDF: Helvetica with WinAnsiEncoding, text at (x, y) positions."""
    font_id = 3 + 2 * len(pages)
    objects: list[tuple[int, bytes]] = []
    kids = []
    for i, items in enumerate(pages):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        kids.append(page_id)
        stream = b"".join(
            b"BT /F1 10 Tf 1 0 0 1 %d %d Tm (" % (x, y) + _pdf_string(t) + b") Tj ET\n"
            for x, y, t in items
        )
        objects.append(
            (
                page_id,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (font_id, content_id),
            )
        )
        objects.append(
            (content_id, b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        )
    objects.append((1, b"<< /Type /Catalog /Pages 2 0 R >>"))
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects.append((2, b"<< /Type /Pages /Kids [" + kid_refs + b"] /Count %d >>" % len(kids)))
    objects.append(
        (
            font_id,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        )
    )
    objects.sort()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num, body in objects:
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    size = max(offsets) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _two_column_pages() -> list[list[tuple[int, int, str]]]:
    """A record laid out as EURA prints it: labels left, values right, long labels wrapped."""
    page1 = [
        (50, 800, "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus"),
        (50, 780, "1 Hanke"),
        (50, 760, "Hankekoodi:"),
        (250, 760, "S29920"),
        (50, 745, "Hankkeen nimi:"),
        (250, 745, "Ääniä ja öitä – Åbo-yhteistyö"),
        (50, 730, "Suunnitelman mukainen"),
        (250, 730, "Alkaa 1.9.2019 ja päättyy 31.8.2021"),
        (50, 720, "toteutusaika:"),
        (50, 700, "Toiminnan tila:"),
        (250, 700, "Toiminnassa"),
        (50, 40, "Tulostettu 1.1.2022"),
        (500, 40, "Sivu 1 / 2"),
    ]
    page2 = [
        (50, 800, "2 Hakijan perustiedot"),
        (50, 780, "Hakijan virallinen nimi:"),
        (250, 780, "Öljymäen Älykoti Oy"),
        (50, 765, "Postitoimipaikka:"),
        (250, 765, "Äänekoski"),
        (50, 745, "5 Projektin julkinen rahoitus, euroa"),
        (50, 725, "Myönnetty EU- ja valtion"),
        (250, 725, "45 600"),
        (50, 715, "rahoitus:"),
        (50, 40, "Tulostettu 1.1.2022"),
        (500, 40, "Sivu 2 / 2"),
    ]
    return [page1, page2]


def test_pdf_two_columns_rejoined(tmp_path: Path) -> None:
    path = tmp_path / "hanke.pdf"
    path.write_bytes(make_pdf(_two_column_pages()))
    doc = read_document(path)
    assert doc.encoding == "pdf"
    assert doc.genre is Genre.EURA_RECORD
    lines = doc.text.split("\n")
    assert "Hankekoodi: S29920" in lines
    assert "Suunnitelman mukainen toteutusaika: Alkaa 1.9.2019 ja päättyy 31.8.2021" in lines
    assert "Myönnetty EU- ja valtion rahoitus: 45 600" in lines
    # the footer repeated on every page and the page numbers are gone
    assert "Tulostettu" not in doc.text
    assert "Sivu" not in doc.text
    facts = parse_eura(doc)
    (project,) = facts.projects
    assert project.name == "Ääniä ja öitä – Åbo-yhteistyö"
    assert str(project.start) == "2019-09-01"
    assert project.granted_eu_state is not None
    assert int(project.granted_eu_state) == 45600
    assert [str(w) for w in facts.warnings if "toteutusaika" in w.message.lower()] == []


def test_pdf_plain_extraction_interleaves(tmp_path: Path) -> None:
    """What pypdf's plain extraction gives for a wrapped label (documented for the parser)."""
    pypdf = pytest.importorskip("pypdf")
    import io

    reader = pypdf.PdfReader(io.BytesIO(make_pdf(_two_column_pages())))
    plain = reader.pages[0].extract_text()
    assert "Suunnitelman mukainen Alkaa 1.9.2019 ja päättyy 31.8.2021\ntoteutusaika:" in plain


def test_broken_and_empty_pdfs(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(InputError) as info:
        read_document(broken)
    assert str(info.value).startswith(f"{broken}: not a readable PDF")
    assert str(info.value).endswith("(expected a PDF file)")

    blank = tmp_path / "scan.pdf"
    blank.write_bytes(make_pdf([[], []]))
    with pytest.raises(InputError) as info:
        read_document(blank)
    assert str(info.value) == (
        f"{blank}: PDF has no text layer (2 page(s) of images?) "
        "(expected a PDF with text (scanned PDFs need OCR first))"
    )


def test_pdf_to_text_truncated_file() -> None:
    data = make_pdf(_two_column_pages())
    with pytest.raises(InputError) as info:
        pdf_to_text(data[: len(data) // 3], source="cut.pdf")
    assert str(info.value).startswith("cut.pdf: ")


def test_c1_controls_in_utf8_are_cp1252_punctuation() -> None:
    # cp1252 bytes once decoded as ISO-8859-1 and saved as UTF-8: "\x80" for "€", "\x96" for "–"
    data = "Summa 5 000 € – arvio".encode("cp1252").decode("latin-1").encode("utf-8")
    assert decode_text(data) == (
        "Summa 5 000 € – arvio",
        "utf-8 (cp1252 punctuation repaired)",
    )
