#!/usr/bin/env python3
"""Write the bad-input corpus of tests/data/bad/, and large inputs on demand.

Small files are committed (run this script to regenerate them after a change); the big ones
(a 50 MB text file, a page of 200,000 nested ``<div>`` elements, a million-row CSV) are written
into a temporary folder by the tests and the benchmarks through :func:`write_large_record`,
:func:`write_deep_html` and :func:`write_large_csv`, never committed. An unreadable file is made
at test time too (``chmod 000`` means nothing to root).

Hostile names: spreadsheet formulas (:data:`FORMULAS`, OWASP's CSV-injection examples) and
the control characters U+0001–U+001F (:data:`CONTROLS`) as project and implementer names, in
a record and in a project list; they are good documents, to be stored with their names as
they are.

Every EURA-like record here is invented: project codes S298xx and S299xx, made-up organisations and
people, texts written for these tests.

Usage::

    python scripts/make_bad_corpus.py            # (re)write tests/data/bad/
    python scripts/make_bad_corpus.py --large DIR  # also write the large files into DIR
    sotegraph build tests/data/bad DIR --store STORE  # every good document stored, exit 1

The large files are each refused alone by a build's default limits (text, HTML depth, file
size; see :class:`sotegraph.read.ReadLimits`), quickly and before extraction.
"""

from __future__ import annotations

import argparse
import io
import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"

# Valid Y-tunnus values (check digit computed with python-stdnum); invented, not looked up.
APPLICANT_ID = "2990001-0"
PARTNER_ID = "2990002-9"
OTHER_PARTNER_ID = "2990004-5"

SUMMARY = (
    "Hankkeessa kokeillaan kotihoidon etäkäyntejä kolmessa kunnassa. Työntekijät oppivat "
    "käyttämään kuvapuhelua, ja asiakkaiden kanssa sovitaan, mitkä käynnit sopivat "
    "etänä tehtäviksi. Kokeilun tulokset kootaan oppaaksi, jota muut kunnat voivat käyttää."
)


#: Names that a spreadsheet would run as formulas (a CSV cell starting with =, +, -, @).
FORMULAS = (
    '=HYPERLINK("http://x","klik")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
)
#: The C0 control characters U+0001–U+001F (tab, line feed and carriage return among them).
CONTROLS = "".join(chr(c) for c in range(0x01, 0x20))


def record(
    *,
    code: str = "S29901",
    name: str = "Etäkotihoito arjen tukena",
    period: str = "Alkaa 1.3.2019 ja päättyy 31.12.2021",
    applicant: str = "Keksityn Seudun Kehitys Oy",
    applicant_id: str = APPLICANT_ID,
    partners: tuple[str, str] = ("Mallilan kunta", "Koe, Testi ja Kumppanit Oy"),
    granted: str = "123 456",
    contact: bool = True,
    extra_section1: str = "",
) -> str:
    """Return an invented EURA project record in the EURA 2014 label layout."""
    contact_lines = (
        "Hankkeen yhteyshenkilön nimi: Outi Keksitty\n\n"
        "Yhteyshenkilön asema hakijaorganisaatiossa: projektipäällikkö\n\n"
        "Yhteyshenkilön sähköpostisoite: outi.keksitty(at)keksitty.example\n\n"
        "Yhteyshenkilön puhelinnumero: 040-1234567\n\n"
        if contact
        else ""
    )
    return (
        "Euroopan unioni\n\n"
        "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\n\n"
        "1 Hanke\n\n"
        f"Hankekoodi: {code}\n\n"
        f"Hankkeen nimi: {name}\n\n"
        "Toimintalinja: 5. Koulutus, ammattitaito ja elinikäinen oppiminen\n\n"
        "Erityistavoite: 10.3. Työelämän ja koulutuksen yhteyksien parantaminen\n\n"
        f"Suunnitelman mukainen toteutusaika: {period}\n\n"
        f"{extra_section1}"
        "Toiminnan tila: Toiminnassa\n\n"
        "Vastuuviranomainen: Keski-Suomen elinkeino-, liikenne- ja ympäristökeskus\n\n"
        "2 Hakijan perustiedot\n\n"
        f"Hakijan virallinen nimi: {applicant}\n\n"
        "Organisaatiotyyppi: Osakeyhtiö\n\n"
        f"Y-tunnus: {applicant_id}\n\n"
        "Postitoimipaikka: Jyväskylä\n\n"
        "WWW-osoite: https://keksitty.example\n\n"
        f"{contact_lines}"
        "Hakijoiden lukumäärä tai tuen siirto -menettely: "
        "Hakijoita on useampi kuin yksi (yhteishanke)\n\n"
        "Osatoteuttajat\n\n"
        f"{partners[0]}, {PARTNER_ID}\n"
        f"{partners[1]}, {OTHER_PARTNER_ID}\n\n"
        "3 Suunnitelman mukainen tiivistelmä toteutuksesta\n\n"
        f"{SUMMARY}\n\n"
        "4 Hankkeen kohderyhmät\n\n"
        "Kotihoidon työntekijät ja esihenkilöt sekä heidän asiakkaansa.\n\n"
        "5 Projektin julkinen rahoitus, euroa\n\n"
        f"Myönnetty EU- ja valtion rahoitus: {granted}\n\n"
        "Toteutunut EU- ja valtion rahoitus: 98 765\n\n"
        "Suunniteltu julkinen rahoitus yhteensä: 150 000\n\n"
        "Toteutunut julkinen rahoitus yhteensä: 120 500\n\n"
        "6 Maantieteellinen kohdealue\n\n"
        "Maakunnat: Keski-Suomi\n\n"
        "Seutukunnat: Jyväskylän\n\n"
        "Kunnat: Jyväskylä, Muurame\n"
    )


