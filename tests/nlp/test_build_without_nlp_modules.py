"""Which language tools a build without prose loads (issue 19, point 5).

A real ``sotegraph build`` of a generated bulk table (the EURA 2014 list's columns, invented
names) and of an EURA record with ``--no-nlp`` runs in a fresh interpreter with one worker
(everything in that process); the test reads the modules the process imported.

spaCy is never loaded. Voikko (``libvoikko``) still is, and must be for the same graph: the
relevance rules compare the base forms of every title and summary word, the themes those of
the words that contain a label's start, the name resolver lemmatises every implementer's
head word and the privacy gate asks Voikko whether an implementer's words are given names or
surnames; without Voikko the two EURA bulk lists' graph differs for 1,417 projects (themes,
relevance, implementers withheld as persons, organisation labels). The Voikko test is an
expected failure until those analyses can be settled without it; it fails as soon as a build
stops loading Voikko, so that it is turned into a real assertion then.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bad_corpus import load_corpus_script

HEADER = [
    *("Koodi", "Rahasto", "Hankkeen nimi", "Tl", "Viranomainen", "Tila", "Aloituspvm"),
    *("Päättymispvm", "Toteuttajan nimi", "Myönnetty EU- ja valtion rahoitus"),
    *("Toteutunut EU- ja valtion rahoitus", "Suunniteltu julkinen rahoitus yhteensä"),
    "Toteutunut julkinen rahoitus yhteensä",
]

#: invented projects: (title, implementer)
ROWS = [
    ("Kotihoidon arki Keksilässä", "Keksilän kaupunki"),
    ("Pajakahvila nuorten työllistäjänä", "Tunturikylän Kehitysyhdistys ry"),
    ("Puun jatkojalostus", "Esimerkkipuu Oy"),
    ("Hyvinvointia kylille", "Kuvitelmaseudun kuntayhtymä"),
]


PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sys.modules) + '\\n'))\n"
    "sys.argv = ['sotegraph', *sys.argv[1:]]\n"
    "from sotegraph.cli import main\n"
    "main()\n"
)


def _table(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i, (title, implementer) in enumerate(ROWS):
            w.writerow(
                [
                    *(f"S2999{i}", "ESR", title, "5", "Keksilän ELY-keskus", "Toiminnassa"),
                    *("1.2.2016", "31.1.2018", implementer, "120000", "15000.50", "150000"),
                    "18000.75",
                ]
            )
    return path


def _build(tmp: Path, name: str, *args: str) -> tuple[str, set[str]]:
    """Run ``sotegraph build ARGS`` in a fresh interpreter; its output and imported modules."""
    probe = tmp / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    store = tmp / f"kg-{name}"
    done = subprocess.run(
        [sys.executable, str(probe), "build", *args, "--workers", "1", "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        # the default set-up: Voikko on when installed (SOTEGRAPH_NO_VOIKKO turns it off)
        env={k: v for k, v in os.environ.items() if k != "SOTEGRAPH_NO_VOIKKO"},
    )
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 0, said[-2000:]
    marker = done.stderr.rsplit("\nMODULES ", 1)
    assert len(marker) == 2, said[-2000:]
    return said, {m.split(".")[0] for m in marker[1].split()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The top-level modules each build imported."""
    tmp = tmp_path_factory.mktemp("no_nlp_build")
    out: dict[str, set[str]] = {}
    said, out["a bulk table"] = _build(tmp, "table", str(_table(tmp / "list.csv")))
    assert f"{len(ROWS)} rows read = {len(ROWS)} projects built" in said, said[-2000:]
    record = tmp / "record.txt"
    text = load_corpus_script().record(code="S29911", name="Arjen tuki Keksilässä", contact=False)
    record.write_text(text, encoding="utf-8")
    said, out["a record with --no-nlp"] = _build(tmp, "record", str(record), "--no-nlp")
    assert "1 read, 1 built" in said, said[-2000:]
    for what, modules in out.items():
        # the probe saw the build's own modules: an empty or wrong list cannot pass
        assert {"sotegraph", "pyoxigraph"} <= modules, (what, sorted(modules)[:20])
        print(f"{what}: spaCy {'spacy' in modules}, Voikko {'libvoikko' in modules}")
    return out


def test_a_build_without_prose_never_loads_spacy(builds: dict[str, set[str]]) -> None:
    loaded = {what: sorted(m & {"spacy", "thinc"}) for what, m in builds.items()}
    assert all(not v for v in loaded.values()), loaded


@pytest.mark.xfail(
    strict=True,
    reason="titles, summaries and implementers' names need Voikko's analyses for the same graph",
)
def test_a_build_without_prose_never_loads_voikko(builds: dict[str, set[str]]) -> None:
    pytest.importorskip("libvoikko")
    loaded = {what: "libvoikko" in m for what, m in builds.items()}
    assert not any(loaded.values()), loaded
