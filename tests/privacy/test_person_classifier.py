"""The implementer classifier (is an implementer a person?), measured on a labelled sample.

``tests/data/privacy/implementers.csv`` holds 540 implementer names of the EURA bulk lists,
drawn by ``scripts/sample_implementers.py`` and labelled by hand (see the README beside it).
It holds no name: each row locates its name in ``../shared/corpus/bulk/`` (file, project code,
column) with a short hash of the name, so the evaluation reads the names at test time and
skips when ``../shared`` is absent. Persons are the four person-type labels (a person, a sole
trader, a trade name with a person's name, a person's name in an organisation's label); the
classifier finds one when its verdict is anything but ``organisation``.

The unit tests below use invented names, one table per case the classifier covers.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from sotegraph.facts import Facts, OrganisationFact, Participation, ProjectFact, Role
from sotegraph.privacy import (
    ImplementerKind,
    apply_policy,
    classify_implementer,
    names_a_person,
    withheld_names,
)
from sotegraph.privacy.implementers import first_name_count

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "privacy" / "implementers.csv"
PERSON_LABELS = {"person", "sole_trader", "trade_name_with_person", "person_in_label"}
ORGANISATION_LABELS = {"company", "association", "public_body", "other_org"}
MIN_RECALL, MIN_PRECISION = 0.99, 0.95

P = ImplementerKind.PERSON
S = ImplementerKind.SOLE_TRADER
T = ImplementerKind.TRADE_NAME_WITH_PERSON
L = ImplementerKind.PERSON_IN_LABEL
O = ImplementerKind.ORGANISATION  # noqa: E741


def _script(name: str) -> ModuleType:
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------- the sample


def _rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_sample_is_labelled_and_large_enough() -> None:
    rows = _rows()
    labels = Counter(r["label"] for r in rows)
    print(f"{len(rows)} rows; labels: {dict(sorted(labels.items()))}")
    assert len(rows) >= 500
    assert set(labels) <= PERSON_LABELS | ORGANISATION_LABELS
    assert sum(labels[k] for k in PERSON_LABELS) >= 150
    assert all(r["reason"].strip() for r in rows), "every label has its reason"
    assert all(len(r["name_hash"]) == 12 for r in rows)
    held = sum(r["split"] == "held_out" for r in rows)
    assert 0.15 * len(rows) <= held <= 0.25 * len(rows)
    assert {r["stratum"] for r in rows} == {"candidate", "uniform"}


@dataclass
class _Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, title: str) -> str:
        return (
            f"{title:>9}: precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


@pytest.fixture(scope="module")
def sample_names(bulk_dir: Path) -> list[tuple[dict[str, str], str]]:
    """Each sample row with its name, read from ../shared (hash-checked)."""
    gen = _script("sample_implementers")
    locators = gen.read_locators(bulk_dir)
    out, missing = [], []
    for r in _rows():
        name = locators.get((r["file"], r["code"]), "")
        if gen.name_hash(name) != r["name_hash"]:
            missing.append(f"{r['file']}:{r['code']}:{r['column']}")
        out.append((r, name))
    assert missing == [], f"the bulk lists changed: names differ at {missing}"
    return out


def test_the_sample_draw_is_reproducible(bulk_dir: Path) -> None:
    gen = _script("sample_implementers")
    drawn = gen.draw(gen.read_locators(bulk_dir))
    keys = ("file", "code", "column", "name_hash", "stratum", "split")
    assert [tuple(r[k] for k in keys) for r in drawn] == [
        tuple(r[k] for k in keys) for r in _rows()
    ]


def test_classifier_precision_and_recall(sample_names: list[tuple[dict[str, str], str]]) -> None:
    scores = {"tuning": _Score(), "held_out": _Score(), "all": _Score()}
    by_label: dict[str, Counter[bool]] = {}
    wrong = []
    for row, name in sample_names:
        verdict = classify_implementer(name)
        gold = row["label"] in PERSON_LABELS
        found = verdict.holds_person
        by_label.setdefault(row["label"], Counter())[found == gold] += 1
        for key in (row["split"], "all"):
            s = scores[key]
            if gold and found:
                s.tp += 1
            elif gold:
                s.fn += 1
            elif found:
                s.fp += 1
            else:
                s.tn += 1
        if gold != found:
            wrong.append(
                f"  {row['file']}:{row['code']}:{row['column']} [{row['split']}] "
                f"label {row['label']}, classified {verdict.kind.value} ({verdict.rule})"
            )
    print("persons (all person-type labels) vs organisations:")
    for key in ("tuning", "held_out", "all"):
        print(scores[key].line(key))
    print("right/total per label:")
    for label, c in sorted(by_label.items()):
        print(f"  {label:>22}: {c[True]}/{c[True] + c[False]}")
    print(f"misclassified ({len(wrong)}):")
    print("\n".join(wrong) or "  none")
    total = scores["all"]
    assert total.recall >= MIN_RECALL, total.line("all")
    assert total.precision >= MIN_PRECISION, total.line("all")


# --------------------------------------------------------------------------- the lexicon


def test_first_name_lexicon_loads() -> None:
    from sotegraph import resources

    shipped = resources.list_data_files()
    assert {"names/first_names.csv", "names/implementer_words.json"} <= set(shipped)
    assert first_name_count("Aino") > 10_000
    assert first_name_count("Ljudmila") > 0  # a name Voikko does not know
    assert first_name_count("Kuvitelmallinen") == 0


def test_first_name_lexicon_is_generated_from_the_register(reference_dir: Path) -> None:
    gen = _script("generate_first_names")
    assert gen.main([str(reference_dir / "names"), "--check"]) == 0


# --------------------------------------------------------------------------- unit cases

# Invented names; each case of the classifier, and what it must not take for a person.
CASES = [
    # two and three given names, double-barrelled names
    ("Aino Esimerkki", P),
    ("Aino Maria Esimerkki", P),
    ("Eino Juhani Kalevi Kuvitelmainen", P),
    ("Anna-Mari Kuvitelma", P),
    ("ANNA-MARI KUVITELMA", P),
    # initials
    ("Anna E. Kuvitelmainen", P),
    ("A. Kuvitelmainen", P),
    ("A J Kuvitelmainen", P),
    # surname first, also with a comma
    ("Kuvitelmainen Aino", P),
    ("Kuvitelmainen Aino Maria", P),
    ("KUVITELMAINEN, EINO", P),
    # names Voikko does not know (the DVV list), surnames unknown to it
    ("Ljudmila Keksittova", P),
    ("Jose Javier Keksitto Garzonez", P),
    ("Jyrki von Keksittyberg", P),
    # a trade or service word, then a full name
    ("Hierontapalvelu Aino Esimerkki", T),
    ("Diplomikosmetologi Aino Kuvitelmainen", T),
    ("Valokuvaamo Eino Kuvitelma", T),
    ("Kuljetus A. Kuvitelmainen", T),
    ("Keksitty Kauneushuone / Aino Kuvitelmainen", T),
    # sole traders and estates
    ("Tmi Kukkakauppa Orvokki", S),
    ("T:mi Aino Esimerkki", S),
    ("Keksitty Rakennus toiminimi", S),
    ("Eino Esimerkin kuolinpesä", S),
    # a title and a name inside an organisation's label
    ("Keksitty yliopisto, Kuvitelmalaitos, Professori Aino Esimerkki", L),
    ("Keksitty Oy c/o Eino Kuvitelmainen", L),
    ("KEKSITTY OYEINO KUVITELMAINEN", L),
    ("Keksitty Oy / Eino Kuvitelmainen", L),
    # organisations, also named after a person
    ("Aino Esimerkin säätiö", O),
    ("Aino Esimerkki Oy", O),
    ("Eino Kuvitelmainen & kumpp. Oy", O),
    ("Tilipalvelu Aino Esimerkki Ky", O),
    ("Keksitty Kuljetus Avoin yhtiö", O),
    ("Keksityn Eino Leino -seura ry", O),
    ("Kuvitelmalan kaupunki", O),
    ("Keksityn kunta", O),
    ("Keksityn ammattikorkeakoulu Oy", O),
    ("Keksityn elinkeino-, liikenne- ja ympäristökeskus", O),
    ("Etelä-Keksityn AVI", O),
    # trade names without a person's full name
    ("Kahvila Aino", O),
    ("Kotipalvelu Eino", O),
    ("Aino Solutions", O),
    ("Eino Design", O),
    ("Putki Eino", O),
    ("Keksitty Kuljetus", O),
    ("Ompelimo Tuula", O),
]


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[c[0] for c in CASES])
def test_classifier_cases(name: str, kind: ImplementerKind) -> None:
    verdict = classify_implementer(name)
    assert verdict.kind is kind, (verdict.kind, verdict.rule, verdict.person_names(name))


def test_a_plain_finnish_three_part_name_is_a_person() -> None:
    assert names_a_person("Aino Maria Esimerkki")
    assert names_a_person("Eino Juhani Kuvitelma")
    assert not names_a_person("Keksitty Hoivapalvelu Oy")


def test_without_voikko_the_register_names_still_decide() -> None:
    assert classify_implementer("Aino Maria Esimerkki", use_voikko=False).natural_person
    assert classify_implementer("Ljudmila Keksittova", use_voikko=False).natural_person
    assert not classify_implementer("Aino Esimerkki Oy", use_voikko=False).holds_person


def test_person_names_are_the_spans_found() -> None:
    name = "Keksitty yliopisto, Kuvitelmalaitos, Professori Aino Esimerkki"
    verdict = classify_implementer(name)
    assert verdict.person_names(name) == ["Aino Esimerkki"]
    assert verdict.redact(name) == "Keksitty yliopisto, Kuvitelmalaitos, Professori [nimi]"
    name = "Valokuvaamo Eino Kuvitelma"
    assert classify_implementer(name).person_names(name) == ["Eino Kuvitelma"]


def _facts() -> Facts:
    names = [
        "Aino Maria Esimerkki",  # a person: withheld
        "Keksitty yliopisto, Kuvitelmalaitos, Professori Eino Kuvitelma",  # the name goes
        "Keksitty Hoiva Oy",  # kept as it is
    ]
    return Facts(
        "d",
        "lista.csv",
        projects=[ProjectFact(key=f"S{i}", name=f"Hanke {i}", code=f"S{i}") for i in range(3)],
        organisations=[
            OrganisationFact(f"o{i}", n, aliases=[n, "Eino Kuvitelma"] if i == 1 else [])
            for i, n in enumerate(names)
        ],
        participations=[Participation(f"S{i}", f"o{i}", Role.LEAD) for i in range(3)],
    )


def test_gate_withholds_people_and_cuts_names_out_of_labels() -> None:
    facts = _facts()
    assert withheld_names(facts) == ["Aino Maria Esimerkki", "Eino Kuvitelma"]
    result = apply_policy(facts, include_personal_data=False)
    names = [o.name for o in facts.organisations]
    assert names == [
        "Yksityinen toteuttaja (S0)",
        "Keksitty yliopisto, Kuvitelmalaitos, Professori [nimi]",
        "Keksitty Hoiva Oy",
    ]
    assert facts.organisations[1].aliases == [
        "Keksitty yliopisto, Kuvitelmalaitos, Professori [nimi]"
    ]
    assert result.withheld == 1
    assert result.redacted >= 1
    assert withheld_names(facts) == []


def test_gate_keeps_names_when_personal_data_is_asked_for() -> None:
    facts = _facts()
    result = apply_policy(facts, include_personal_data=True)
    assert result.personal_data
    assert facts.organisations[1].name.endswith("Professori Eino Kuvitelma")