def _truncated() -> str:
    text = record(code="S29903", name="Katkennut tietue")
    cut = text.index("Alkaa 1.3.2019 ja päättyy") + len("Alkaa 1.3.2019 ja pää")
    return text[:cut]


def _duplicated() -> str:
    return record(
        code="S29904",
        name="Kahdesti nimetty hanke",
        extra_section1="Hankkeen nimi: Toinen nimi samalle hankkeelle\n\n",
    )


def _labels_without_values() -> str:
    text = record(code="S29905", name="Tyhjät kentät")
    text = text.replace(
        "Toimintalinja: 5. Koulutus, ammattitaito ja elinikäinen oppiminen", "Toimintalinja:"
    )
    return text.replace("Toiminnan tila: Toiminnassa", "Toiminnan tila:   ")


def _formula_record() -> str:
    return record(
        code="S29910",
        name=FORMULAS[0],
        applicant=FORMULAS[1],
        partners=(FORMULAS[2], FORMULAS[3]),
    )


def _control_record() -> str:
    # a few control characters only: a text with many is binary data (refused as such)
    return record(
        code="S29911",
        name="Ohjaus\x01merkit\x07nimessä\x08",
        applicant="Pääte\x1b[31mpunainen\x1b[0m Oy",
        partners=("Mallilan\x0e kunta\x0f", "Koe, Testi ja Kumppanit Oy"),
    )


