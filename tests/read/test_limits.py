"""Per-document limits (sotegraph.read.limits): too large a file or text, too deep a page.

A document over a limit fails alone with a DocumentTooLargeError (an InputError) naming the
measure, the limit and how to raise it; the depth of a page is measured before it is parsed,
by a scan that follows the HTML parser's stack of open elements (checked here against the
depth of the tree lexbor builds).
"""

from __future__ import annotations

import gc
import importlib.util
import time
from pathlib import Path

import pytest

from sotegraph.errors import DocumentTooLargeError, InputError, UsageError
from sotegraph.read import ReadLimits, html_depth, html_to_text, read_document

RECORD = (
    "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\n\n"
    "Hankekoodi: {code}\n\nHankkeen nimi: {name}\n\n"
    "Hakijan virallinen nimi: Keksityn Seudun Kehitys Oy\n\n"
    "3 Suunnitelman mukainen tiivistelmä toteutuksesta\n\n{summary}\n"
)


def _nested(depth: int, text: str = "Teksti") -> str:
    return "<html><body>" + "<div>" * depth + text + "</div>" * depth + "</body></html>"


def _dom_depth(html: str) -> int:
    """The depth of the element tree lexbor builds below <body> (walked without recursion)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    assert root is not None
    best = 0
    todo = [(root, 0)]
    while todo:
        node, depth = todo.pop()
        best = max(best, depth)
        child = node.child
        while child is not None:
            if child.tag not in ("-text", "-comment", "_comment"):
                todo.append((child, depth + 1))
            child = child.next
    return best


# markup whose depth the scan must get exactly as the parser builds it
DEPTH_CASES = [
    "<div><div><p>Teksti <b>lihava</b></p></div></div>",
    "<p>a<p>b<p>c",  # a <p> closes the one before
    "<ul><li>yksi<li>kaksi<ul><li>kolme</ul></ul>",
    "<dl><dt>a<dd>b<dt>c<dd>d</dl>",
    "<table><tr><td>a<td>b<tr><td>c</table>",  # <tbody> added by the parser
    "<table><tr><td><table><tr><td>x</table></table>",
    "<b><b><b>x",
    "<div/><div/>x",  # "/>" does not close an HTML element
    "<a><a><a>x",  # a link inside a link ends the first
    "<h1><h2>x",
    "<span><div></span>" * 5,  # an end tag across a block is ignored
    "<div><span><i>x</div>" * 4,  # <i> made again in each block
    "".join(f"<div><i id={k}>x</div>" for k in range(60)),
    "<p><i id=1>x" * 30,  # three alike at most
    "<div title='<div><div>'>x</div>",
    "<!-- <div><div><div> -->x",
    "<font><font><font><font>x</font></font>" * 3,
    "<ul><li><div>x</li><li>y</ul>",
]


@pytest.mark.parametrize("html", DEPTH_CASES)
def test_depth_scan_matches_the_parser(html: str) -> None:
    assert html_depth(html).depth == _dom_depth(html)


def test_depth_scan_may_only_overestimate() -> None:
    """Where the scan simplifies (a block inside a formatting element, scripts in <head>), it
    counts deeper than the parser, never shallower: a page it lets through is no deeper."""
    for html in ["<b><div></b>" * 5, "<script>'<div>'</script><style>x</style>"]:
        assert html_depth(html).depth >= _dom_depth(html)


# patterns where a simpler scan lost count (the parser's depth grew with each repetition
# while the scan's did not): <li> across a <pre>, a link in a link, <svg id=x/> (the "/" is the
# value's), an <mi> inside <svg>, a <form> ended around a block, <input> ending a <select>,
# <annotation-xml> without an HTML encoding, a <button> ended by the next, <hr> ending a <p>,
# </select> inside MathML, <noscript> reopening formatting elements, nested framesets
REPEATED = [
    "<li><g><g/><option><pre>",
    "<b>x <label><dd><h1><li>",
    "<svg id=x/>",
    "<svg><mi><th><title>",
    "<form><div></form>",
    "<span><div></span>",
    "<td><table></td>",
    "<math><h1></foreignObject><math></br><g>",
    "</noscript><g><p><input><foreignObject></dd><select>",
    "<caption><select/><math><input><colgroup></applet><annotation-xml><image>",
    "<button id=x2><b id=x1><i id=x1>",
    "<b><hr><mi></applet><p></nobr>",
    "<head><font><br><math>",
    "<select></marquee><marquee><h1>",
    "x<input><a><i></noscript><select><desc></i>",
    "<optgroup>",
    "<applet/><select><math color=red></select>",
    "<table> <math/></table></ul></i></marquee><object>",
    "<font color=red></noscript><hr><noscript>",
    "<frameset><p/>",
]


@pytest.mark.parametrize("pattern", REPEATED)
def test_depth_scan_keeps_count_of_repeated_markup(pattern: str) -> None:
    html = pattern * 64
    scan, parser = html_depth(html).depth, _dom_depth(html)
    assert parser <= scan + 2, f"the parser nests {parser} deep, the scan counts {scan}"


def test_depth_scan_on_random_markup() -> None:
    """On random tag soup the parser never nests much deeper than the scan counts (so a page
    let through at 512 is never thousands deep); how far the count is off either way is
    printed (the scan errs on the deep side where it simplifies)."""
    import random

    words = (
        "div p span b i a li ul table tr td th tbody caption colgroup dl dt dd h1 font select "
        "option optgroup button form svg g math mi desc foreignObject annotation-xml br nobr pre "
        "label object applet marquee title textarea image input hr noscript em section"
    )  # (not <template>: its content is outside the tree selectolax walks)
    tags = words.split(" ")
    exact = worst = over = 0.0
    for seed in range(40):
        rng = random.Random(seed)
        parts = []
        for _ in range(2000):
            r = rng.random()
            tag = rng.choice(tags)
            if r < 0.7:
                parts.append(f"<{tag}{rng.choice(['', ' id=x1', ' color=red'])}>")
            elif r < 0.9:
                parts.append(f"</{tag}>")
            else:
                parts.append("x")
        html = "".join(parts)
        scan, parser = html_depth(html).depth, _dom_depth(html)
        exact += scan == parser
        worst = max(worst, parser / max(scan, 1))
        over = max(over, scan / max(parser, 1))
    print(
        f"random markup: depth exact in {exact:.0f} of 40 pages, parser/scan at most "
        f"{worst:.2f}, scan/parser at most {over:.2f} (tag soup; well-formed pages: exact)"
    )
    assert worst < 2.0


@pytest.mark.parametrize("depth", [10_000, 100_000, 200_000])
def test_deep_page_is_refused_before_parsing(depth: int) -> None:
    html = _nested(depth)
    t0 = time.perf_counter()
    with pytest.raises(DocumentTooLargeError) as info:
        html_to_text(html, source="syva.html")
    seconds = time.perf_counter() - t0
    print(f"{depth:,} nested divs ({len(html) / 1e6:.1f} MB): refused in {seconds * 1000:.1f} ms")
    assert isinstance(info.value, InputError)
    assert str(info.value) == (
        "syva.html:1: HTML nested too deeply: more than 512 levels of elements (expected at "
        "most 512 levels; raise the limit with sotegraph build --max-html-depth N or "
        "ReadLimits(max_html_depth=N))"
    )
    assert seconds < 1.0  # lexbor alone takes 0.1 s for 10,000 levels, minutes for 200,000


def test_depth_limit_can_be_raised_and_turned_off() -> None:
    html = _nested(600, "Syvällä oleva teksti")
    with pytest.raises(DocumentTooLargeError):
        html_to_text(html)
    assert html_to_text(html, max_depth=600) == "Syvällä oleva teksti"
    assert html_to_text(html, max_depth=None) == "Syvällä oleva teksti"
    with pytest.raises(DocumentTooLargeError) as info:
        html_to_text(html, max_depth=599)
    assert "more than 599 levels" in str(info.value)


def test_deep_line_is_reported() -> None:
    html = "<html>\n<body>\n<p>Alku</p>\n" + "<div>\n" * 700
    with pytest.raises(DocumentTooLargeError) as info:
        html_to_text(html, source="x.html")
    assert info.value.line == 3 + 513  # the line of the 513th <div>


def test_formatting_elements_made_again_are_bounded() -> None:
    """``<i>`` left open in block after block: the parser makes every one again in the next
    block, so 90 KB of markup would make 8 million elements; refused, quickly."""
    deep = "<html><body>" + "".join(f"<div><i id={k}>x</div>" for k in range(4000))
    t0 = time.perf_counter()
    with pytest.raises(DocumentTooLargeError) as info:
        html_to_text(deep, source="i.html")
    # too deep, or too many elements: whichever the scan meets first
    assert "more than 512 levels" in str(info.value) or "HTML would make over" in str(info.value)
    # below the depth limit but made again block after block: too many elements
    wide = (
        "<html><body>"
        + "".join(f"<div><i id={k}></div>" for k in range(500))
        + "<div>x</div>" * 20_000
    )
    with pytest.raises(DocumentTooLargeError) as info:
        html_to_text(wide, source="wide.html")
    assert str(info.value).startswith("wide.html:1: HTML would make over ")
    assert time.perf_counter() - t0 < 5.0


def test_wide_page_within_the_limit_reads_in_linear_time() -> None:
    """200,000 elements nested at most 500 deep: read, in time proportional to the page."""
    times = {}
    for blocks in (40, 400):
        html = "<html><body>" + ("<div>" * 500 + "sana " + "</div>" * 500) * blocks
        t0 = time.perf_counter()
        text = html_to_text(html)
        times[blocks] = time.perf_counter() - t0
        assert text.split() == ["sana"] * blocks
    ratio = times[400] / times[40]
    print(f"20,000 elements {times[40]:.2f} s, 200,000 elements {times[400]:.2f} s: ×{ratio:.1f}")
    assert ratio < 25  # linear: ×10 (a quadratic reader: ×100)


def test_text_limit(tmp_path: Path) -> None:
    path = tmp_path / "pitka.txt"
    summary = "Hankkeessa kokeillaan etäkäyntejä. " * 400
    path.write_text(RECORD.format(code="S29951", name="Pitkä", summary=summary), encoding="utf-8")
    chars = len(path.read_text(encoding="utf-8"))
    with pytest.raises(DocumentTooLargeError) as info:
        read_document(path, limits=ReadLimits(max_text_chars=10_000))
    assert str(info.value) == (
        f"{path}: text too long: {chars:,} characters, over the limit of 10,000 (expected at "
        "most 10,000 characters of text in one document; raise the limit with sotegraph build "
        "--max-text-chars N or ReadLimits(max_text_chars=N))"
    )
    assert read_document(path, limits=ReadLimits(max_text_chars=chars)).text.count("\n") > 3
    assert read_document(path).genre.value == "eura-record"  # the default lets it through


def test_project_lists_are_bounded_by_file_size_only(tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"
    rows = [f"S2{i:04d},ESR,Hanke {i},Keksitty Oy" for i in range(500)]
    path.write_text("Koodi,Rahasto,Hankkeen nimi,Toteuttajan nimi\n" + "\n".join(rows) + "\n")
    doc = read_document(path, limits=ReadLimits(max_text_chars=100))
    assert doc.genre.value == "bulk-table"
    with pytest.raises(DocumentTooLargeError) as info:
        read_document(path, limits=ReadLimits(max_file_bytes=1000))
    size = path.stat().st_size
    assert str(info.value) == (
        f"{path}: file too large: {size / 1e6:.2g} MB ({size:,} bytes), over the limit of "
        "0.001 MB (expected a file of at most 0.001 MB; raise the limit with sotegraph build "
        "--max-file-mb N or ReadLimits(max_file_bytes=N))"
    )


def test_file_limit_is_checked_before_reading(tmp_path: Path) -> None:
    """A 3 GB file (sparse: no disk used) is refused at once, not read into memory."""
    path = tmp_path / "valtava.txt"
    with path.open("wb") as fh:
        fh.truncate(3_000_000_000)
    t0 = time.perf_counter()
    with pytest.raises(DocumentTooLargeError) as info:
        read_document(path)
    assert time.perf_counter() - t0 < 0.5
    assert "file too large: 3000 MB (3,000,000,000 bytes), over the limit of 100 MB" in str(
        info.value
    )


def test_pdf_text_limit_stops_reading_pages() -> None:
    pytest.importorskip("pypdf")
    from sotegraph.read import pdf_to_text

    spec = importlib.util.spec_from_file_location(
        "_formats", Path(__file__).with_name("test_formats.py")
    )
    assert spec is not None
    assert spec.loader is not None
    formats = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(formats)
    words = ["Alku", "Tausta", "Tavoitteet", "Toimenpiteet", "Tulokset"]
    # different text on each page (a line on every page is a running header, dropped)
    data = formats.make_pdf([[(72, 720, f"{w} kuvataan tällä sivulla.")] for w in words])
    assert "Tulokset kuvataan" in pdf_to_text(data, source="x.pdf")
    with pytest.raises(DocumentTooLargeError) as info:
        pdf_to_text(data, source="x.pdf", max_chars=30)
    assert str(info.value).startswith("x.pdf: text too long: at least ")
    assert "over the limit of 30" in str(info.value)


@pytest.mark.parametrize(
    "kwargs", [{"max_file_bytes": 0}, {"max_text_chars": -1}, {"max_html_depth": 1.5}]
)
def test_limits_must_be_positive_integers(kwargs: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        ReadLimits(**kwargs)  # type: ignore[arg-type]


def test_build_fails_the_large_document_alone(tmp_path: Path) -> None:
    from sotegraph.builder import KnowledgeGraph, build

    folder = tmp_path / "kansio"
    folder.mkdir()
    (folder / "pieni.txt").write_text(
        RECORD.format(code="S29961", name="Pieni", summary="Lyhyt kuvaus."), encoding="utf-8"
    )
    (folder / "suuri.txt").write_text(
        RECORD.format(code="S29962", name="Suuri", summary="Pitkä kuvaus. " * 1000),
        encoding="utf-8",
    )
    (folder / "syva.html").write_text(_nested(1000, "Hankekoodi: S29963"), encoding="utf-8")
    store = tmp_path / "store"
    kg = build(
        [folder],
        store=store,
        use_nlp=False,
        validate=False,
        limits=ReadLimits(max_text_chars=5000),
    )
    result = kg.last_build
    kg.close()
    del kg
    gc.collect()
    assert result is not None
    assert sorted(Path(f.source).name for f in result.failed) == ["suuri.txt", "syva.html"]
    reasons = {Path(f.source).name: str(f) for f in result.failed}
    assert "text too long" in reasons["suuri.txt"]
    assert "--max-text-chars" in reasons["suuri.txt"]
    assert "HTML nested too deeply: more than 512 levels" in reasons["syva.html"]
    assert result.built == 1
    assert result.exit_code == 1
    again = KnowledgeGraph.open(store)
    try:
        assert [str(r["code"]) for r in again.query("projects")] == ["S29961"]
    finally:
        again.close()


def test_cli_options_and_environment_raise_the_limits(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    folder = tmp_path / "kansio"
    folder.mkdir()
    (folder / "tietue.txt").write_text(
        RECORD.format(code="S29971", name="Tietue", summary="Kuvaus. " * 100), encoding="utf-8"
    )
    (folder / "syva.html").write_text(_nested(600, "Hankekoodi: S29972"), encoding="utf-8")
    small = folder / "pieni.txt"
    small.write_text(RECORD.format(code="S29973", name="Pieni", summary="."), encoding="utf-8")
    assert small.stat().st_size < 1000
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
    for var in ("SOTEGRAPH_MAX_FILE_MB", "SOTEGRAPH_MAX_TEXT_CHARS", "SOTEGRAPH_MAX_HTML_DEPTH"):
        env.pop(var, None)

    def build(store: str, *options: str, **extra: str) -> tuple[int, str]:
        command = [sys.executable, "-m", "sotegraph.cli", "build", str(folder)]
        proc = subprocess.run(
            [*command, "--store", str(tmp_path / store), "--no-nlp", "--no-validate", *options],
            capture_output=True,
            text=True,
            env={**env, **extra},
            timeout=300,
            check=False,
        )
        return proc.returncode, " ".join((proc.stdout + proc.stderr).split())

    code, out = build("a", "--max-text-chars", "500")
    assert code == 1, out
    assert "tietue.txt: text too long:" in out
    assert "over the limit of 500" in out
    assert "syva.html:1: HTML nested too deeply: more than 512 levels" in out
    assert "Traceback" not in out
    assert "documents: 3 read, 1 built" in out

    code, out = build("b", SOTEGRAPH_MAX_HTML_DEPTH="1000")
    assert code == 0, out
    assert "documents: 3 read, 3 built" in out

    code, out = build("c", "--max-html-depth", "0", "--max-file-mb", "0.001")
    assert code == 1, out
    assert "tietue.txt: file too large" in out
    assert "syva.html: file too large" in out
    assert "over the limit of 0.001 MB" in out
    assert "documents: 3 read, 1 built" in out
