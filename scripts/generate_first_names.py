"""Generate the first-name lexicon ``data/names/first_names.csv`` from the DVV statistics.

Reads the population register's first-given-name statistics copied in
``../shared/reference/names/`` (``etunimitilasto-miehet-ensimmainen.csv`` and
``etunimitilasto-naiset-ensimmainen.csv``; Digi- ja väestötietovirasto, CC BY 4.0, see that
folder's README and ``data/names/SOURCE.md``) and writes one row per name::

    name,men,women

``men`` and ``women`` are how many living people bear the name as their first given name
(DVV lists a name borne by at least five). Rows are sorted by name, line endings are ``\\n``,
so the output depends only on the input files. :func:`sotegraph.privacy.first_name_count`
reads the file.

Usage::

    python scripts/generate_first_names.py [../shared/reference/names] [--out data/names]
    python scripts/generate_first_names.py --check   # exit 1 if the shipped file differs
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "names"
DEFAULT_OUT = ROOT / "data" / "names"
FILES = {
    "men": "etunimitilasto-miehet-ensimmainen.csv",
    "women": "etunimitilasto-naiset-ensimmainen.csv",
}
OUT_NAME = "first_names.csv"


def read_counts(path: Path) -> dict[str, int]:
    """``{name: count}`` of one DVV file (``Etunimi;Lukumäärä``, counts like ``44 107``)."""
    out: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            name = unicodedata.normalize("NFC", (row.get("Etunimi") or "").strip())
            digits = "".join(ch for ch in row.get("Lukumäärä") or "" if ch.isdigit())
            if name and digits:
                out[name] = out.get(name, 0) + int(digits)
    return out


def first_name_rows(source: Path) -> list[tuple[str, int, int]]:
    """``(name, men, women)`` for every name of either list, sorted by name."""
    men = read_counts(source / FILES["men"])
    women = read_counts(source / FILES["women"])
    return [(n, men.get(n, 0), women.get(n, 0)) for n in sorted(set(men) | set(women))]


def render(rows: list[tuple[str, int, int]]) -> str:
    """The CSV text of ``first_names.csv``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "men", "women"])
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) ``data/names/first_names.csv``; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file would change")
    args = parser.parse_args(argv)
    missing = [f for f in FILES.values() if not (args.source / f).is_file()]
    if missing:
        print(f"error: {', '.join(missing)} not found in {args.source}", file=sys.stderr)
        return 2
    text = render(first_name_rows(args.source))
    target = args.out / OUT_NAME
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        if current != text:
            print(f"{target} is not up to date: run scripts/generate_first_names.py")
            return 1
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({text.count(chr(10)) - 1} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
