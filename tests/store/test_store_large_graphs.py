"""A document graph with a literal over Oxigraph's 16 MiB token limit is written, read and parsed.

Oxigraph's N-Triples parser refuses a token over 16 MiB (``MemoryError: Reached the buffer
maximal size of 16777216``); a large document's text can become one literal that long. The
lines that long go through :func:`sotegraph.rdf.parse_ntriples`'s own strict line parser,
the rest through Oxigraph's; these tests check that parser against Oxigraph's on a table of
lines, the finding of long lines against a plain split, and a real on-disk store with a
generated 20-million-character literal (UTF-8 over the limit) end to end, in a subprocess
that reports its peak memory.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from sotegraph.rdf import LONG_LINE, _parse_line, long_lines, ntriples_to_graph, parse_ntriples

LINES = [
    '<https://e.org/s> <https://e.org/p> "x" .',
    '<https://e.org/s> <https://e.org/p> "x"@fi .',
    '<https://e.org/s> <https://e.org/p> "x"@sv-FI .',
    '<https://e.org/s> <https://e.org/p> "12"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    "<https://e.org/s> <https://e.org/p> <https://e.org/o> .",
    "_:b1 <https://e.org/p> _:b2 .",
    "_:a.b <https://e.org/p> <https://e.org/o> .",
    '<https://e.org/s> <https://e.org/p> "tab\\there \\"quoted\\" back\\\\slash\\nline\\r" .',
    '<https://e.org/s> <https://e.org/p> "\\\\\\"" .',
    '<https://e.org/s> <https://e.org/p> "\\\\n stays a backslash and n" .',
    '<https://e.org/s> <https://e.org/p> "\\u00e4\\U0001F600\\b\\f\\\'" .',
    '<https://e.org/s\\u00E4> <https://e.org/p> "Äänekoski € ☃" .',
    '<https://e.org/s> <https://e.org/p> "x" . # a comment with "quotes" .',
    '  <https://e.org/s>\t<https://e.org/p>\t"spaced"  .  ',
    '<https://e.org/s><https://e.org/p>"tight".',
    '<https://e.org/s> <https://e.org/p> "" .',
]

BAD = [
    '<https://e.org/s> <https://e.org/p> "unclosed .',
    '<https://e.org/s> <https://e.org/p> "x" ',
    '<https://e.org/s> <https://e.org/p> "bad \\x escape" .',
    '<https://e.org/s> <https://e.org/p> "lone \\ud800" .',
    '"x" <https://e.org/p> "literal subject" .',
    "<https://e.org/s> _:b <https://e.org/o> .",
    '<https://e.org/s> <https://e.org/p> "x"@ .',
    '<https://e.org/s> <https://e.org/p> "x" . trailing',
    '<https://e.org/s> <https://e.org/p> "x" "y" .',
    '<not an iri> <https://e.org/p> "x" .',
    '<https://e.org/s> <https://e.org/p> "x"^^<https://e.org/d .',
]


@pytest.mark.parametrize("line", LINES)
def test_line_parser_agrees_with_oxigraph(line: str) -> None:
    expected = list(ox.parse(line + "\n", format=ox.RdfFormat.N_TRIPLES))
    assert len(expected) == 1
    assert _parse_line(line, 0, len(line), line=1) == expected[0]


@pytest.mark.parametrize("line", BAD)
def test_line_parser_refuses_what_oxigraph_refuses(line: str) -> None:
    with pytest.raises(SyntaxError):
        list(ox.parse(line + "\n", format=ox.RdfFormat.N_TRIPLES))
    with pytest.raises(SyntaxError, match="N-Triples line 1"):
        _parse_line(line, 0, len(line), line=1)


def test_comment_lines_are_no_triple() -> None:
    for line in ("# only a comment", "   ", "\n"):
        assert _parse_line(line, 0, len(line), line=1) is None


def test_long_lines_are_found_exactly() -> None:
    rng = random.Random(7)
    for _ in range(20):
        lengths = [
            rng.choice([0, 1, 80, LONG_LINE - 1, LONG_LINE, LONG_LINE + 1, 2 * LONG_LINE + 5])
            for _ in range(rng.randint(1, 6))
        ]
        data = "".join("x" * n + "\n" for n in lengths)
        if rng.random() < 0.5:
            data = data[:-1]  # the last line without its line break
        expected, pos = [], 0
        for part in data.split("\n"):
            end = min(pos + len(part) + 1, len(data))
            if len(part) > LONG_LINE:
                expected.append((pos, end))
            pos = end
        assert long_lines(data) == expected, lengths


def _long_text(chars: int) -> str:
    """Finnish-looking text with every character N-Triples escapes, over 16 MiB in UTF-8."""
    sentence = 'Hankkeessa "kehitetään" palveluja\talueella \\ 5 000 € ja yhä enemmän.\r\n'
    return (sentence * (chars // len(sentence) + 1))[:chars]


def test_parse_ntriples_with_a_literal_over_the_limit() -> None:
    text = _long_text(9_000_000)
    assert len(text.encode("utf-8")) > 16 * 1024 * 1024 // 2
    big = ox.Literal(text * 2, language="fi")  # 18 M characters, over 16 MiB of UTF-8
    assert len(big.value.encode("utf-8")) > 16 * 1024 * 1024
    s, p, b = ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"), ox.BlankNode("n1")
    triples = [
        ox.Quad(s, p, ox.Literal("before")),
        ox.Quad(b, p, s),
        ox.Quad(s, ox.NamedNode("https://e.org/text"), big),
        ox.Quad(b, p, ox.Literal("after", datatype=ox.NamedNode("https://e.org/d"))),
    ]
    data = ox.serialize([q.triple for q in triples], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    with pytest.raises(MemoryError):  # what this is about: Oxigraph alone cannot read it
        list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    parsed = list(parse_ntriples(data))
    assert parsed == triples  # in order; the blank node is one node across the pieces
    graph = ntriples_to_graph(data)
    assert len(graph) == 4
    assert max(len(str(o)) for o in graph.objects()) == len(big.value)
    assert {str(o) for o in graph.objects()} >= {big.value, "before", "after"}


GENERATE = textwrap.dedent(
    """
    import hashlib, json, sys
    sys.path.insert(0, sys.argv[2])
    from test_store_large_graphs import _long_text

    text = _long_text(int(sys.argv[3]))
    escaped = text.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"')
    escaped = escaped.replace("\\n", "\\\\n").replace("\\r", "\\\\r")
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        fh.write('<https://e.org/doc> <https://e.org/title> "large" .\\n')
        fh.write(f'<https://e.org/doc> <https://e.org/text> "{escaped}"@fi .\\n')
        fh.write("_:b <https://e.org/of> <https://e.org/doc> .\\n")
    print(json.dumps({"sha256": hashlib.sha256(text.encode()).hexdigest(), "chars": len(text)}))
    """
)

WRITE = textwrap.dedent(
    """
    import hashlib, json, os, sys
    from sotegraph.store import OxigraphStore

    def rss_mb():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def peak_mb():  # VmHWM starts afresh at exec (ru_maxrss keeps the forking parent's)
        with open("/proc/self/status") as fh:
            line = next(x for x in fh if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    with open(sys.argv[2], encoding="utf-8") as fh:
        data = fh.read()
    out = {"data_bytes": os.path.getsize(sys.argv[2]), "before_mb": rss_mb()}
    manifest = (
        "INSERT DATA { GRAPH <https://e.org/manifest> "
        "{ <https://e.org/g2> a <https://e.org/Document> } }"
    )
    with OxigraphStore(sys.argv[1]) as store:
        store.replace_graph_ntriples("https://e.org/g1", data)  # new graph, nothing else
        store.replace_graph_ntriples("https://e.org/g2", data, with_update=manifest)
        store.replace_graph_ntriples("https://e.org/g1", data)  # replacing an existing one
    del data
    with OxigraphStore(sys.argv[1], read_only=True) as store:
        for g in ("https://e.org/g1", "https://e.org/g2"):
            quads = list(store.quads(graph=g))
            texts = [str(o) for _s, p, o, _g in quads if str(p).endswith("text")]
            out[g] = {
                "sha256": [hashlib.sha256(t.encode()).hexdigest() for t in texts],
                "quads": len(quads),
            }
            del quads, texts
        ask = "ASK { GRAPH <https://e.org/manifest> { <https://e.org/g2> ?p ?o } }"
        out["manifest"] = store.query(ask)[0]["ask"].toPython()
        size = "SELECT (STRLEN(?t) AS ?n) WHERE { GRAPH ?g { ?s <https://e.org/text> ?t } }"
        out["strlen"] = [int(r["n"]) for r in store.query(size)]
    out["peak_mb"] = peak_mb()
    print(json.dumps(out))
    """
)


def _run(script: Path, *args: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.slow
def test_store_writes_and_reads_a_graph_with_a_20m_character_literal(tmp_path: Path) -> None:
    chars = 20_000_000
    (tmp_path / "generate.py").write_text(GENERATE, encoding="utf-8")
    (tmp_path / "write.py").write_text(WRITE, encoding="utf-8")
    data = tmp_path / "large.nt"
    made = _run(tmp_path / "generate.py", str(data), str(Path(__file__).parent), str(chars))
    out = _run(tmp_path / "write.py", str(tmp_path / "store"), str(data))
    size = float(out["data_bytes"])  # type: ignore[arg-type]
    before, peak = float(out["before_mb"]), float(out["peak_mb"])  # type: ignore[arg-type]
    print(
        f"{size / 1e6:.1f} MB of N-Triples ({chars:,} characters in one literal): "
        f"peak {peak:.0f} MB, {before:.0f} MB with the text read, before writing"
    )
    assert size > 16 * 1024 * 1024
    for g in ("https://e.org/g1", "https://e.org/g2"):
        assert out[g] == {"sha256": [made["sha256"]], "quads": 3}
    assert out["manifest"] is True
    assert out["strlen"] == [chars, chars]
    # writing it three ways and reading it back costs a few copies of the text (about 10x
    # the N-Triples here, RocksDB's write buffers included), not memory per character (a
    # regular expression over the literal took 18x for parsing alone)
    assert peak - before < 15 * size / 2**20
