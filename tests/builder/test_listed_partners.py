"""Partners of listed projects: a project of an EURA list that also comes from an EURA record
(same code) is one project, with the record's partners, so co-participation has its edges.

The list rows are real (one ESR project and the first 300 rows of the 2014–2020 list in ../shared); the record is
written here for a project of that list, with invented partner organisations.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sotegraph.builder import KnowledgeGraph

LIST = "fi_eura2014_projektilista_2016_clean.csv"
SG = "https://w3id.org/sotegraph/ontology#"
SGID = "https://w3id.org/sotegraph/id/"

RECORD = """Euroopan unioni

Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus

1 Hanke

Hankekoodi: {code}

Hankkeen nimi: {title}

Suunnitelman mukainen toteutusaika: Alkaa {start} ja päättyy {end}

Vastuuviranomainen: {authority}

2 Hakijan perustiedot

Hakijan virallinen nimi: {implementer}

Hakijoiden lukumäärä tai tuen siirto -menettely: Hakijoita on useampi kuin yksi (yhteishanke)

Osatoteuttajat

Keksityn Seudun Kuntayhtymä
Kuvitteellinen Kehitysyhdistys ry

3 Suunnitelman mukainen tiivistelmä toteutuksesta

Hankkeessa kehitetään yhdessä osatoteuttajien kanssa uusia toimintamalleja.
"""


@pytest.fixture(scope="module")
def built(bulk_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, dict]:
    folder = tmp_path_factory.mktemp("listed-partners")
    with (bulk_dir / LIST).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        every = list(reader)
    # the first ESR row with a named implementer, and 300 other rows
    row = next(r for r in every if r["Koodi"].startswith("S") and r["Toteuttajan nimi"].strip())
    rows = [row, *(r for r in every[:300] if r is not row)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "lista.csv").write_text(out.getvalue(), encoding="utf-8")
    (folder / "record.txt").write_text(
        RECORD.format(
            code=row["Koodi"],
            title=row["Hankkeen nimi"].strip(),
            start=row["Aloituspvm"].strip(),
            end=row["Päättymispvm"].strip(),
            authority=" ".join(row["Viranomainen"].split()),
            implementer=row["Toteuttajan nimi"].strip(),
        ),
        encoding="utf-8",
    )
    kg = KnowledgeGraph(folder / "store")
    result = kg.add_paths([folder / "lista.csv", folder / "record.txt"], use_nlp=False)
    assert not result.failed, result.failed
    return kg, row


def test_the_record_and_the_row_are_one_project(built: tuple[KnowledgeGraph, dict]) -> None:
    kg, row = built
    found = kg.sparql(
        f"""SELECT DISTINCT ?p WHERE {{ ?p a <{SG}Project> ; <{SG}projectCode> "{row["Koodi"]}" }}"""
    )
    assert [str(r["p"]) for r in found] == [f"{SGID}project/{row['Koodi']}"]
    sources = kg.sparql(
        f"""SELECT DISTINCT ?genre WHERE {{ GRAPH ?d {{ <{SGID}project/{row["Koodi"]}> ?x ?y }}
              ?d <{SG}genre> ?genre }}"""
    )
    assert {str(r["genre"]) for r in sources} == {"bulk-table", "eura-record"}


def test_coparticipation_has_the_records_partners(built: tuple[KnowledgeGraph, dict]) -> None:
    kg, _ = built
    pairs = kg.query("coparticipation")
    names = {frozenset((str(r["aName"]), str(r["bName"]))) for r in pairs}
    print(f"{len(pairs)} co-participation pairs: {sorted(map(sorted, names))}")
    partners = {"Keksityn Seudun Kuntayhtymä", "Kuvitteellinen Kehitysyhdistys ry"}
    assert frozenset(partners) in names
    # the list's implementer (the record's applicant) is one organisation with both partners
    with_implementer = [n for n in names if n & partners and len(n - partners) == 1]
    assert len(with_implementer) == 2, names
    # and the other listed projects, without partners, add no pair
    assert len(pairs) == 3


ARTICLE = """Nuorten palvelut kehittyvät

{title} -hankkeen hallinnoija on {implementer}. Hankkeen osatoteuttajat ovat \
Keksityn Seudun Kuntayhtymä ja Kuvitteellinen Kehitysyhdistys ry.

Hankkeen rahoittaa Euroopan sosiaalirahasto.
"""


def test_an_article_naming_a_listed_project_adds_its_partners(
    built: tuple[KnowledgeGraph, dict], tmp_path: Path
) -> None:
    """No code in the article: the project is resolved by its name to the listed project."""
    _, row = built
    folder = tmp_path
    with (folder / "lista.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row), lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    (folder / "uutinen.txt").write_text(
        ARTICLE.format(
            title=row["Hankkeen nimi"].strip(), implementer=row["Toteuttajan nimi"].strip()
        ),
        encoding="utf-8",
    )
    kg = KnowledgeGraph()
    result = kg.add_paths([folder / "lista.csv", folder / "uutinen.txt"])
    assert not result.failed, result.failed
    partners = kg.sparql(
        f"""SELECT DISTINCT ?project ?name WHERE {{
              GRAPH ?d {{ ?project <{SG}partner> ?o }} ?d <{SG}genre> "article" .
              ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }}"""
    )
    assert {str(r["project"]) for r in partners} == {f"{SGID}project/{row['Koodi']}"}
    assert {str(r["name"]) for r in partners} == {
        "Keksityn Seudun Kuntayhtymä",
        "Kuvitteellinen Kehitysyhdistys ry",
    }
    assert len(kg.query("coparticipation")) == 3
