"""Draw the labelled evaluation sample of implementer names (``tests/data/privacy/``).

The sample evaluates :func:`sotegraph.privacy.classify_implementer` (is an implementer a
person?). It is drawn from the implementers (``Toteuttajan nimi``) of the two EURA bulk
project lists in ``../shared/corpus/bulk/``, reproducibly (seed :data:`SEED`):

1. every distinct implementer name, located by the first row that names it: the bulk file,
   the project code and the column (the first row with that code in the file);
2. a *candidate* stratum of :data:`CANDIDATES` names drawn among those with a cheap signal of
   a person (no legal form or institution word, and a word on the DVV first-name list or a
   sole-trader word), because people are rare among implementers;
3. a *uniform* stratum of :data:`UNIFORM` names drawn among all the others;
4. each row is put in the ``held_out`` split with probability :data:`HELD_OUT` (seeded), else
   in ``tuning``.

The committed file holds no name: only the locator, a short hash of the name (to notice that
the data changed), the stratum, the split, and the label and its reason, which are written by
hand (a person reads each name). Re-running the script keeps the labels of the rows it keeps.

Usage::

    python scripts/sample_implementers.py [../shared/corpus/bulk]        # (re)write the CSV
    python scripts/sample_implementers.py --show [--split tuning]         # print rows and names

``--show`` prints the names read from ``../shared`` (for labelling); never paste them into a
committed file.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BULK = ROOT.parent / "shared" / "corpus" / "bulk"
SAMPLE = ROOT / "tests" / "data" / "privacy" / "implementers.csv"
FILES = ("fi_eura2007_projektilista_2007-2013.csv", "fi_eura2014_projektilista_2016_clean.csv")
COLUMN = "Toteuttajan nimi"
SEED = 20
CANDIDATES = 330
UNIFORM = 210
HELD_OUT = 0.2
HEADER = ["file", "code", "column", "name_hash", "stratum", "split", "label", "reason"]
LABELS = (
    "person",
    "sole_trader",
    "trade_name_with_person",
    "person_in_label",
    "company",
    "association",
    "public_body",
    "other_org",
)
#: The labels of names that are (or carry) a natural person's name.
PERSON_LABELS = frozenset(LABELS[:4])

_LEGAL_OR_INSTITUTION = re.compile(
    r"(?<!\w)(?:oy|oyj|ab|abp|ky|ay|ry|rf|rs|r\.y\.|osk|ltd|inc)(?!\w)"
    r"|(?:yhtiö|osuuskunta|säätiö|yhdistys|seura|liitto|kunta|kaupunki|yhtymä|yliopisto"
    r"|korkeakoulu|opisto|koulu|keskus|laitos|virasto|ministeriö|seurakunta|stiftelse"
    r"|förening|förbund|kommun|stad)(?!\w)",
    re.IGNORECASE,
)
_SOLE_TRADER = re.compile(r"(?<!\w)(?:tmi|t:mi|toiminimi|kuolinpesä|f:ma)(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def name_hash(name: str) -> str:
    """The short hash of a name written in the sample (NFC, spaces collapsed, sha256, 12 hex)."""
    norm = " ".join(unicodedata.normalize("NFC", name).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:12]


def read_locators(bulk: Path) -> dict[tuple[str, str], str]:
    """``{(file, code): implementer}`` of the first row of each code in each bulk list."""
    from sotegraph.extract.bulk import BulkRow, iter_bulk_rows

    out: dict[tuple[str, str], str] = {}
    for file in FILES:
        for row in iter_bulk_rows(bulk / file):
            if isinstance(row, BulkRow) and row.code:
                out.setdefault((file, row.code), row.implementer or "")
    return out


def _first_names() -> set[str]:
    path = ROOT / "data" / "names" / "first_names.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["name"] for r in csv.DictReader(fh) if int(r["men"]) + int(r["women"]) >= 20}


def is_candidate(name: str, first_names: set[str]) -> bool:
    """The cheap signal of a person used to over-sample (not the classifier)."""
    if _SOLE_TRADER.search(name):
        return True
    if _LEGAL_OR_INSTITUTION.search(name):
        return False
    words = [w.title() for w in _WORD.findall(name)]
    return any(w in first_names for w in words)


def draw(locators: dict[tuple[str, str], str]) -> list[dict[str, str]]:
    """The sample rows (without labels), in a stable order."""
    first: dict[str, tuple[str, str]] = {}
    for (file, code), name in sorted(
        locators.items(), key=lambda kv: (FILES.index(kv[0][0]), kv[0][1])
    ):
        if name.strip():
            first.setdefault(name, (file, code))
    names = sorted(first)
    first_names = _first_names()
    rng = random.Random(SEED)
    candidates = [n for n in names if is_candidate(n, first_names)]
    picked = rng.sample(candidates, CANDIDATES)
    chosen = set(picked)
    rest = [n for n in names if n not in chosen]
    uniform = rng.sample(rest, UNIFORM)
    rows = []
    for stratum, group in (("candidate", picked), ("uniform", uniform)):
        for name in group:
            file, code = first[name]
            rows.append(
                {
                    "file": file,
                    "code": code,
                    "column": COLUMN,
                    "name_hash": name_hash(name),
                    "stratum": stratum,
                    "split": "held_out" if rng.random() < HELD_OUT else "tuning",
                    "label": "",
                    "reason": "",
                }
            )
    rows.sort(key=lambda r: (r["file"], r["code"]))
    return rows


def read_sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    """The rows of the committed sample."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_sample(rows: list[dict[str, str]], path: Path = SAMPLE) -> None:
    """Write the sample, keeping the labels of rows already labelled (same locator and hash)."""
    old = {}
    if path.is_file():
        old = {(r["file"], r["code"], r["name_hash"]): r for r in read_sample(path)}
    for r in rows:
        prev = old.get((r["file"], r["code"], r["name_hash"]))
        if prev:
            r["label"], r["reason"] = prev["label"], prev["reason"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    """Draw and write the sample, or show it with its names; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bulk", nargs="?", type=Path, default=DEFAULT_BULK)
    parser.add_argument("--show", action="store_true", help="print the rows with their names")
    parser.add_argument("--split", choices=["tuning", "held_out"], help="with --show: one split")
    args = parser.parse_args(argv)
    if not all((args.bulk / f).is_file() for f in FILES):
        print(f"error: the bulk lists are not in {args.bulk}", file=sys.stderr)
        return 2
    locators = read_locators(args.bulk)
    if args.show:
        for i, r in enumerate(read_sample()):
            if args.split and r["split"] != args.split:
                continue
            name = locators.get((r["file"], r["code"]), "")
            ok = "" if name_hash(name) == r["name_hash"] else " (HASH MISMATCH)"
            print(f"{i}\t{r['code']}\t{r['label']}\t{name}{ok}")
        return 0
    rows = draw(locators)
    write_sample(rows)
    print(f"wrote {len(rows)} rows to {SAMPLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
