"""Screenshot of an HTML page written by ``sotegraph view`` (or ``sotegraph network -o x.html``).

Opens the page in headless Chromium (Debian ``chromium``; the DevTools driver of
tests/chromium.py, which needs ``websocket-client``), waits for the first draw, optionally
types a name into the search box, and saves a PNG. docs/images/view-bulk.png is made so::

    sotegraph build ../shared/corpus/bulk/fi_eura2014_projektilista_2016_clean.csv \\
        ../shared/corpus/bulk/fi_eura2007_projektilista_2007-2013.csv --store bulk-store
    sotegraph view --store bulk-store -o bulk.html --title "EURA 2007–2020: hankkeet ja hallinnoijat"
    python scripts/screenshot_view.py bulk.html -o docs/images/view-bulk.png

Run: ``python scripts/screenshot_view.py PAGE.html -o OUT.png [--search NAME] [--size WxH]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--search", help="type this into the search box and press Enter")
    parser.add_argument("--size", default="1400x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    from chromium import CHROMIUM, Chromium

    if CHROMIUM is None:
        print("error: chromium is not installed", file=sys.stderr)
        return 2
    if not args.page.is_file():
        print(f"error: no such page: {args.page}", file=sys.stderr)
        return 2
    width, height = (int(x) for x in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="sotegraph-shot-", ignore_cleanup_errors=True) as tmp:
        browser = Chromium(Path(tmp), width=width, height=height)
        try:
            took = browser.open(
                args.page,
                ready="window.sotegraphView && sotegraphView.firstDraw !== null",
                timeout=180,
            )
            if args.search:
                browser.evaluate("document.getElementById('search').focus()")
                browser.send("Input.insertText", text=args.search)
                for kind in ("keyDown", "keyUp"):
                    browser.send(
                        "Input.dispatchKeyEvent",
                        type=kind,
                        key="Enter",
                        code="Enter",
                        windowsVirtualKeyCode=13,
                        nativeVirtualKeyCode=13,
                    )
                browser.wait_until("sotegraphView.selected()", timeout=30)
            time.sleep(1.0)  # let a camera animation end
            browser.screenshot(args.output)
            drawn = browser.evaluate("sotegraphView.renderedNodes()")
            errors, requests = browser.problems(args.page)
        finally:
            browser.close()
    print(f"wrote {args.output}: {drawn} nodes drawn; page drawn in {took:.1f} s")
    if errors or requests:
        print(f"error: console errors {errors}, requests {requests}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