def _csv_cell(value: str) -> str:
    """A CSV cell, quoted as RFC 4180 quotes (commas, quotes and line breaks inside)."""
    if any(c in value for c in ',"\r\n') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def _bulk_csv(rows: list[tuple[str, str, str]]) -> str:
    """A project list in the 2014 layout: ``(code, project name, implementer)`` rows."""
    lines = [BULK_HEADER]
    for i, (code, name, implementer) in enumerate(rows):
        granted = 10_000 + 1000 * i
        cells = [
            code,
            "ESR",
            name,
            "5",
            "Keski-Suomen elinkeino-  liikenne- ja ympäristökeskus",
            "Toiminnassa",
            "1.3.2016",
            "31.12.2018",
            implementer,
            str(granted),
            str(granted // 2),
            str(granted + 1000),
            str(granted // 2 + 500),
        ]
        lines.append(",".join(_csv_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def _formula_list() -> str:
    return _bulk_csv(
        [(f"S2993{i}", f, f) for i, f in enumerate(FORMULAS)]
        + [("S29939", "Tavallinen hanke", "Keksityn Seudun Kehitys Oy")]
    )


def _control_list() -> str:
    # a row for each control character, in the project's name (odd rows) or the implementer's
    # (even rows); the names are long enough that the few control characters do not make the
    # text look like binary data
    rows = []
    for c in map(ord, CONTROLS):
        name = f"Hankkeen {c:02d} nimi, jossa on ohjausmerkki{chr(c)}keskellä pitkää nimeä"
        implementer = f"Toteuttajan {c:02d} kehitysyhtiö{chr(c)} Oy"
        if c % 2:
            rows.append((f"S298{c:02d}", name, implementer.replace(chr(c), "")))
        else:
            rows.append((f"S298{c:02d}", name.replace(chr(c), ""), implementer))
    return _bulk_csv(rows)


def _minimal_zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            # a fixed timestamp, so that the file is the same on every run
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


def small_files() -> dict[str, bytes]:
    """Return the committed bad-input files: name -> bytes."""
    rng = random.Random(9)
    binary = bytes(rng.randrange(256) for _ in range(2048))
    return {
        "ok_record.txt": record().encode("utf-8"),
        "ok_record_cp1252.txt": record(
            code="S29902", name="Hyvinvointia yhdessä – kokeilu", contact=False
        ).encode("cp1252"),
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\n   \r\n\n",
        "binary.txt": b"\x00\x01\x02\x03" + binary,
        "image_named_txt.txt": b"\x89PNG\r\n\x1a\n" + binary[:200],
        "truncated_record.txt": _truncated().encode("utf-8"),
        "duplicated_fields.txt": _duplicated().encode("utf-8"),
        "labels_without_values.txt": _labels_without_values().encode("utf-8"),
        "bad_amount.txt": record(code="S29906", name="Rikkinäinen summa", granted="12 3x4").encode(
            "utf-8"
        ),
        "bad_date.txt": record(
            code="S29907", name="Olematon päivä", period="Alkaa 31.2.2020 ja päättyy 31.12.2021"
        ).encode("utf-8"),
        "end_before_start.txt": record(
            code="S29908", name="Takaperoinen hanke", period="Alkaa 1.6.2021 ja päättyy 31.12.2019"
        ).encode("utf-8"),
        "bad_ytunnus.txt": record(
            code="S29909", name="Väärä tarkiste", applicant_id="2990001-1"
        ).encode("utf-8"),
        "formula_names.txt": _formula_record().encode("utf-8"),
        "formula_names.csv": _formula_list().encode("utf-8"),
        "control_names.txt": _control_record().encode("utf-8"),
        "control_names.csv": _control_list().encode("utf-8"),
        "unsupported.docx": _minimal_zip(
            {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
        ),
        "unsupported.xlsx": _minimal_zip(
            {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}
        ),
    }


def write_small(folder: Path = BAD) -> list[Path]:
    """Write the committed bad-input files into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in small_files().items():
        path = folder / name
        path.write_bytes(data)
        out.append(path)
    return out


def write_large_record(path: Path, megabytes: int = 50) -> Path:
    """Write an EURA record of about ``megabytes`` MB (an enormous summary section).

    Written line by line, so writing it needs little memory.
    """
    target = megabytes * 1024 * 1024
    head = record(code="S29990", name="Valtavan pitkä kuvaus")
    cut = head.index("4 Hankkeen kohderyhmät")
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(head[:cut])
        written = len(head[:cut].encode("utf-8"))
        n = 0
        while written < target:
            n += 1
            line = f"Kappale {n}: {SUMMARY}\n\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
        fh.write(head[cut:])
    return path


def write_deep_html(path: Path, depth: int = 200_000) -> Path:
    """Write an HTML page of ``depth`` nested ``<div>`` elements (11 bytes a level) with a
    sentence at the bottom: 2.2 MB for 200,000 levels."""
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("<!DOCTYPE html>\n<html><head><title>Syvä sivu</title></head><body>\n")
        fh.write("<div>" * depth)
        fh.write("Keksityn Seudun Kehitys Oy hallinnoi hanketta.")
        fh.write("</div>" * depth)
        fh.write("\n</body></html>\n")
    return path


BULK_HEADER = (
    "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
    "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä"
)


def bulk_rows(rows: int, *, seed: int = 7) -> Iterator[str]:
    """Yield invented rows in the EURA 2014 bulk-list layout (the header first)."""
    rng = random.Random(seed)
    towns = ["Jyväskylä", "Mallila", "Koekylä", "Testilä", "Esimerkkilä"]
    yield BULK_HEADER
    for i in range(rows):
        # a letter and six digits: unique for up to a million rows (the bulk reader accepts
        # one to three letters and 3-12 digits; EURA's own codes have five)
        code = f"{'SA'[i % 2]}{i:06d}"
        granted = rng.randrange(10_000, 2_000_000)
        yield (
            f"{code},{'EAKR' if code[0] == 'A' else 'ESR'},Keksitty hanke {i},{1 + i % 5},"
            f"Keski-Suomen elinkeino-  liikenne- ja ympäristökeskus,Toiminnassa,"
            f"1.{1 + i % 12}.2016,31.12.2018,{towns[i % 5]}n kehitys {i % 977} Oy,"
            f"{granted},{granted // 2},{granted + 1000},{granted // 2 + 500}"
        )


def write_large_csv(path: Path, rows: int = 1_000_000) -> Path:
    """Write a bulk CSV of ``rows`` invented project rows, streaming."""
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for line in bulk_rows(rows):
            fh.write(line)
            fh.write("\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=Path, help="also write the large files into this folder")
    args = parser.parse_args()
    for path in write_small():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    if args.large:
        args.large.mkdir(parents=True, exist_ok=True)
        for path in (
            write_large_record(args.large / "large_record.txt"),
            write_deep_html(args.large / "deep_200000.html"),
            write_large_csv(args.large / "million_rows.csv"),
        ):
            print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
