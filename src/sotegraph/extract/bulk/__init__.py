"""Read EURA bulk project lists (CSV tables of ESR/EAKR projects) into :class:`Facts`.

Two column layouts are read, told apart by their header:

* 2014–2020: ``Koodi, Rahasto, Hankkeen nimi, Tl, Viranomainen, Tila, Aloituspvm,
  Päättymispvm, Toteuttajan nimi`` and four funding columns;
* 2007–2013: ``Koodi, Rahasto, Projektin nimi, Ohjelma / osio, Tl, Viranomainen,
  Toiminnan tila, Aloituspvm, Päättymispvm, Toteuttajan nimi`` and the same four.

Each row becomes a :class:`~sotegraph.facts.ProjectFact` (the same fields an EURA record
gives), its implementer (``Toteuttajan nimi``) an :class:`~sotegraph.facts.OrganisationFact`
with role ``LEAD`` and its authority (``Viranomainen``) one with role ``AUTHORITY``. An
empty implementer cell stays empty. Organisation names are kept as written (trimmed, with
``|`` restored to ``,``); the resolver canonicalises them.

Messy exports are repaired where the repair is unambiguous, and every repair and every
unreadable cell is reported as a warning naming the line and what was expected:

* a record terminator ``;`` at line ends (and stray empty fields before it), or misplaced
  inside a cell;
* whole lines wrapped in quotes, with broken inner quoting;
* commas inside names and authorities that were not quoted (the row is re-aligned on its
  anchors: the code and fund on the left, the status followed by two dates in the middle,
  the four amounts on the right);
* ``|`` standing for a comma;
* shifted cells: an amount in the start-date column (moved to an empty granted-funding
  cell), a date or a number where an amount or a name belongs (left empty).

A row that cannot be recovered (no valid project code, no recognisable structure, a
duplicate code) is reported and skipped. Nothing is lost silently: the result carries a
:class:`BulkStats` whose counts satisfy ``rows_read == projects_built + rows_reported``.

Snapshot dates: a bulk list is a snapshot; the end date and status it gives are recorded
as :class:`~sotegraph.facts.Observation` s dated with the snapshot date (see
:data:`KNOWN_SNAPSHOTS`), so that a newer EURA record can be preferred by queries.

A project in a bulk list and in an EURA record is one project: its key is its code, so
both documents name the same ``sgid:project/<code>``. Each document's claims stay in its
own named graph (nothing is overwritten); where they differ (end date, status), a query
prefers the record and falls back to the list, e.g.::

    OPTIONAL { GRAPH ?gr { ?gr sg:genre "eura-record" . ?p schema:endDate ?recEnd } }
    OPTIONAL { GRAPH ?gb { ?gb sg:genre "bulk-table" . ?p schema:endDate ?bulkEnd } }
    BIND(COALESCE(?recEnd, ?bulkEnd) AS ?end)

and between two lists, the one with the later snapshot date (``?gb dcterms:date``).

The package, by concern: :mod:`.columns` (the header and its columns), :mod:`.cells` (what
a cell holds: amounts, dates, texts), :mod:`.rows` (row types; splitting and re-aligning
cells), :mod:`.reader` (typed rows from records), :mod:`.lines` (streaming lines, records
and rows of a file or text) and :mod:`.tables` (rows to facts, counts and snapshots).

Examples
--------
>>> from sotegraph.facts import Role
>>> from sotegraph.read import Document
>>> text = (
...     "Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
...     "Toteuttajan nimi,Myönnetty EU- ja valtion rahoitus,Toteutunut EU- ja valtion rahoitus,"
...     "Suunniteltu julkinen rahoitus yhteensä,Toteutunut julkinen rahoitus yhteensä\\n"
...     "S20001,ESR,Koehanke | vaihe 2,5,Hämeen ELY-keskus,Toiminnassa,1.1.2015,31.12.2016,"
...     "Oulun yliopisto,1000,500.50,2000,900\\n"
... )
>>> facts = read_bulk(Document.from_text(text, source="lista.csv"))
>>> p = facts.projects[0]
>>> p.code, p.fund, p.programme_period, p.name, p.end
('S20001', 'ESR', '2014-2020', 'Koehanke, vaihe 2', datetime.date(2016, 12, 31))
>>> p.realised_eu_state
Decimal('500.50')
>>> [o.name for o in facts.organisations_with_role("S20001", Role.LEAD)]
['Oulun yliopisto']
>>> print(facts.stats)
lista.csv: 1 row read = 1 project built + 0 rows reported
"""

from __future__ import annotations

from sotegraph.extract.bulk.cells import parse_amount, parse_finnish_date
from sotegraph.extract.bulk.columns import (
    COLUMN_LABELS,
    PERIOD_2007,
    PERIOD_2014,
    BulkLayout,
    Column,
    read_layout,
)
from sotegraph.extract.bulk.lines import iter_bulk_rows
from sotegraph.extract.bulk.rows import BulkRow, RejectedRow, RowNote
from sotegraph.extract.bulk.tables import (
    ENDED_STATUSES,
    KNOWN_SNAPSHOTS,
    BulkFacts,
    BulkStats,
    iter_bulk_batches,
    read_bulk,
)

__all__ = [
    "COLUMN_LABELS",
    "ENDED_STATUSES",
    "KNOWN_SNAPSHOTS",
    "PERIOD_2007",
    "PERIOD_2014",
    "BulkFacts",
    "BulkLayout",
    "BulkRow",
    "BulkStats",
    "Column",
    "RejectedRow",
    "RowNote",
    "iter_bulk_batches",
    "iter_bulk_rows",
    "parse_amount",
    "parse_finnish_date",
    "read_bulk",
    "read_layout",
]
