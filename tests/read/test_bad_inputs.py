"""The bad-input corpus (tests/data/bad/, made by scripts/make_bad_corpus.py).

Each bad file ends in an exact message naming the file, the line and what was expected; the
rest of its document and the rest of the batch go on; ``sotegraph build`` over the folder
exits 1 with a summary and the store holds every good document.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bad_corpus import load_corpus_script
from sotegraph.errors import InputError, UnsupportedFormatError
from sotegraph.read import read_document

ROOT = Path(__file__).resolve().parents[2]
BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
AMOUNT_EXPECTED = "digits with optional thousands spaces and decimals, e.g. 208 856 or 190859.38"
TEXT_EXPECTED = "UTF-8, UTF-16 or Windows-1252/ISO-8859-1 text"
SUFFIXES = ".csv, .htm, .html, .md, .pdf, .text, .tsv, .txt, .xhtml"


# file -> (exception class, message without the "file:" prefix)
READ_FAILURES: dict[str, tuple[type[InputError], str]] = {
    "empty.txt": (InputError, "1: file is empty (no text) (expected some text)"),
    "whitespace.txt": (InputError, "1: file holds only whitespace, no text (expected some text)"),
    "binary.txt": (InputError, f"binary data, not text (expected {TEXT_EXPECTED})"),
    "image_named_txt.txt": (
        InputError,
        f"binary data (PNG image), not text (expected {TEXT_EXPECTED})",
    ),
    "unsupported.docx": (
        UnsupportedFormatError,
        f"unsupported format '.docx' (expected one of {SUFFIXES})",
    ),
    "unsupported.xlsx": (
        UnsupportedFormatError,
        f"unsupported format '.xlsx' (expected one of {SUFFIXES})",
    ),
}

# file -> (project code, exact warnings as "line: message (expected …)")
WARNINGS: dict[str, tuple[str, list[str]]] = {
    "bad_amount.txt": (
        "S29906",
        [
            "58: Myönnetty EU- ja valtion rahoitus: not an amount: '12 3x4' "
            f"(expected {AMOUNT_EXPECTED})"
        ],
    ),
    "bad_date.txt": (
        "S29907",
        [
            "15: start date: no such date: '31.2.2020' "
            "(expected a real day as d.m.yyyy, e.g. 28.2.2020)"
        ],
    ),
    "end_before_start.txt": (
        "S29908",
        [
            "15: the project ends (31.12.2019) before it starts (01.06.2021) "
            "(expected an end date on or after the start date)"
        ],
    ),
    "bad_ytunnus.txt": (
        "S29909",
        [
            "27: Y-tunnus 2990001-1 has an invalid check digit (it is not used to identify the "
            "organisation) (expected check digit 0 for 2990001)"
        ],
    ),
    "duplicated_fields.txt": (
        "S29904",
        [
            "17: field 'Hankkeen nimi' is given twice (lines 9 and 17) with different values; "
            "the first value is kept (expected each field once)"
        ],
    ),
    "labels_without_values.txt": (
        "S29905",
        [
            "11: 'Toimintalinja' has no value (expected a value after 'Toimintalinja:')",
            "17: 'Toiminnan tila' has no value (expected a value after 'Toiminnan tila:')",
        ],
    ),
    "truncated_record.txt": (
        "S29903",
        [
            "15: planned period 'Alkaa 1.3.2019 ja pää' not understood "
            "(expected 'Alkaa d.m.yyyy ja päättyy d.m.yyyy')",
            "15: the record ends in section 1 (Hanke); sections 2–9 are missing "
            "(expected the sections of an EURA project description)",
            # no line: the record stops before section 2
            "no applicant (Hakijan virallinen nimi) (expected a line 'Hakijan virallinen nimi: …')",
        ],
    ),
}
GOOD = {"ok_record.txt": "S29901", "ok_record_cp1252.txt": "S29902"}


def _hostile() -> dict[str, dict[str, str]]:
    """Good documents with hostile names: file -> {project code: its name as read}.

    Spreadsheet formulas and control characters are names like any other: kept as they are
    (a project list's ``|`` is the comma the raw export replaced, restored by the reader;
    a carriage return is a line end, normalised to ``\\n`` as in any text).
    """
    script = load_corpus_script()
    formulas = script.FORMULAS
    controls = {}
    for c in range(0x01, 0x20):
        name = f"Hankkeen {c:02d} nimi, jossa on ohjausmerkki{chr(c)}keskellä pitkää nimeä"
        controls[f"S298{c:02d}"] = (name if c % 2 else name.replace(chr(c), "")).replace("\r", "\n")
    return {
        "formula_names.txt": {"S29910": formulas[0]},
        "formula_names.csv": {
            **{f"S2993{i}": f.replace("|", ", ") for i, f in enumerate(formulas)},
            "S29939": "Tavallinen hanke",
        },
        "control_names.txt": {"S29911": "Ohjaus\x01merkit\x07nimessä\x08"},
        "control_names.csv": controls,
    }


HOSTILE = _hostile()
#: project lists warn that their snapshot date is unknown and sum up their rows
LISTS = {name for name in HOSTILE if name.endswith(".csv")}


def test_corpus_matches_its_generator() -> None:
    """The committed files are exactly what scripts/make_bad_corpus.py writes."""
    script = load_corpus_script()
    expected = script.small_files()
    on_disk = {p.name for p in BAD.iterdir() if p.is_file()}
    assert on_disk == set(expected), "run python scripts/make_bad_corpus.py"
    for name, data in expected.items():
        assert (BAD / name).read_bytes() == data, f"{name} is stale: rerun the script"
    assert set(READ_FAILURES) | set(WARNINGS) | set(GOOD) | set(HOSTILE) == set(expected)


@pytest.mark.parametrize("name", sorted(READ_FAILURES))
def test_unreadable_files_have_exact_messages(name: str) -> None:
    cls, message = READ_FAILURES[name]
    path = BAD / name
    with pytest.raises(cls) as info:
        read_document(path)
    assert type(info.value) is cls
    sep = ":" if message[0].isdigit() else ": "
    assert str(info.value) == f"{path}{sep}{message}"
    assert info.value.file == str(path)


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_bad_records_warn_exactly_and_keep_the_rest(name: str) -> None:
    from sotegraph.extract.eura import parse_eura

    code, expected = WARNINGS[name]
    path = BAD / name
    facts = parse_eura(read_document(path))
    got = [str(w) for w in facts.warnings]
    want = [f"{path}:{w}" if w[0].isdigit() else f"{path}: {w}" for w in expected]
    assert got == want
    for w in facts.warnings:
        assert w.source == str(path)
        assert w.expected, f"warning without what was expected: {w}"
    # the rest of the document is still extracted
    (project,) = facts.projects
    assert project.code == code
    assert project.name
    if name != "truncated_record.txt":
        assert project.realised_eu_state is not None
        assert int(project.realised_eu_state) == 98765
        assert any(o.name == "Mallilan kunta" for o in facts.organisations)
        assert project.summary
        assert "etäkäyntejä" in project.summary


def test_good_records_have_no_warnings() -> None:
    from sotegraph.extract.eura import parse_eura

    for name, code in GOOD.items():
        facts = parse_eura(read_document(BAD / name))
        assert [str(w) for w in facts.warnings] == []
        assert [p.code for p in facts.projects] == [code]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_names_are_read_as_they_are(name: str) -> None:
    """Formulas and control characters in names neither stop extraction nor get lost."""
    from sotegraph.extract import extract

    facts = extract(read_document(BAD / name), use_nlp=False)
    assert {p.code: p.name for p in facts.projects} == HOSTILE[name]
    organisations = {o.name for o in facts.organisations}
    if name == "formula_names.txt":  # the applicant and the two partners
        assert set(load_corpus_script().FORMULAS[1:]) <= organisations
    if name == "control_names.txt":
        assert {"Pääte\x1b[31mpunainen\x1b[0m Oy", "Mallilan\x0e kunta\x0f"} <= organisations
    if name not in LISTS:
        assert [str(w) for w in facts.warnings] == []


def test_folder_and_pipe_are_refused_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "looks_like_a_file.txt"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        read_document(folder)
    assert str(info.value) == (
        f"{folder}: not a regular file (a folder, pipe or device) (expected a file to read)"
    )
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException | object] = []

    def read() -> None:
        try:
            outcome.append(read_document(fifo))
        except BaseException as exc:
            outcome.append(exc)

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(5)
    if t.is_alive():  # unblock the reader before failing
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        t.join(5)
        pytest.fail("read_document blocked on a FIFO")
    assert isinstance(outcome[0], InputError)
    assert "not a regular file" in str(outcome[0])


def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Hankekoodi: S29999\n", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip(
                "running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reading, "
                "so a permission error cannot be produced here"
            )
        with pytest.raises(InputError) as info:
            read_document(path)
        assert str(info.value) == f"{path}: file is not readable (permission denied)"
    finally:
        path.chmod(0o644)


def _batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    shutil.copytree(BAD, folder)
    return folder


def test_batch_around_bad_files_still_builds(tmp_path: Path) -> None:
    from sotegraph.builder import KnowledgeGraph, build

    folder = _batch(tmp_path)
    expected_failures = {name: msg for name, (_, msg) in READ_FAILURES.items()}
    locked = folder / "locked.txt"
    locked.write_text("Hankekoodi: S29999\n", encoding="utf-8")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads it anyway: leave it out of the batch
        locked.unlink()
    else:
        expected_failures["locked.txt"] = "file is not readable (permission denied)"
    store = tmp_path / "store"
    try:
        kg = build([folder], store=store, use_nlp=False, validate=False)
    finally:
        if locked.exists():
            locked.chmod(0o644)
    result = kg.last_build
    assert result is not None
    kg.close()
    # OxigraphStore.close() only flushes; the on-disk lock goes with the object
    del kg
    gc.collect()
    failed = sorted(Path(f.source).name for f in result.failed)
    assert failed == sorted(expected_failures)
    for f in result.failed:
        name = Path(f.source).name
        message = expected_failures[name]
        assert str(f) == f"{folder / name}" + (":" if message[0].isdigit() else ": ") + message
    total = len(expected_failures) + len(WARNINGS) + len(GOOD) + len(HOSTILE)
    assert result.read == total
    assert result.built == len(WARNINGS) + len(GOOD) + len(HOSTILE)
    assert {w.source for w in result.warnings} == {f"batch/{n}" for n in set(WARNINGS) | LISTS}
    assert result.exit_code == 1
    # the store, opened again, holds every good document, hostile names as they were read
    again = KnowledgeGraph.open(store)
    try:
        names = {str(r["code"]): str(r["name"]) for r in again.query("projects")}
        sources = {str(d["source"]) for d in again.documents()}
    finally:
        again.close()
    hostile = {code: n for names_of in HOSTILE.values() for code, n in names_of.items()}
    assert set(names) == {c for c, _ in WARNINGS.values()} | set(GOOD.values()) | set(hostile)
    assert {code: names[code] for code in hostile} == hostile
    good = set(WARNINGS) | set(GOOD) | set(HOSTILE)
    assert sources == {f"batch/{n}" for n in good}


def test_cli_build_exits_1_with_summary(tmp_path: Path) -> None:
    pytest.importorskip("sotegraph.cli.build")
    folder = _batch(tmp_path)
    store = tmp_path / "store"
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sotegraph.cli",
            "build",
            str(folder),
            "--store",
            str(store),
            "--no-nlp",
            "--no-validate",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    n_ok = len(WARNINGS) + len(GOOD) + len(HOSTILE)
    total = n_ok + len(READ_FAILURES)
    warned = len(WARNINGS) + len(LISTS)
    assert (
        f"documents: {total} read, {n_ok} built, 0 unchanged, {warned} warned, "
        f"{len(READ_FAILURES)} failed" in " ".join(output.split())
    ), output
    for name in READ_FAILURES:
        assert name in output
