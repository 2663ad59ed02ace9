"""A bulk list as facts: one :class:`~sotegraph.facts.ProjectFact` per row, its implementer
(role ``LEAD``) and authority (role ``AUTHORITY``), every repair and unread row a warning,
and the counts in :class:`BulkStats`; end dates and statuses are observations dated with
the list's snapshot date.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sotegraph.errors import UsageError
from sotegraph.extract.bulk.lines import _iter, _text_lines
from sotegraph.extract.bulk.rows import BulkRow, RejectedRow
from sotegraph.facts import (
    Facts,
    Genre,
    Observation,
    OrganisationFact,
    Participation,
    ProjectFact,
    Role,
    Severity,
)
from sotegraph.read import Document
from sotegraph.reference.areas import default_inferrer
from sotegraph.reference.title_themes import title_themes

__all__ = [
    "ENDED_STATUSES",
    "KNOWN_SNAPSHOTS",
    "BulkFacts",
    "BulkStats",
    "iter_bulk_batches",
    "read_bulk",
]

#: Snapshot dates of the known EURA project lists, by :attr:`Document.id` (sha256 of the
#: normalised text). The 2014–2020 list (clean and raw export alike) is an autumn-2016
#: snapshot (its newest projects start on 2.1.2017; the source's ``publication_date:
#: 2014-11-1`` is wrong); it is dated 1.10.2016 here, to the month at best. The 2007–2013
#: list is dated 31.12.2015: the publication date its source gives, which is also the
#: latest end date in the file, where every project has ended or was interrupted.
KNOWN_SNAPSHOTS: dict[str, _dt.date] = {
    # fi_eura2014_projektilista_2016_clean.csv
    "aa4ea1058d9d280e3e7e97820d90873559046af31c5b24ecc11987c24d4bc0f2": _dt.date(2016, 10, 1),
    # fi_eura2014_projektilista_2016_original.csv
    "294707e1d25a4ecd0105b36260590f2353426136c7324f5d2d69c89a5900e87f": _dt.date(2016, 10, 1),
    # fi_eura2007_projektilista_2007-2013.csv
    "187594f0ab2f4f1139ead54a971aed42c052902f19de0e19a12835ad4697944f": _dt.date(2015, 12, 31),
}

#: Statuses meaning a project is over (used to infer a lower bound of an unknown snapshot).
ENDED_STATUSES = frozenset({"toiminta päättynyt", "päättynyt", "keskeytynyt", "suljettu"})


@dataclass(slots=True)
class BulkStats:
    """Counts of one bulk list: ``rows_read == projects_built + rows_reported``.

    Attributes
    ----------
    rows_read:
        Data rows (records) read, blank lines not counted.
    projects_built:
        Rows that became a project.
    rows_reported:
        Rows that did not, each reported with its line (``rejected + duplicates``).
    duplicates:
        Of those, rows repeating a code seen earlier in the file (the first is kept).
    rows_repaired:
        Projects built from a row that needed a repair (re-aligned or shifted cells).
    cells_unreadable:
        Cells left empty because their content could not be read (bad date, amount...).
    blank_lines:
        Empty lines skipped.
    by_fund:
        Projects built per fund (``"?"`` when the fund is unknown).
    """

    source: str
    period: str | None = None
    rows_read: int = 0
    projects_built: int = 0
    rows_reported: int = 0
    duplicates: int = 0
    rows_repaired: int = 0
    cells_unreadable: int = 0
    blank_lines: int = 0
    by_fund: dict[str, int] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        """Whether every row read is accounted for (built or reported)."""
        return self.rows_read == self.projects_built + self.rows_reported

    def summary(self) -> str:
        """The counts as one line, without the source (``str(stats)`` adds it)."""
        text = (
            f"{_count(self.rows_read, 'row')} read = {_count(self.projects_built, 'project')} "
            f"built + {_count(self.rows_reported, 'row')} reported"
        )
        extra = []
        if self.duplicates:
            extra.append(_count(self.duplicates, "duplicate code"))
        if self.rows_repaired:
            extra.append(_count(self.rows_repaired, "row") + " repaired")
        if self.cells_unreadable:
            extra.append(_count(self.cells_unreadable, "cell") + " unreadable")
        if extra:
            text += " (" + ", ".join(extra) + ")"
        return text

    def __str__(self) -> str:
        return f"{self.source}: {self.summary()}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


@dataclass(slots=True)
class BulkFacts(Facts):
    """:class:`~sotegraph.facts.Facts` of a bulk list, with its :class:`BulkStats`.

    Attributes
    ----------
    stats:
        Counts of the rows these facts come from (the whole file for :func:`read_bulk`,
        one batch for :func:`iter_bulk_batches`).
    total:
        Counts of the whole file: set on :func:`read_bulk`'s result and on the last batch.
    """

    stats: BulkStats | None = None
    total: BulkStats | None = None


def _infer_snapshot(projects: list[ProjectFact]) -> _dt.date | None:
    """Latest end date, if every project has ended (a lower bound of the snapshot date)."""
    latest: _dt.date | None = None
    for p in projects:
        if not p.status or p.status.casefold() not in ENDED_STATUSES:
            return None
        if isinstance(p.end, _dt.date) and (latest is None or p.end > latest):
            latest = p.end
    return latest


def read_bulk(
    document: Document,
    *,
    snapshot: _dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BulkFacts:
    """Read a bulk project list into facts: one project per row.

    Parameters
    ----------
    document:
        The CSV document (genre ``bulk-table``). Its text is read line by line.
    snapshot:
        The date the list was taken. Default: :data:`KNOWN_SNAPSHOTS` by document id, else
        the latest end date when every project has ended, else unknown (observations are
        then undated, with an ``Info`` warning).
    progress:
        Called as ``progress(rows_done, rows_expected)`` every 1,000 rows and at the end
        (``rows_expected`` counts the lines after the header, so it may be a little high).

    Returns
    -------
    BulkFacts
        Facts with ``stats`` (:class:`BulkStats`). Each repair, unreadable cell and
        unread row is also a warning naming its line; the last warning (``Info``) repeats
        the counts.

    Raises
    ------
    InputError
        If the first line is not a bulk-list header.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> text = ("Koodi,Rahasto,Hankkeen nimi,Tl,Viranomainen,Tila,Aloituspvm,Päättymispvm,"
    ...         "Toteuttajan nimi,a,b,c,d\\n"
    ...         "S20002,ESR,X,5,STM,Toiminnassa,31.2.2020,1.1.2021,,1,2,3,4\\n")
    >>> facts = read_bulk(Document.from_text(text, source="t.csv"))
    >>> facts.projects[0].start is None, facts.organisations_with_role("S20002", Role.LEAD)
    (True, [])
    >>> print(facts.warnings[0])
    t.csv:2: Aloituspvm '31.2.2020' is not a date (day is out of range for month); left empty (expected a date d.m.yyyy, e.g. 31.12.2016)
    """
    return next(_batches(document, snapshot=snapshot, batch_size=None, progress=progress))


def iter_bulk_batches(
    document: Document,
    *,
    batch_size: int = 20_000,
    snapshot: _dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[BulkFacts]:
    """Read a bulk list as a sequence of :class:`BulkFacts`, ``batch_size`` rows each.

    For very large lists: each batch can be turned into RDF and stored before the next is
    read. Every batch has the document's id and source; duplicate codes are detected across
    batches; each batch's ``stats`` counts its own rows and the last batch's also carries
    the totals (``last.stats`` is for the batch, ``last.total`` for the file). The snapshot
    date is taken from ``snapshot`` or :data:`KNOWN_SNAPSHOTS` (not inferred).

    Raises
    ------
    InputError
        If the first line is not a bulk-list header.
    ValueError
        If ``batch_size`` is not positive.

    Examples
    --------
    >>> from sotegraph.read import Document
    >>> rows = "\\n".join(f"S2{i:04d},ESR,Hanke {i}" for i in range(5))
    >>> doc = Document.from_text("Koodi,Rahasto,Hankkeen nimi\\n" + rows, source="t.csv")
    >>> [len(b.projects) for b in iter_bulk_batches(doc, batch_size=2)]
    [2, 2, 1]
    """
    if batch_size < 1:
        raise UsageError("batch_size must be at least 1")
    yield from _batches(document, snapshot=snapshot, batch_size=batch_size, progress=progress)


def _batches(
    document: Document,
    *,
    snapshot: _dt.date | None,
    batch_size: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[BulkFacts]:
    reader, rows = _iter(_text_lines(document.text), document.source)
    expected = 0
    if progress is not None:
        text = document.text
        expected = max(0, text.count("\n") + (0 if text.endswith("\n") else 1) - 1)
    period = reader.layout.period if reader else None
    total = BulkStats(source=document.source, period=period)
    known = snapshot or KNOWN_SNAPSHOTS.get(document.id)
    iso: dict[_dt.date, str] = {}

    def new_batch() -> BulkFacts:
        facts = BulkFacts(document_id=document.id, source=document.source, genre=Genre.BULK_TABLE)
        facts.stats = BulkStats(source=document.source, period=period)
        return facts

    def finish(facts: BulkFacts, last: bool) -> BulkFacts:
        stats = facts.stats
        assert stats is not None
        observed = known
        if observed is None and batch_size is None:
            observed = _infer_snapshot(facts.projects)
        if observed is None and facts.projects:
            facts.warn(
                "snapshot date of this list unknown: its end dates and statuses are undated "
                "observations",
                expected="read_bulk(..., snapshot=date)",
                severity=Severity.INFO,
            )
        for p in facts.projects:
            if p.end is not None:
                if isinstance(p.end, _dt.date):
                    value = iso.get(p.end)
                    if value is None:
                        value = iso[p.end] = p.end.isoformat()
                else:
                    value = str(p.end)
                p.observations.append(Observation("end", value, observed))
            if p.status:
                p.observations.append(Observation("status", p.status, observed))
        if last:
            stats.blank_lines = total.blank_lines = reader.blank_lines if reader else 0
            facts.total = total
        facts.warn(stats.summary(), severity=Severity.INFO)
        if last and batch_size is not None:
            facts.warn("whole file: " + total.summary(), severity=Severity.INFO)
        return facts

    facts = new_batch()
    for n in reader.preamble if reader else ():
        facts.warn(
            "line above the header skipped (not a header, not a row)",
            line=n,
            expected="the header row first",
        )
    orgs: dict[str, str] = {}
    for item in rows:
        stats = facts.stats
        assert stats is not None
        for st in (stats, total):
            st.rows_read += 1
        if isinstance(item, RejectedRow):
            for st in (stats, total):
                st.rows_reported += 1
                if item.duplicate_of is not None:
                    st.duplicates += 1
            facts.warn(f"row not read: {item.reason}", line=item.line, expected=item.expected)
        else:
            _add_row(facts, item, orgs, (stats, total))
        if progress is not None and total.rows_read % 1000 == 0:
            progress(total.rows_read, max(expected, total.rows_read))
        if batch_size is not None and stats.rows_read >= batch_size:
            yield finish(facts, last=False)
            facts, orgs = new_batch(), {}
    if progress is not None:
        progress(total.rows_read, total.rows_read)
    yield finish(facts, last=True)


def _start_year(item: BulkRow) -> int | None:
    start = item.start
    return start.year if isinstance(start, _dt.date) else start


def _add_row(
    facts: BulkFacts, item: BulkRow, orgs: dict[str, str], counters: tuple[BulkStats, ...]
) -> None:
    warn = facts.warn
    unreadable = 0
    for note in item.notes:
        if not note.repaired:
            unreadable += 1
        warn(
            note.message,
            line=item.line,
            expected=note.expected,
            severity=Severity.INFO if note.repaired else Severity.WARNING,
            field=note.column.value if note.column else None,
        )
    repaired = item.repaired
    fund = item.fund or "?"
    for st in counters:
        st.cells_unreadable += unreadable
        st.rows_repaired += repaired
        st.projects_built += 1
        st.by_fund[fund] = st.by_fund.get(fund, 0) + 1
    facts.projects.append(
        ProjectFact(
            key=item.code,
            name=item.name,
            code=item.code,
            span=item.span,
            fund=item.fund,
            programme_period=item.period,
            programme=item.programme,
            priority_axis=item.priority_axis,
            start=item.start,
            end=item.end,
            status=item.status,
            granted_eu_state=item.granted_eu_state,
            realised_eu_state=item.realised_eu_state,
            planned_public=item.planned_public,
            realised_public=item.realised_public,
            source_line=item.line,
            inferred_places=default_inferrer().infer(
                authority=item.authority, implementer=item.implementer, year=_start_year(item)
            ),
            themes=title_themes(item.name),
        )
    )
    for name, role, role_text in (
        (item.implementer, Role.LEAD, "Toteuttajan nimi"),
        (item.authority, Role.AUTHORITY, "Viranomainen"),
    ):
        if not name:
            continue
        key = orgs.get(name)
        if key is None:
            key = orgs[name] = f"org-{len(orgs) + 1}"
            facts.organisations.append(OrganisationFact(key=key, name=name, span=item.span))
        facts.participations.append(
            Participation(
                project=item.code,
                organisation=key,
                role=role,
                span=item.span,
                role_text=role_text,
            )
        )
