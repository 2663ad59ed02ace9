"""The language of a document: Finnish by default, Swedish when Swedish words clearly win.

Every text is written for these tests (none is copied from a corpus).
"""

from __future__ import annotations

import pytest

from sotegraph.errors import UsageError
from sotegraph.read import Document, read_document
from sotegraph.read.documents import LANGUAGE_CHARS, detect_language

FINNISH = (
    "Hanketta hallinnoi Vaasan kaupunki, ja osatoteuttajana on Novia. Hanke toteutetaan "
    "vuosina 2024–2026 yhteistyössä alueen järjestöjen kanssa."
)
SWEDISH = (
    "Projektet koordineras av Vasa stad och genomförs i samarbete med Novia. Det pågår "
    "åren 2024–2026 och finansieras av ministeriet."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (FINNISH, "fi"),
        (SWEDISH, "sv"),
        # short texts
        ("Projektet leds av Jakobstads stad.", "sv"),
        ("Hanketta johtaa Pietarsaaren kaupunki.", "fi"),
        ("Vasa stad och Novia", "sv"),
        ("Koe", "fi"),
        ("", "fi"),
        ("2024–2026", "fi"),
        # English has no evidence either way: the default
        ("The project is run by the city.", "fi"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_finnish_page_with_a_swedish_summary_is_finnish() -> None:
    text = FINNISH + "\n\n" + FINNISH + "\n\nSammandrag på svenska:\n" + SWEDISH
    assert detect_language(text) == "fi"


def test_swedish_page_with_finnish_menu_and_names_is_swedish() -> None:
    text = (
        "Till innehållet | Suomeksi | På svenska\n\nPohjanmaan hyvinvointialue\n\n"
        + SWEDISH
        + " Soite och Pohjanmaan liitto deltar också i arbetet."
    )
    assert detect_language(text) == "sv"


def test_swedish_names_in_a_finnish_text_do_not_make_it_swedish() -> None:
    text = "Hankkeessa ovat mukana Åbo Akademi, Yrkeshögskolan Novia ja Närpes stad."
    assert detect_language(text) == "fi"


def test_only_the_head_is_read() -> None:
    text = SWEDISH + " " * LANGUAGE_CHARS + FINNISH * 20
    assert detect_language(text) == "sv"


def test_document_language_is_detected_and_can_be_given() -> None:
    assert Document.from_text(FINNISH).language == "fi"
    assert Document.from_text(SWEDISH).language == "sv"
    assert Document.from_text(FINNISH, language="sv").language == "sv"
    with pytest.raises(UsageError, match="unknown document language"):
        Document.from_text(FINNISH, language="de")


def test_document_without_language_defaults_to_finnish() -> None:
    d = Document(id="x", source="s", genre=Document.from_text("x").genre, text="x")
    assert d.language == "fi"


def test_read_document_sets_the_language(tmp_path) -> None:
    p = tmp_path / "sida.txt"
    p.write_text(SWEDISH, encoding="utf-8")
    assert read_document(p).language == "sv"
    assert read_document(p, language="fi").language == "fi"
