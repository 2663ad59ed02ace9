"""Long prose is parsed in pieces, and prose beyond the limit is left out with a warning.

spaCy refuses texts over 1,000,000 characters (E088) and its parser needs memory in
proportion to the text; an article of that size used to stop the whole build with a
traceback. The piece and limit sizes are made small here so that real spaCy runs quickly;
one test hands a real text over spaCy's own limit to the build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sotegraph.extract.article as article
from sotegraph.extract import extract
from sotegraph.extract.article import text_pieces
from sotegraph.facts import Facts
from sotegraph.read import read_document

pytest.importorskip("spacy")


@given(
    text=st.text(alphabet=st.sampled_from("ab .\n"), max_size=400),
    size=st.integers(min_value=1, max_value=60),
)
@settings(max_examples=300, deadline=None)
def test_pieces_cover_the_text_in_order_within_the_size(text: str, size: int) -> None:
    pieces = text_pieces(text, size=size)
    assert pieces[0][0] == 0
    assert pieces[-1][1] == len(text)
    assert all(a < b or len(text) == 0 for a, b in pieces)
    assert all(b - a <= size for a, b in pieces)
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))


def test_pieces_end_at_paragraphs_first() -> None:
    text = "Ensimmäinen kappale. Toinen lause.\n\nToinen kappale on tässä."
    a, b = text_pieces(text, size=45)
    assert text[a[0] : a[1]].endswith("\n\n")
    assert text[b[0] : b[1]] == "Toinen kappale on tässä."


def _key(facts: Facts) -> tuple[list[str], list[tuple[str, str, str]], list[str]]:
    return (
        sorted(p.name or "" for p in facts.projects),
        sorted(
            (facts.organisation(x.organisation).name, x.role.value, x.project)
            for x in facts.participations
        ),
        sorted(g.name for g in facts.groups),
    )


def test_seeds_give_the_same_facts_parsed_in_small_pieces(
    seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sotegraph.nlp import load_pipeline

    nlp = load_pipeline()
    for path in sorted(seeds_dir.glob("*.txt")):
        document = read_document(path)
        whole = extract(document, nlp=nlp)
        with monkeypatch.context() as m:
            m.setattr(article, "NLP_PIECE_CHARS", 1500)
            pieces = extract(document, nlp=nlp)
        print(f"{path.name}: {len(document.text):,} characters, {len(whole.participations)} roles")
        assert _key(pieces) == _key(whole), path.name
        assert whole.participations  # the comparison is about something


def test_prose_over_the_limit_is_left_out_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sotegraph.builder import KnowledgeGraph

    monkeypatch.setattr(article, "NLP_PIECE_CHARS", 5_000)
    monkeypatch.setattr(article, "NLP_MAX_CHARS", 20_000)
    opening = "Kotiin-hanketta hallinnoi Tampereen yliopisto.\n\n"
    filler = "Hankkeessa kehitetään kotihoidon palveluja ikääntyneille yhdessä kuntien kanssa. "
    closing = "\n\nLoppu-hanketta hallinnoi Jyväskylän kaupunki.\n"
    # longer than spaCy's own limit of 1,000,000 characters
    text = opening + (filler * 13_000) + closing
    assert len(text) > 1_000_000
    path = tmp_path / "pitka_artikkeli.txt"
    path.write_text(text, encoding="utf-8")
    short = tmp_path / "lyhyt_artikkeli.txt"  # two articles: the batched path of the build
    short.write_text("Lyhyt-hanketta hallinnoi Oulun kaupunki.\n", encoding="utf-8")
    kg = KnowledgeGraph(None)
    # one process: the limits set above hold in this one (worker processes have their own)
    result = kg.add_paths([short, path], validate=False, workers=1)
    assert result.failed == []
    assert result.built == 2
    warned = [w for w in result.warnings if "not read by the language model" in str(w)]
    assert len(warned) == 1, [str(w) for w in result.warnings]
    assert warned[0].line is not None
    assert warned[0].line >= 3
    names = {str(r["name"]) for r in kg.query("projects").to_python()}
    assert any(n.startswith("Kotiin") for n in names), names  # read: before the limit
    assert any(n.startswith("Lyhyt") for n in names), names
    assert not any(n.startswith("Loppu") for n in names), names  # beyond the limit


_PEAK_DRIVER = r"""
import json, sys
from pathlib import Path
from sotegraph.extract import extract
from sotegraph.read import ReadLimits, read_document

def vm(key):  # VmHWM starts afresh at exec (ru_maxrss keeps the forking parent's)
    with open("/proc/self/status") as fh:
        return int(next(x for x in fh if x.startswith(key)).split()[1]) / 1024

doc = read_document(Path(sys.argv[1]), limits=ReadLimits(max_text_chars=None))
before = vm("VmHWM:")
facts = extract(doc)
print(json.dumps({"before": before, "peak": vm("VmHWM:"), "projects": len(facts.projects),
                  "warnings": [str(w) for w in facts.warnings]}))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_long_prose_is_parsed_in_bounded_memory(tmp_path: Path) -> None:
    """A record whose prose fills the whole language-model budget (1,000,000 characters).

    Parsed in one batch, its 100,000-character pieces took 4.7 GB at the peak; one by one,
    about 1 GB. The bound leaves room for the model and the text several times over.
    """
    import json
    import subprocess
    import sys

    from bad_corpus import load_corpus_script

    corpus = load_corpus_script()
    path = corpus.write_large_record(tmp_path / "pitka_kuvaus.txt", megabytes=2)
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK_DRIVER, str(path)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    grown = out["peak"] - out["before"]
    print(f"a 2 MB record: peak {out['peak']:.0f} MB, {grown:.0f} MB for extraction")
    assert out["projects"] >= 1
    # its prose is over the budget: the model read all it may read
    assert any("not read by the language model" in w for w in out["warnings"]), out["warnings"]
    assert grown < 2_000, f"extraction took {grown:.0f} MB"
