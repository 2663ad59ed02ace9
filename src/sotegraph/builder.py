"""The library facade: build a knowledge graph from files and use it.

Examples
--------
>>> import sotegraph
>>> from sotegraph.read import Document
>>> kg = sotegraph.KnowledgeGraph()          # an empty graph in memory
>>> result = kg.add_documents([Document.from_text(
...     "Euroopan sosiaalirahaston (ESR) rahoittaman hankkeen kuvaus\\n"
...     "Hankekoodi: S20001\\nHankkeen nimi: Koehanke\\n"
...     "Hakijan virallinen nimi: Esimerkki Oy\\n", source="koe.txt")], use_nlp=False)
>>> result.built
1
>>> [row["code"].toPython() for row in kg.query("projects")]
['S20001']
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import logging
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from sotegraph._version import __version__
from sotegraph.errors import InputError, StoreError
from sotegraph.facts import ExtractionWarning, Facts, Genre
from sotegraph.namespaces import (
    DCTERMS,
    GRAPH_NAMES,
    ORG,
    PROV,
    RDF,
    SG,
    SKOS,
    XSD,
    document_iri,
    participation_iri,
)
from sotegraph.nlp import load_pipeline
from sotegraph.privacy import PRIVATE_ORGANISATION_TYPE, apply_policy
from sotegraph.rdf import Emitted, emit_facts
from sotegraph.read import Document, ReadLimits, iter_sources, read_document, source_name
from sotegraph.reference.funds import funds_graph
from sotegraph.reference.relevance import assign_relevance
from sotegraph.resolve import ResolutionReport, Resolver
from sotegraph.resolve.identity import (
    NAME_TERMS,
    ORGANISATION,
    Identity,
    Naming,
    naming_patterns,
    namings_query,
    read_namings,
)
from sotegraph.store import Store, open_store
from sotegraph.store.base import check_iri

if TYPE_CHECKING:  # pragma: no cover
    from sotegraph.queries import Rows
    from sotegraph.validate import ValidationReport

__all__ = ["BuildResult", "Changes", "DocumentFailure", "KnowledgeGraph", "build"]

Progress = Callable[[str, int, int], None]
"""A progress callback: ``(stage, done, total)``; library functions never print."""


log = logging.getLogger(__name__)


@dataclass(slots=True)
class DocumentFailure:
    """A document that could not be read or extracted, and why."""

    source: str
    message: str
    line: int | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = self.source + (f":{self.line}" if self.line is not None else "")
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}: {self.message}{tail}"


@dataclass(slots=True)
class Changes:
    """What differs between files on disk and what a store holds (by source path).

    ``new``: files the store has never seen; ``changed``: files whose text differs from the
    stored version; ``unchanged``: files stored as they are; ``removed``: stored documents
    whose source lies under the given paths but is no longer there; ``unreadable``: files
    that could not be read (with the reason).
    """

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def items(self) -> list[tuple[str, list[str]]]:
        """``(status, sources)`` pairs in a fixed order (for display)."""
        return [
            ("new", self.new),
            ("changed", self.changed),
            ("unchanged", self.unchanged),
            ("removed", self.removed),
            ("unreadable", self.unreadable),
        ]

    @property
    def pending(self) -> bool:
        """Whether a build would change the store (anything new, changed or removed)."""
        return bool(self.new or self.changed or self.removed)


@dataclass(slots=True)
class BuildResult:
    """What a build did: counts of documents and every warning and failure."""

    read: int = 0
    built: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[DocumentFailure] = field(default_factory=list)
    warnings: list[ExtractionWarning] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    projects: int = 0
    #: triples written (a table built in batches: summed over its batches, so a resource that
    #: several batches describe counts in each)
    triples: int = 0
    #: what the privacy gate (:func:`sotegraph.privacy.apply_policy`) did, over all documents
    #: built: organisations whose names were people's (private persons, sole traders), withheld
    withheld: int = 0
    #: text values (summaries, sentences, names …) in which personal data was redacted
    redacted: int = 0
    #: contact persons dropped (personal data not asked for)
    persons_dropped: int = 0
    validation: ValidationReport | None = None
    #: what each bulk table read (rows read, built, reported: :class:`~sotegraph.extract.bulk.BulkStats`)
    tables: list[Any] = field(default_factory=list)
    #: every document's facts, only when the build was asked to keep them (``keep_facts=True``);
    #: otherwise each document's facts are let go once its graph is written
    facts: list[Facts] = field(default_factory=list, repr=False)

    @property
    def warned(self) -> int:
        """Number of documents with at least one warning."""
        return len({w.source for w in self.warnings})

    @property
    def exit_code(self) -> int:
        """0 when all is well, 1 when some documents failed or SHACL found violations, 2 when
        nothing readable was given."""
        if self.read == 0 and not self.built and not self.unchanged:
            return 2
        if self.built == 0 and self.unchanged == 0 and self.failed:
            return 2
        if self.failed:
            return 1
        if self.validation is not None and not self.validation.conforms:
            return 1
        return 0


class KnowledgeGraph:
    """A sotegraph knowledge graph over one store.

    Parameters
    ----------
    store:
        A :class:`~sotegraph.store.Store`, a folder for an embedded on-disk store, or ``None``
        for memory.
    include_personal_data:
        Keep contact persons, e-mail addresses and phone numbers in the graph, and the names
        of organisations that are people (private persons and sole traders in the project
        lists, see :func:`sotegraph.privacy.names_a_person`); off by default.
    """

    #: Documents built as one group: extracted, resolved against the store, validated and
    #: written, then let go before the next group (so memory follows the group, not the
    #: corpus). A build of no more documents than this, of no more than
    #: :attr:`group_characters` of text and no table over :attr:`table_batch_rows` rows is
    #: one group, resolved and validated at once.
    group_documents = 1000
    #: Characters of text in one group at most (a group holds at least one document).
    group_characters = 50_000_000
    #: A bulk table of more rows than this is read, resolved, validated and written in
    #: batches of this many rows (into its one graph; its manifest entry, the commit record,
    #: after the last). Its snapshot date is then the known or given one, not inferred. Each
    #: batch is resolved against the other documents of the store (read once per table);
    #: an organisation keeps the label its first batch gave it.
    table_batch_rows = 20_000
    #: A group that replaces no stored document is resolved with only the stored projects
    #: its own can reach (:func:`sotegraph.resolve.identity.reachable`; the same IRIs and
    #: labels as with all of them), so a build of many groups does not slow down and grow as
    #: the store fills. ``False``: with every stored project (for comparison).
    resolve_nearby = True

    def __init__(
        self,
        store: Store | str | Path | None = None,
        *,
        include_personal_data: bool = False,
    ) -> None:
        self.store: Store = store if isinstance(store, Store) else open_store(store)
        self.include_personal_data = include_personal_data
        self._resolver: Any = None
        self.last_build: BuildResult | None = None

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> KnowledgeGraph:
        """Open an existing on-disk store.

        Raises
        ------
        StoreError
            If there is no store at ``path``.
        """
        p = Path(path)
        if not p.is_dir():
            raise StoreError(f"no store at {p}")
        return cls(open_store(p, read_only=read_only))

    # -- building ---------------------------------------------------------------------------
    def add_paths(
        self,
        paths: Sequence[str | Path],
        *,
        use_nlp: bool = True,
        validate: bool = True,
        progress: Progress | None = None,
        limits: ReadLimits | None = None,
        workers: int | None = None,
        scheduler: Any = None,
        keep_facts: bool = False,
    ) -> BuildResult:
        """Read, extract, resolve, validate and store the given files and folders.

        A bad file is reported in :attr:`BuildResult.failed` and the rest go on. Each document
        is recorded (``dcterms:source``, the manifest) under its path relative to what was
        named (:func:`sotegraph.read.source_name`: ``seeds/x.txt`` for a folder ``…/seeds``),
        so no path of the building machine reaches the graph. A file over one of ``limits``
        (:class:`~sotegraph.read.ReadLimits`; the defaults unless given) fails alone, before
        it is extracted. ``workers``, ``scheduler`` and ``keep_facts`` as in
        :meth:`add_documents`.
        """
        result = BuildResult()
        try:
            files = iter_sources(list(paths))
        except InputError as exc:
            result.failed.append(_failure(exc, str(exc.file)))
            return result
        docs: list[Document] = []
        for i, (path, name) in enumerate(files, start=1):
            try:
                docs.append(read_document(path, source=name, limits=limits))
            except InputError as exc:  # DocumentTooLargeError too
                result.failed.append(_failure(exc, str(path)))
            if progress:
                progress("read", i, len(files))
        result.read = len(files)
        return self.add_documents(
            docs,
            use_nlp=use_nlp,
            validate=validate,
            progress=progress,
            result=result,
            workers=workers,
            scheduler=scheduler,
            keep_facts=keep_facts,
        )

    def add_documents(
        self,
        documents: Iterable[Document],
        *,
        use_nlp: bool = True,
        validate: bool = True,
        progress: Progress | None = None,
        result: BuildResult | None = None,
        workers: int | None = None,
        scheduler: Any = None,
        keep_facts: bool = False,
    ) -> BuildResult:
        """Extract, resolve, validate and store documents already read.

        Extraction runs in ``workers`` processes (``None``: one per core, see
        :func:`sotegraph.parallel.default_workers`), or on a Dask cluster when ``scheduler``
        (an address ``tcp://HOST:PORT`` or a ``dask.distributed.Client``) is given; the graph
        is the same as a one-process build. Resolution, validation and writing stay here.
        Each document's facts are let go once its graph is written (the result keeps counts
        and, for bulk tables, their :attr:`BuildResult.tables`); ``keep_facts`` keeps them in
        :attr:`BuildResult.facts`.
        """
        with _fewer_collections():
            return self._add_documents(
                documents,
                use_nlp=use_nlp,
                validate=validate,
                progress=progress,
                result=result,
                workers=workers,
                scheduler=scheduler,
                keep_facts=keep_facts,
            )

    def _add_documents(
        self,
        documents: Iterable[Document],
        *,
        use_nlp: bool,
        validate: bool,
        progress: Progress | None,
        result: BuildResult | None,
        workers: int | None,
        scheduler: Any,
        keep_facts: bool,
    ) -> BuildResult:
        res = result if result is not None else BuildResult()
        docs = list(documents)
        if result is None:
            res.read = len(docs)
        manifest = self._manifest_entries()
        existing = set(self.store.graph_names())
        todo: list[Document] = []
        recorded = set(manifest.values())
        # built with the other personal-data setting: built again (names in or out)
        other_mode = self._manifest_personal() ^ (recorded if self.include_personal_data else set())
        for doc in docs:
            iri = str(document_iri(doc.id))
            if iri in existing and iri in recorded and iri not in other_mode:
                res.unchanged += 1
                res.documents.append(doc.source)
            else:
                if iri in existing:
                    # written but never recorded: an ingest stopped before its commit record
                    # (the manifest entry), so the graph may be incomplete; build it again
                    self.store.remove_graph(iri)
                todo.append(doc)
        resolver = self._get_resolver()
        units = _units(todo, self.group_documents, self.group_characters, self.table_batch_rows)
        if len(units) > 1 or any(isinstance(u, Document) for u in units):
            self._add_in_groups(
                units,
                manifest,
                res,
                resolver,
                use_nlp=use_nlp,
                validate=validate,
                progress=progress,
                workers=workers,
                scheduler=scheduler,
                keep_facts=keep_facts,
            )
            return res
        # Storing overlaps the rest: graphs are written (each then recorded in the manifest)
        # by one background writer, in order and one at a time, while this thread extracts,
        # validates and prepares the next. Oxigraph releases the GIL while it loads, so the two
        # use both cores; leaving the block waits for the last write.
        with _Writer() as writer:
            references = self._missing_reference_graphs(resolver)
            if references:
                writer.submit(self._store_graphs, references)
            extracted = self._extract(
                todo,
                res,
                use_nlp=use_nlp,
                progress=progress,
                workers=workers,
                scheduler=scheduler,
            )
            for _doc, facts in extracted:  # before resolution mints IRIs from names
                policy = apply_policy(facts, include_personal_data=self.include_personal_data)
                res.withheld += policy.withheld
                res.redacted += policy.redacted
                res.persons_dropped += policy.persons_dropped
            leaving = [r for r in (manifest.get(d.source) for d, _f in extracted) if r]
            labels: dict[str, str] | None = None
            if resolver is not None and extracted:
                # one IRI and one name per project and organisation over the whole store:
                # resolved with what the store keeps, whose graphs change where that moved
                stored = self._stored_namings(leave_out=leaving)
                found = resolver.resolve_against(
                    [f for _, f in extracted], stored, nearby=self.resolve_nearby and not leaving
                )
                labels = found.labels
                if found.changes:
                    writer.submit(self.store.update, _identity_update(found))
            view: _GraphWideView | None = None
            if validate and self.store.embedded:
                # the graph-wide shapes' view of what stays, plus each new graph as it comes
                view = _GraphWideView()
                writer.wait()  # the reference graphs (and renames) are in, as a rule long since
                view.add_store(self.store, leave_out=leaving)
            self._store_all(
                extracted,
                manifest,
                res,
                writer,
                view,
                validate=validate,
                progress=progress,
                labels=labels,
                keep_facts=keep_facts,
            )
            if validate:
                # graph-wide shapes (facts that other documents may complete) run once,
                # on the view while the last graph is written, else on the store afterwards
                if view is None:
                    writer.wait()
                    wide = self.validate_graph_wide()
                else:
                    v = _validator()
                    wide = v.validate_graph_wide(v.IndexedGraph(view.triples()))
                res.validation = wide if res.validation is None else res.validation.extend(wide)
        if progress and extracted:  # the with block waited for the last write
            progress("store", len(extracted), len(extracted))
        return res

    def _add_in_groups(
        self,
        units: list[list[Document] | Document],
        manifest: dict[str, str],
        res: BuildResult,
        resolver: Any,
        *,
        use_nlp: bool,
        validate: bool,
        progress: Progress | None,
        workers: int | None,
        scheduler: Any,
        keep_facts: bool,
    ) -> None:
        """Build group after group (:attr:`group_documents`), a large table batch after batch.

        Each group is resolved against the store as the earlier groups left it (the resolver
        keeps nothing between calls: the store is its memory), validated with the
        per-document shapes and written; its facts are then let go. The graph-wide shapes run
        once at the end on the store's projects, their statements read from the store a
        chunk of projects at a time (:data:`_GRAPH_WIDE_CHUNK`).
        """
        total = sum(1 if isinstance(u, Document) else len(u) for u in units)
        done = [0]

        def stored(n: int) -> None:
            done[0] += n
            if progress:
                progress("extract", done[0], total)
                progress("store", done[0], total)

        # what the stored documents call their projects and organisations, read once and
        # then kept up to date group by group (only the documents a group wrote or changed are
        # read again), rather than every stored name read back for every group
        namings = _StoredNamings(self) if resolver is not None else None
        with _Writer() as writer:
            references = self._missing_reference_graphs(resolver)
            if references:
                writer.submit(self._store_graphs, references)
            for unit in units:
                if isinstance(unit, Document):
                    self._add_table_in_batches(
                        unit,
                        manifest,
                        res,
                        writer,
                        resolver,
                        validate=validate,
                        keep_facts=keep_facts,
                        progress=progress,
                        namings=namings,
                    )
                    stored(1)
                    continue
                extracted = self._extract(
                    unit,
                    res,
                    use_nlp=use_nlp,
                    progress=None,
                    workers=workers,
                    scheduler=scheduler,
                )
                self._resolve_and_store(
                    [(d, f, _WHOLE) for d, f in extracted],
                    manifest,
                    res,
                    writer,
                    resolver,
                    validate=validate,
                    keep_facts=keep_facts,
                    namings=namings,
                )
                del extracted
                writer.submit(self.store.flush)  # the store's write buffers, group by group
                _clear_group_caches()
                gc.collect()  # the group's cycles (rdflib graphs, facts) go before the next
                _trim_heap()
                stored(len(unit))
        if validate:
            # over the whole store, as a one-group build's view (the report equals validating
            # the store afterwards): an embedded store read a chunk of projects at a time by
            # index scans, a remote one by its one CONSTRUCT
            if self.store.embedded:
                # each typed project once, as the store finds them (never all held)
                projects = self.store.iter_lexical(_TYPED_PROJECTS)
                wide = self._graph_wide_of(row["s"] for row in projects if row["s"] is not None)
            else:
                wide = self.validate_graph_wide()
            res.validation = wide if res.validation is None else res.validation.extend(wide)

    def _add_table_in_batches(
        self,
        doc: Document,
        manifest: dict[str, str],
        res: BuildResult,
        writer: _Writer,
        resolver: Any,
        *,
        validate: bool,
        keep_facts: bool,
        progress: Progress | None,
        namings: _StoredNamings | None = None,
    ) -> None:
        """A large bulk table, :attr:`table_batch_rows` rows at a time, into its one graph."""
        from sotegraph.extract.bulk import iter_bulk_batches

        leaving = [r for r in (manifest.get(doc.source),) if r]
        writer.wait()  # the groups before are in the store
        stored: list[Naming] = []
        if namings is not None:
            stored = namings.read(leave_out=leaving)
        elif resolver is not None:
            stored = self._stored_namings(leave_out=leaving)
        first_labels: dict[str, str] = {}
        try:
            rows = None if progress is None else functools.partial(progress, "rows")
            batches = iter_bulk_batches(doc, batch_size=self.table_batch_rows, progress=rows)
            for batch in batches:
                assign_relevance(batch)
                # the last batch carries the whole file's counts
                part = _LAST_PIECE if batch.total is not None else _PIECE
                self._resolve_and_store(
                    [(doc, batch, part)],
                    manifest,
                    res,
                    writer,
                    resolver,
                    validate=validate,
                    keep_facts=keep_facts,
                    stored=stored,
                    first_labels=first_labels,
                    namings=namings,
                )
                del batch
                writer.submit(self.store.flush)
                gc.collect()  # the batch's cycles go before the next (see _fewer_collections)
                _trim_heap()
        except InputError as exc:  # a header that is no bulk list's: nothing was written
            res.failed.append(_failure(exc, doc.source))

    def _resolve_and_store(
        self,
        items: list[tuple[Document, Facts, str]],
        manifest: dict[str, str],
        res: BuildResult,
        writer: _Writer,
        resolver: Any,
        *,
        validate: bool,
        keep_facts: bool,
        stored: list[Naming] | None = None,
        first_labels: dict[str, str] | None = None,
        namings: _StoredNamings | None = None,
    ) -> None:
        """Gate, resolve (against the store as written so far, or ``stored``), validate and
        write ``items``. ``first_labels``: the labels earlier batches of the same table gave
        (kept; this batch's new ones are added). ``namings``: the build's stored namings, read
        from (when ``stored`` is not given) and told what this call writes and changes."""
        for _doc, facts, _part in items:
            policy = apply_policy(facts, include_personal_data=self.include_personal_data)
            res.withheld += policy.withheld
            res.redacted += policy.redacted
            res.persons_dropped += policy.persons_dropped
        leaving = [r for r in (manifest.get(d.source) for d, _f, _p in items) if r]
        labels: dict[str, str] | None = None
        if resolver is not None and items:
            if stored is None:
                writer.wait()  # the earlier groups are in the store: resolved against them
                if namings is not None:
                    stored = namings.read(leave_out=leaving)
                else:
                    stored = self._stored_namings(leave_out=leaving)
            # nothing leaves: only the stored projects the new ones can reach are resolved
            found = resolver.resolve_against(
                [f for _d, f, _p in items], stored, nearby=self.resolve_nearby and not leaving
            )
            del stored
            labels = found.labels
            if first_labels is not None:
                for iri, label in labels.items():
                    if "/organisation/" in iri:
                        labels[iri] = first_labels.setdefault(iri, label)
            if found.changes:
                writer.submit(self.store.update, _identity_update(found))
                if namings is not None:
                    namings.changed(c.document for c in found.changes)
        if namings is not None:
            namings.gone(leaving)
        v = _validator()
        for doc, facts, part in items:
            name = document_iri(doc.id)
            emitted = self._prepare(facts, labels)
            replaces = manifest.get(doc.source) if part != _PIECE else None
            writer.submit(self._store_piece, doc, name, emitted.text(), replaces, part)
            if namings is not None:
                if part == _WHOLE:  # what the graph says, as written
                    namings.written(doc.id, _emitted_namings(name, emitted))
                else:  # a table's piece: its graph is read again once it is whole
                    namings.changed((doc.id,))
            res.triples += len(emitted)
            if validate:
                graph = v.IndexedGraph(emitted.rdflib_triples(), identifier=name)
                report = v.validate_document(graph)
                res.validation = report if res.validation is None else res.validation.extend(report)
                del graph
            del emitted
            res.projects += len(facts.projects)
            res.warnings.extend(facts.warnings)
            if keep_facts:
                res.facts.append(facts)
            if part == _PIECE:
                continue
            if replaces not in (None, str(name)):
                res.replaced += 1
            res.built += 1
            res.documents.append(doc.source)
            stats = getattr(facts, "total", None) or getattr(facts, "stats", None)
            if stats is not None:
                res.tables.append(stats)

    def _store_piece(
        self, doc: Document, name: URIRef, data: str, replaces: str | None, part: str
    ) -> None:
        """Write a whole document (:meth:`_store_document`), or a piece of a table's graph
        (its last piece with the table's manifest entry, the commit record)."""
        if part == _WHOLE:
            self._store_document(doc, name, data, replaces)
            return
        self.store.append_ntriples(name, data)
        if part == _LAST_PIECE:
            self._store_document(doc, name, "", replaces, append=True)

    def _graph_wide_of(self, projects: Iterable[str]) -> ValidationReport:
        """The graph-wide shapes on the stored statements of ``projects`` (and of the
        documents they come from), :data:`_GRAPH_WIDE_CHUNK` projects at a time."""
        v = _validator()
        report: ValidationReport | None = None
        them = iter(projects)
        for i in itertools.count():
            if i % 10 == 0:
                _trim_heap()  # what the groups before freed, then every 10 chunks
            chunk = list(itertools.islice(them, _GRAPH_WIDE_CHUNK))
            if not chunk:
                break
            triples = _graph_wide_triples(self.store, chunk)
            part = v.validate_graph_wide(v.IndexedGraph(triples))
            del triples
            report = part if report is None else report.extend(part)
        if report is None:
            report = v.validate_graph_wide(v.IndexedGraph())
        return report

    def _extract(
        self,
        todo: list[Document],
        res: BuildResult,
        *,
        use_nlp: bool,
        progress: Progress | None,
        workers: int | None = None,
        scheduler: Any = None,
    ) -> list[tuple[Document, Facts]]:
        """Extract facts from each document (here, in worker processes or on a Dask cluster,
        :func:`sotegraph.parallel.extract_documents`); a document that fails goes to
        ``res.failed``, in input order either way."""
        from sotegraph.parallel import Failed, extract_documents

        count = [0]

        def done(n: int) -> None:
            # at most all: documents whose worker process stopped are extracted here again
            count[0] = min(len(todo), count[0] + n)
            if progress:
                progress("extract", count[0], len(todo))

        outcomes = extract_documents(
            todo,
            use_nlp=use_nlp,
            workers=workers,
            scheduler=scheduler,
            load_nlp=_load_nlp,
            done=done,
        )
        extracted: list[tuple[Document, Facts]] = []
        for doc, outcome in zip(todo, outcomes, strict=True):
            if isinstance(outcome, Failed):
                res.failed.append(
                    DocumentFailure(outcome.source, outcome.message, outcome.line, outcome.expected)
                )
            else:
                extracted.append((doc, outcome))
        for _doc, facts in extracted:  # every genre: sg:soteRelevance of each project
            assign_relevance(facts)
        return extracted

    def _store_all(
        self,
        extracted: list[tuple[Document, Facts]],
        manifest: dict[str, str],
        res: BuildResult,
        writer: _Writer,
        view: _GraphWideView | None,
        *,
        validate: bool,
        progress: Progress | None,
        labels: dict[str, str] | None = None,
        keep_facts: bool = False,
    ) -> None:
        """Hand each document's graph to the writer and validate it meanwhile; each
        document's facts are released from ``extracted`` once handed over."""
        v = _validator()
        for i, (doc, facts) in enumerate(extracted, start=1):
            name = document_iri(doc.id)
            replaces = manifest.get(doc.source)
            emitted = self._prepare(facts, labels)
            if replaces not in (None, str(name)):
                res.replaced += 1
            writer.submit(self._store_document, doc, name, emitted.text(), replaces)
            if progress and i > 1:
                # submit() waited for the previous document: it is stored and recorded
                progress("store", i - 1, len(extracted))
            res.triples += len(emitted)
            if validate:
                # the triples the build made, indexed once (not the text parsed back)
                graph = v.IndexedGraph(emitted.rdflib_triples(), identifier=name)
                # per-document shapes run as each document is ingested, on its own graph
                report = v.validate_document(graph)
                res.validation = report if res.validation is None else res.validation.extend(report)
                if view is not None:
                    view.add_graph(str(name), graph)
                    view.add_manifest_entry(doc)
                del graph
            del emitted
            res.built += 1
            res.projects += len(facts.projects)
            res.warnings.extend(facts.warnings)
            res.documents.append(doc.source)
            stats = getattr(facts, "stats", None)
            if stats is not None:
                res.tables.append(stats)
            if keep_facts:
                res.facts.append(facts)
            extracted[i - 1] = (doc, _RELEASED)  # the graph is written: its facts can go
            del facts

    def remove_document(self, doc: str) -> bool:
        """Remove one document's graph (by its sha256, IRI or source path)."""
        iri = self._find_document(doc)
        if iri is None:
            return False
        if not _DOCUMENT_GRAPH.fullmatch(iri):
            raise StoreError(f"not a document graph: {iri!r}")
        removed = self.store.has_graph(iri)
        # what the other documents' projects and organisations are called and which IRIs
        # they have, decided again without this one
        found = self._get_resolver().resolve_against([], self._stored_namings(leave_out=[iri]))
        follow = f" ; {_identity_update(found)}" if found.changes else ""
        # the graph, its manifest entry and what follows from its leaving: one transaction
        self.store.update(
            f"DROP SILENT GRAPH <{iri}> ;"
            f"DELETE WHERE {{ GRAPH <{GRAPH_NAMES['manifest']}> {{ <{iri}> ?p ?o }} }}" + follow
        )
        return removed

    def _stored_namings(
        self,
        *,
        leave_out: Iterable[str] = (),
        alike: bool = True,
        graphs: Sequence[str] | None = None,
    ) -> list[Naming]:
        """What the stored document graphs call their projects and organisations.

        ``leave_out``: document graphs that are going (replaced or removed). ``alike``:
        organisations named alike as one naming (:func:`read_namings`). ``graphs``: only these
        document graphs (IRIs).
        """
        skip = set(leave_out)
        if graphs is None and not any(
            _DOCUMENT_GRAPH.fullmatch(g) and g not in skip for g in self.store.graph_names()
        ):
            return []
        if graphs is not None and self.store.embedded:
            rows = self._naming_rows(graphs)  # index scans of each graph
        else:
            rows = self.store.iter_lexical(namings_query(graphs))  # not held: one row at a time
        return read_namings(
            (r for r in rows if r["g"] not in skip),
            document_prefix=_DOCUMENT_PREFIX,
            private_type=PRIVATE_ORGANISATION_TYPE,
            alike=alike,
        )

    def _naming_rows(self, graphs: Iterable[str]) -> Iterator[dict[str, str | None]]:
        """The rows of ``namings_query(graphs)``, read graph by graph by index scans (an
        embedded store: Oxigraph would join the query's graphs with every graph's
        statements)."""
        predicates, kinds = naming_patterns()
        patterns: list[tuple[None, URIRef, URIRef | None]] = [
            (None, URIRef(p), None) for p in predicates
        ]
        patterns += [(None, RDF.type, URIRef(k)) for k in kinds]
        for graph in graphs:
            for s, p, o, name in self.store.quads(*patterns, graph=graph):
                yield {"g": str(name), "s": str(s), "p": str(p), "o": str(o)}

    def changes(self, paths: Sequence[str | Path] | str | Path) -> Changes:
        """Compare files on disk with what the store holds, by source path and text hash.

        Files are read (not extracted) to hash their normalised text, so this is cheap.

        Raises
        ------
        InputError
            If a given path does not exist.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("Hankekoodi: S20001\\nHankkeen nimi: A\\n")
        >>> kg = KnowledgeGraph()
        >>> kg.changes([folder]).new == [f"{folder.name}/a.txt"]
        True
        >>> _ = kg.add_paths([folder], use_nlp=False, validate=False)
        >>> _ = (folder / "a.txt").write_text("Hankekoodi: S20001\\nHankkeen nimi: B\\n")
        >>> _ = (folder / "b.txt").write_text("Hankekoodi: S20002\\nHankkeen nimi: C\\n")
        >>> c = kg.changes([folder])
        >>> [pathlib.Path(x).name for x in c.changed], [pathlib.Path(x).name for x in c.new]
        (['a.txt'], ['b.txt'])
        """
        if isinstance(paths, str | Path):
            paths = [paths]
        out = Changes()
        stored = {str(r["source"]): str(r["sha"]) for r in self._manifest_rows()}
        present = set(self.store.graph_names())
        seen: set[str] = set()
        for path, name in iter_sources(list(paths)):
            try:
                doc = read_document(path, source=name)
            except InputError as exc:
                out.unreadable.append(f"{path}: {exc.message}")
                seen.add(str(path))
                continue
            seen.add(doc.source)
            old = stored.get(doc.source)
            if old == doc.id and str(document_iri(doc.id)) in present:
                out.unchanged.append(doc.source)
            elif old is not None:
                out.changed.append(doc.source)
            elif str(document_iri(doc.id)) in present:
                out.unchanged.append(doc.source)  # the same text stored from another path
            else:
                out.new.append(doc.source)
        roots = [source_name(p, p) if not Path(p).is_dir() else None for p in paths]
        folders = [
            source_name(p, Path(p) / "x").rpartition("/")[0] for p in paths if Path(p).is_dir()
        ]
        for source in sorted(stored):
            if source in seen:
                continue
            if source in roots or any(source.startswith(f + "/") for f in folders):
                out.removed.append(source)
        return out

    def _manifest_rows(self) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT ?doc ?source ?sha WHERE { GRAPH ?m { ?doc a ?t ; ?src ?source ; ?h ?sha } }",
            bindings={
                "m": GRAPH_NAMES["manifest"],
                "t": SG.Document,
                "src": DCTERMS.source,
                "h": SG.sha256,
            },
        )
        return [r for r in rows if r["source"] is not None and r["sha"] is not None]

    def _find_document(self, doc: str) -> str | None:
        if doc.startswith("http"):
            return doc if self.store.has_graph(doc) else None
        if len(doc) == 64 and all(c in "0123456789abcdef" for c in doc):
            iri = str(document_iri(doc))
            return iri if self.store.has_graph(iri) else None
        entries = self._manifest_entries()
        found = entries.get(doc) or entries.get(str(Path(doc)))
        if found is None:  # a path as typed: the recorded name is its tail (seeds/x.txt)
            posix = Path(doc).as_posix()
            tails = [s for s in entries if posix.endswith("/" + s)]
            found = entries[max(tails, key=len)] if tails else None
        return found

    def _manifest_personal(self) -> set[str]:
        """The documents recorded as built with personal data kept."""
        rows = self.store.query(
            "SELECT ?doc WHERE { GRAPH ?m { ?doc a ?t ; ?pd true } }",
            bindings={
                "m": GRAPH_NAMES["manifest"],
                "t": SG.Document,
                "pd": SG.personalDataKept,
            },
        )
        return {str(r["doc"]) for r in rows if r["doc"]}

    def _manifest_entries(self) -> dict[str, str]:
        rows = self.store.query(
            "SELECT ?doc ?source WHERE { GRAPH ?m { ?doc a ?t ; ?src ?source } }",
            bindings={
                "m": GRAPH_NAMES["manifest"],
                "t": SG.Document,
                "src": DCTERMS.source,
            },
        )
        return {str(r["source"]): str(r["doc"]) for r in rows if r["source"] and r["doc"]}

    def _prepare(self, facts: Facts, labels: dict[str, str] | None = None) -> Emitted:
        """One document's graph to store (its N-Triples, and its triples to validate).

        The facts went through the privacy gate (:func:`sotegraph.privacy.apply_policy`) before
        resolution: they are written as they are, each project and organisation with its
        preferred label over the store (``labels``).
        """
        return emit_facts(facts, labels=labels)

    def _store_document(
        self,
        doc: Document,
        name: URIRef,
        data: str,
        replaces: str | None,
        *,
        append: bool = False,
    ) -> None:
        """Write one document's graph (N-Triples) and record it in the manifest.

        The graph, its manifest entry (the document's commit record) and, for a changed
        document, the drop of its old graph and entry go in one transaction
        (:meth:`Store.store_document`): a reader, or a build after a kill, sees the document
        with its entry or not at all, never a graph without one and never both versions.
        """
        forget = None
        if replaces not in (None, str(name)):
            manifest = GRAPH_NAMES["manifest"]
            forget = (
                f"DELETE WHERE {{ GRAPH <{manifest}> {{ <{check_iri(str(replaces))}> ?p ?o }} }}"
            )
        if append:  # the graph was written in pieces: its entry (and the drops) now
            self.store.commit_document(
                name,
                record=self._manifest_entry(doc),
                drop_graphs=[str(replaces)] if forget else [],
                with_update=forget,
            )
            return
        self.store.store_document(
            name,
            data,
            record=self._manifest_entry(doc),
            drop_graphs=[str(replaces)] if forget else [],
            with_update=forget,
        )

    def _manifest_entry(self, doc: Document) -> str:
        """The manifest entry that records ``doc``, as N-Triples."""
        iri = document_iri(doc.id)
        g = Graph(identifier=GRAPH_NAMES["manifest"])
        g.add((iri, RDF.type, SG.Document))
        g.add((iri, DCTERMS.source, Literal(doc.source)))
        g.add((iri, SG.sha256, Literal(doc.id)))
        g.add((iri, SG.genre, Literal(doc.genre.value)))
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        g.add((iri, SG.ingestedAt, Literal(now, datatype=XSD.dateTime)))
        g.add((iri, SG.sotegraphVersion, Literal(__version__)))
        # the build's setting (a rebuild with the other one builds the document again)
        g.add((iri, SG.personalDataKept, Literal(self.include_personal_data)))
        return _nt(g)

    def _get_resolver(self) -> Any:
        if self._resolver is None:
            self._resolver = Resolver()
        return self._resolver

    def _missing_reference_graphs(self, resolver: Any) -> list[Graph]:
        """The reference graphs (funds, and the resolver's) that the store does not hold yet."""
        existing = set(self.store.graph_names())
        organisations = str(GRAPH_NAMES["organisations"])
        if organisations in existing and not self._authority_derived():
            existing.discard(organisations)  # written before it named its source: again
        graphs: dict[str, Graph] = {}
        if str(GRAPH_NAMES["funds"]) not in existing:
            graphs[str(GRAPH_NAMES["funds"])] = funds_graph()
        resolvers = {str(GRAPH_NAMES[k]) for k in ("organisations", "regions", "themes")}
        # building the resolver's graphs takes a second: only when one is missing
        if hasattr(resolver, "reference_graphs") and not resolvers <= existing:
            for name, g in resolver.reference_graphs().items():
                graphs[str(name)] = g
        return [g for name, g in graphs.items() if name not in existing]

    def _authority_derived(self) -> bool:
        """Whether the organisations of the stored authority graph name their source file."""
        # our own constant IRIs written in (a bound predicate in FILTER NOT EXISTS is slow)
        rows = self.store.query(
            f"ASK {{ GRAPH <{GRAPH_NAMES['organisations']}> {{ ?o a <{SG.Organisation}> "
            f"FILTER NOT EXISTS {{ ?o <{PROV.wasDerivedFrom}> ?file }} }} }}"
        )
        missing = rows[0].get("ask") if rows else None
        return not (isinstance(missing, Literal) and missing.toPython() is True)

    def _store_graphs(self, graphs: list[Graph]) -> None:
        for g in graphs:
            self.store.replace_graph(g.identifier, g)

    # -- using ------------------------------------------------------------------------------
    def query(self, name: str, **params: Any) -> Rows:
        """Run a named query (``queries/<name>.rq``) with bound parameters.

        Raises
        ------
        QueryError
            If the query is unknown or a parameter does not exist.
        """
        from sotegraph.queries import run_query

        return run_query(self.store, name, **params)

    def resolution_report(self) -> Any:
        """The resolution report of what this graph's builds merged and kept apart.

        Returns ``None`` before anything was built in this process.
        """
        return self._resolver.report() if self._resolver is not None else None

    def sparql(self, text: str) -> Rows:
        """Run a SPARQL SELECT/ASK query text on the store (default graph = union).

        The rows are :class:`~sotegraph.queries.Rows`: a list of dicts of RDF terms that
        also gives a typed DataFrame (``to_dataframe()``) and a table in a notebook.
        """
        from sotegraph.queries import Rows

        return Rows(self.store.query(text))

    def validate(self, *, lang: str = "fi") -> ValidationReport:
        """Validate the whole graph against the shipped shapes.

        Each document's graph is validated on its own with the per-document shapes, then the
        graph-wide shapes run once over a view of the whole store; the store is never copied
        into memory as a whole.
        """
        v = _validator()
        report = v.ValidationReport([], lang=lang)
        documents = 0
        for name in self.store.graph_names():
            if "/document/" not in name:
                continue
            documents += 1
            report = report.extend(v.validate_document(self._graph(name), lang=lang))
        report = report.extend(self.validate_graph_wide(lang=lang))
        report.documents = documents
        return report

    def _graph(self, name: str) -> Graph:
        """One named graph, read-only, to validate (dumped as N-Triples when embedded)."""
        if not self.store.embedded:
            return self.store.graph(name)
        data = self.store.graph_ntriples(name)
        return _validator().IndexedGraph.from_ntriples(data, identifier=URIRef(name))

    def validate_graph_wide(self, *, lang: str = "fi") -> ValidationReport:
        """Run the graph-wide shapes once, over the union of every document's project facts."""
        v = _validator()
        if self.store.embedded:  # index scans beat the CONSTRUCT's join in process
            parts = _GraphWideView()
            parts.add_store(self.store)
            view: Graph = v.IndexedGraph(parts.triples())
        else:
            view = self.store.construct(_GRAPH_WIDE_VIEW)
        return v.validate_graph_wide(view, lang=lang)

    def dataset(self) -> Dataset:
        """A copy of the whole graph as an rdflib Dataset (one graph per document)."""
        return self.store.to_dataset()

    def serialize(self, path: str | Path) -> Path:
        """Write every named graph to ``path``; the format follows the suffix.

        ``.trig``, ``.nq`` and ``.jsonld`` keep the named graphs (JSON-LD: one ``@graph``
        per named graph); ``.ttl`` and ``.nt`` write their union.

        Raises
        ------
        SotegraphError
            If the suffix is not one of those.
        """
        from sotegraph.export import export_rdf

        return export_rdf(self.store, path)

    def documents(self) -> list[dict[str, Any]]:
        """What the store holds: one row per document (source, sha256, genre, ingest time)."""
        # our own constant IRIs written in (not user input): a predicate bound by VALUES
        # inside OPTIONAL makes Oxigraph scan every quad per row (338 s on the seeds)
        rows = self.store.query(
            f"""SELECT ?doc ?source ?genre ?ingested ?version WHERE {{
                 GRAPH <{GRAPH_NAMES["manifest"]}> {{ ?doc <{DCTERMS.source}> ?source .
                 OPTIONAL {{ ?doc <{SG.genre}> ?genre }}
                 OPTIONAL {{ ?doc <{SG.ingestedAt}> ?ingested }}
                 OPTIONAL {{ ?doc <{SG.sotegraphVersion}> ?version }} }} }}
               ORDER BY ?source"""
        )
        return [{k: _py(v) for k, v in r.items()} for r in rows]

    def stats(self) -> dict[str, int]:
        """Counts of the resources the documents describe, and of all quads (reference data too).

        Only committed documents count: those with a manifest entry.
        """
        out: dict[str, int] = {"quads": len(self.store)}
        for label, cls in (
            ("projects", SG.Project),
            ("organisations", SG.Organisation),
            ("consortia", SG.Consortium),
            ("networks", SG.Network),
            ("documents", SG.Document),
        ):
            rows = self.store.query(
                f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ "
                f"GRAPH <{GRAPH_NAMES['manifest']}> {{ ?g a <{SG.Document}> }} "
                f"GRAPH ?g {{ ?s a <{cls}> }} "
                'FILTER(STRSTARTS(STR(?g), "https://w3id.org/sotegraph/id/document/")) }'
            )
            n = rows[0]["n"] if rows else None
            out[label] = int(str(n)) if n is not None else 0
        return out

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Writer:
    """One background thread that runs store writes in order, one at a time.

    :meth:`submit` waits for the previous write first (so at most one write is in flight and
    at most one document's data waits in memory) and raises its error, if it had one.
    Leaving the ``with`` block waits for the last write, also on an error or an interrupt,
    so a write is never cut off half-way by this process.
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sotegraph-writer")
        self._pending: Any = None

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        self.wait()
        self._pending = self._pool.submit(fn, *args)

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.wait()
        finally:
            # on an error or an interrupt: let the write in flight finish, report the first error
            self._pool.shutdown(wait=True)


def build(
    paths: Sequence[str | Path] | str | Path,
    *,
    store: Store | str | Path | None = None,
    include_personal_data: bool = False,
    use_nlp: bool = True,
    validate: bool = True,
    progress: Progress | None = None,
    limits: ReadLimits | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    keep_facts: bool = False,
) -> KnowledgeGraph:
    """Build a knowledge graph from files and folders.

    Parameters
    ----------
    paths:
        Files (EURA records, articles, bulk CSV tables, HTML, PDF) and folders.
    store:
        Where to keep the graph: ``None`` (memory), a folder, or a :class:`Store`.
    include_personal_data:
        Keep contact persons, e-mail addresses and phone numbers (off by default).
    use_nlp:
        Run the spaCy extractor over prose (articles and record summaries).
    validate:
        Validate the graph with SHACL after building.
    progress:
        Callback ``(stage, done, total)`` for progress display.
    limits:
        The largest and deepest documents read (:class:`~sotegraph.read.ReadLimits`; the
        defaults unless given): a document over one fails alone and the rest are built.
    workers:
        Processes that extract documents (``None``: one per core); 1 extracts here.
    scheduler:
        A Dask scheduler's address (``tcp://HOST:PORT``) or a ``dask.distributed.Client``:
        extraction runs on that cluster (needs ``pip install 'sotegraph[dask]'``).
    keep_facts:
        Keep every document's facts in ``kg.last_build.facts`` (by default they are let go
        as each document is written, so memory does not grow with the corpus).

    Returns
    -------
    KnowledgeGraph
        The graph; ``kg.last_build`` holds the :class:`BuildResult`.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    kg = KnowledgeGraph(store, include_personal_data=include_personal_data)
    kg.last_build = kg.add_paths(
        paths,
        use_nlp=use_nlp,
        validate=validate,
        progress=progress,
        limits=limits,
        workers=workers,
        scheduler=scheduler,
        keep_facts=keep_facts,
    )
    return kg


# What the graph-wide shapes (sgsh:scope "graph" in shapes.ttl) look at: projects' names, leads
# and sources, and the genre of those sources, across all documents.


def resolution_report(
    paths: list[Path],
    *,
    curations: Path | None = None,
    use_nlp: bool = True,
    include_personal_data: bool = False,
) -> tuple[ResolutionReport, list[str]]:
    """Read and extract ``paths``, resolve them together and return the report and failures.

    Organisations that are people (private persons, sole traders) are reported under their
    withheld labels unless ``include_personal_data``.

    Raises
    ------
    InputError
        If none of the paths can be read.
    """
    from sotegraph.extract import extract

    files = iter_sources(list(paths))
    facts = []
    failed: list[str] = []
    for path, name in files:
        try:
            facts.append(extract(read_document(path, source=name), use_nlp=use_nlp))
        except InputError as exc:
            failed.append(str(exc))
    if not facts:
        raise InputError("no readable document among the given paths", file=str(paths[0]))
    for f in facts:
        apply_policy(f, include_personal_data=include_personal_data, redact_text=False)
    resolver = Resolver(curations=curations)
    resolver.resolve_all(facts)
    return resolver.report(), failed


_GRAPH_WIDE_VIEW = """
PREFIX sg: <https://w3id.org/sotegraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT {
  ?p a sg:Project ; skos:prefLabel ?label ; sg:lead ?lead ; prov:wasDerivedFrom ?doc .
  ?doc a sg:Document ; sg:genre ?genre ; dcterms:source ?source .
} WHERE {
  ?p a sg:Project .
  { ?p skos:prefLabel ?label } UNION { ?p sg:lead ?lead }
  UNION { ?p prov:wasDerivedFrom ?doc . ?doc sg:genre ?genre ; dcterms:source ?source }
}
"""


class _GraphWideView:
    """What the graph-wide shapes look at (:data:`_GRAPH_WIDE_VIEW`), gathered graph by graph.

    It reads an embedded Oxigraph by a few index scans (1-2 s instead of 6 s for the
    CONSTRUCT's join over the union of all graphs on 22,821 projects), and during a build
    it takes each new document's graph as it is validated, so the graph-wide shapes can run
    while the last graph is still being written. :meth:`triples` gives the same triples as
    the CONSTRUCT over the store once the writes are done (tests compare the two).
    """

    _PREDICATES = (SKOS.prefLabel, SG.lead, PROV.wasDerivedFrom, SG.genre, DCTERMS.source)

    def __init__(self) -> None:
        self._graphs: dict[str, set[tuple[Node, Node, Node]]] = {}
        # the manifest graph's entries by document, so that one is replaced in O(1)
        self._manifest: dict[Node, set[tuple[Node, Node, Node]]] = {}

    def add_store(self, store: Store, *, leave_out: Iterable[str] = ()) -> None:
        """Read the store (:meth:`Store.quads` scans); ``leave_out``: document graphs (and
        manifest entries) being replaced."""
        skip = set(leave_out)
        manifest = str(GRAPH_NAMES["manifest"])

        patterns = [(None, RDF.type, SG.Project)] + [(None, p, None) for p in self._PREDICATES]
        for s, p, o, graph in store.quads(*patterns):
            if graph in skip:
                continue
            if graph != manifest:
                self._graphs.setdefault(graph, set()).add((s, p, o))
            elif str(s) not in skip:
                self._manifest.setdefault(s, set()).add((s, p, o))

    def add_graph(self, name: str, graph: Graph) -> None:
        """A document's new graph (replacing what was read for the same name)."""
        kept: set[tuple[Node, Node, Node]] = set(graph.triples((None, RDF.type, SG.Project)))
        for p in self._PREDICATES:
            kept.update(graph.triples((None, p, None)))
        self._graphs[name] = kept

    def add_manifest_entry(self, doc: Document) -> None:
        """The manifest entry a build writes for ``doc`` (its genre and source)."""
        iri = document_iri(doc.id)
        self._manifest[iri] = {
            (iri, SG.genre, Literal(doc.genre.value)),
            (iri, DCTERMS.source, Literal(doc.source)),
        }

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """The view's triples (a triple may come more than once)."""
        by_p: dict[Node, set[tuple[Node, Node]]] = {}
        projects: set[Node] = set()
        for part in (*self._graphs.values(), *self._manifest.values()):
            for s, p, o in part:
                if p == RDF.type:
                    projects.add(s)
                else:
                    by_p.setdefault(p, set()).add((s, o))
        genres: dict[Node, list[Node]] = {}
        for d, g in by_p.get(SG.genre, ()):
            genres.setdefault(d, []).append(g)
        sources: dict[Node, list[Node]] = {}
        for d, src in by_p.get(DCTERMS.source, ()):
            if d in genres:
                sources.setdefault(d, []).append(src)
        for s in projects:
            yield s, RDF.type, SG.Project
        for p in (SKOS.prefLabel, SG.lead):
            for s, o in by_p.get(p, ()):
                if s in projects:
                    yield s, p, o
        docs: set[Node] = set()
        for s, d in by_p.get(PROV.wasDerivedFrom, ()):
            if s in projects and d in sources:
                docs.add(d)
                yield s, PROV.wasDerivedFrom, d
        for d in docs:
            yield d, RDF.type, SG.Document
            for g in genres[d]:
                yield d, SG.genre, g
            for src in sources[d]:
                yield d, DCTERMS.source, src


_DOCUMENT_PREFIX = str(document_iri("0" * 64))[:-64]


def _identity_update(found: Identity) -> str:
    """The SPARQL update that brings the stored graphs in line with ``found`` (one request).

    Per document graph: each renamed resource's triples move to its new IRI (as subject and
    as object), and so do its participation nodes (``sgid:participation/<project>-<doc>-<n>``)
    when it is the only one moving to that IRI in the graph; then the name statements change.
    Should an IRI be both renamed and the new IRI of another in one graph, the moves go
    through temporary IRIs (and the participation nodes keep theirs).
    """
    ops: list[str] = []

    def move(graph: str, old: str, new: str) -> None:
        o, n = f"<{check_iri(old)}>", f"<{check_iri(new)}>"
        ops.append(
            f"DELETE {{ GRAPH {graph} {{ {o} ?p ?v }} }} "
            f"INSERT {{ GRAPH {graph} {{ {n} ?p ?v }} }} WHERE {{ GRAPH {graph} {{ {o} ?p ?v }} }}"
        )
        ops.append(
            f"DELETE {{ GRAPH {graph} {{ ?s ?p {o} }} }} "
            f"INSERT {{ GRAPH {graph} {{ ?s ?p {n} }} }} WHERE {{ GRAPH {graph} {{ ?s ?p {o} }} }}"
        )

    for change in found.changes:
        graph = f"<{check_iri(document_iri(change.document))}>"
        renames = sorted(change.renames.items())
        targets = Counter(change.renames.values())
        crossed = bool(set(change.renames) & set(targets))
        for old, new in renames:
            if "/project/" in old and targets[new] == 1 and not crossed:
                doc8 = change.document[:8]
                was = check_iri(str(participation_iri(f"{old.rsplit('/', 1)[-1]}-{doc8}", 1))[:-1])
                now = check_iri(str(participation_iri(f"{new.rsplit('/', 1)[-1]}-{doc8}", 1))[:-1])
                ops.append(
                    f"DELETE {{ GRAPH {graph} {{ ?n ?p ?v }} }} "
                    f"INSERT {{ GRAPH {graph} {{ ?m ?p ?v }} }} "
                    f"WHERE {{ GRAPH {graph} {{ ?n <{ORG.organization}> <{check_iri(old)}> ; ?p ?v }}"
                    f' FILTER(STRSTARTS(STR(?n), "{was}"))'
                    f' BIND(IRI(CONCAT("{now}", STRAFTER(STR(?n), "{was}"))) AS ?m) }}'
                )
        if crossed:
            temporary = {old: f"urn:sotegraph:renaming:{i}" for i, (old, _n) in enumerate(renames)}
            for old, _new in renames:
                move(graph, old, temporary[old])
            for old, new in renames:
                move(graph, temporary[old], new)
        else:
            for old, new in renames:
                move(graph, old, new)
        for verb, statements in (("DELETE", change.remove), ("INSERT", change.add)):
            if statements:
                lines = " ".join(
                    f"<{check_iri(s)}> <{NAME_TERMS[term]}> {_fi(text)} ."
                    for s, term, text in statements
                )
                ops.append(f"{verb} DATA {{ GRAPH {graph} {{ {lines} }} }}")
    return " ;\n".join(ops)


def _fi(text: str) -> str:
    """A Finnish literal in N-Triples / SPARQL syntax."""
    return Literal(text, lang="fi").n3()


def _validator() -> Any:
    import importlib

    return importlib.import_module("sotegraph.validate")


def _py(v: Any) -> Any:
    if v is None:
        return None
    return v.toPython() if isinstance(v, Literal) else str(v)


_DOCUMENT_GRAPH = re.compile(re.escape(str(document_iri("0" * 64))[:-64]) + "[0-9a-f]{64}")


def _failure(exc: InputError, source: str) -> DocumentFailure:
    return DocumentFailure(exc.file or source, exc.message, exc.line, exc.expected)


def _nt(g: Graph) -> str:
    data = g.serialize(format="nt")
    return data if isinstance(data, str) else data.decode("utf-8")


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while a build runs (restored after).

    A build makes millions of small objects that live until their document is written
    (facts, terms, index entries), and each full collection walks all of them: on the two
    bulk lists the default thresholds cost 4.5 of 21.6 s of CPU. Most objects go by
    reference counting; the collector still runs, every 100,000 allocations instead of 700,
    and a build in groups collects fully after each group (what is left in reference cycles,
    such as rdflib graphs, would otherwise wait for a full collection that comes seldom).
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 100_000), max(before[1], 50), max(before[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*before)


#: how a build writes a document: whole, or a table in pieces (the last with its entry)
_WHOLE, _PIECE, _LAST_PIECE = "whole", "piece", "last piece"
#: projects whose stored statements are read at a time for the graph-wide shapes (each
#: project's shapes look at its own statements and its documents' only): the memory of a
#: build's last step does not follow the store's size
_GRAPH_WIDE_CHUNK = 2_000
_TYPED_PROJECTS = f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{SG.Project}> }} }}"


def _units(
    todo: list[Document], documents: int, characters: int, table_rows: int
) -> list[list[Document] | Document]:
    """``todo`` as groups of documents (at most ``documents`` and ``characters`` each, at
    least one document), and each bulk table of more than ``table_rows`` rows on its own
    (a :class:`Document`, built in batches)."""
    units: list[list[Document] | Document] = []
    group: list[Document] = []
    size = 0
    for doc in todo:
        if doc.genre is Genre.BULK_TABLE and _more_lines_than(doc.text, table_rows + 1):
            if group:
                units.append(group)
                group, size = [], 0
            units.append(doc)
            continue
        if group and (len(group) >= documents or size + len(doc.text) > characters):
            units.append(group)
            group, size = [], 0
        group.append(doc)
        size += len(doc.text)
    if group:
        units.append(group)
    return units


def _more_lines_than(text: str, n: int) -> bool:
    """Whether ``text`` has more than ``n`` lines (counting stops there)."""
    pos = -1
    for _ in range(n):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return False
    return pos < len(text) - 1


def _graph_wide_triples(store: Store, projects: list[str]) -> list[tuple[Node, Node, Node]]:
    """What :data:`_GRAPH_WIDE_VIEW` holds for ``projects``, read by subject from the store."""
    wanted = (SKOS.prefLabel, SG.lead, PROV.wasDerivedFrom)
    out: list[tuple[Node, Node, Node]] = []
    docs: dict[Node, None] = {}
    # one query: the store looks each project up by subject and keeps the four predicates
    # (a pattern scan per project and predicate cost twice as much in Python)
    subjects = " ".join(f"<{check_iri(p)}>" for p in projects)
    predicates = ", ".join(f"<{p}>" for p in (RDF.type, *wanted))
    rows = store.query(
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {subjects} }} GRAPH ?g {{ ?s ?p ?o }}"
        f" FILTER(?p IN ({predicates})) }}"
    )
    typed: dict[Node, None] = {}
    found: dict[Node, list[tuple[Node, Node, Node]]] = {}
    for row in rows:
        s, p, o = row["s"], row["p"], row["o"]
        if s is None or p is None or o is None:
            continue  # not in a solution of this query
        if p == RDF.type:
            if o == SG.Project:
                typed[s] = None
        else:
            found.setdefault(s, []).append((s, p, o))
    del rows
    by_doc: dict[Node, list[tuple[Node, Node, Node]]] = {}
    for s in typed:
        out.append((s, RDF.type, SG.Project))
        for t in found.get(s, ()):
            if t[1] == PROV.wasDerivedFrom:
                docs[t[2]] = None
            out.append(t)
    manifest = GRAPH_NAMES["manifest"]
    doc_patterns = [(d, p, None) for d in docs for p in (SG.genre, DCTERMS.source)]
    for s, p, o, _g in store.quads(*doc_patterns, graph=manifest) if doc_patterns else ():
        by_doc.setdefault(s, []).append((s, p, o))
    for d, statements in by_doc.items():
        if {p for _s, p, _o in statements} >= {SG.genre, DCTERMS.source}:
            out.append((d, RDF.type, SG.Document))
            out.extend(statements)
    # a project derived from a document without genre and source: that statement goes
    kept_docs = {
        d for d, st in by_doc.items() if {p for _s, p, _o in st} >= {SG.genre, DCTERMS.source}
    }
    return [t for t in out if t[1] != PROV.wasDerivedFrom or t[2] in kept_docs]


#: what a document's entry in the list being stored holds once its graph is written
_RELEASED = Facts(document_id="", source="")

_NLP_CACHE: dict[str, Any] = {}


def _load_nlp() -> Any:
    """Load the sotegraph spaCy pipeline once (None when spaCy or the model is missing)."""
    if "nlp" not in _NLP_CACHE:
        try:
            _NLP_CACHE["nlp"] = load_pipeline()
        except (OSError, ImportError):  # spaCy or the Finnish model is not installed
            _NLP_CACHE["nlp"] = None
    return _NLP_CACHE["nlp"]


@functools.cache
def _naming_terms() -> tuple[frozenset[str], frozenset[str], str]:
    """:func:`naming_patterns` as N-Triples terms (predicates, classes) and ``rdf:type``'s,
    worked out once rather than for each document written."""
    predicates, kinds = naming_patterns()
    return (
        frozenset(f"<{p}>" for p in predicates),
        frozenset(f"<{k}>" for k in kinds),
        f"<{RDF.type}>",
    )


def _emitted_namings(graph: URIRef, emitted: Emitted) -> list[Naming]:
    """What :meth:`KnowledgeGraph._stored_namings` reads of the document graph ``graph``
    once ``emitted`` is written (without reading the store back)."""
    wanted, typed, rdf_type = _naming_terms()
    lines, term = emitted.rdflib_triples().ntriples_terms
    g = str(graph)
    rows = (
        {"g": g, "s": str(term(s)), "p": p[1:-1], "o": str(term(o))}
        for s, p, o in lines
        if p in wanted or (p == rdf_type and o in typed)
    )
    return read_namings(
        rows, document_prefix=_DOCUMENT_PREFIX, private_type=PRIVATE_ORGANISATION_TYPE
    )


#: Caches keyed by a document's own words (titles, names, summaries' words), let go after each
#: group of a build in groups: what they hold would otherwise grow with the documents read (up
#: to their size limits, in memory that the next groups' garbage then fragments); each fills
#: again from the next group, whose own words they mostly serve. (module, function) pairs.
_GROUP_CACHES = (
    ("sotegraph.nlp.voikko", "analyse"),
    ("sotegraph.nlp.voikko", "base_forms"),
    ("sotegraph.nlp.names", "fold"),
    ("sotegraph.nlp.names", "analyse_name"),
    ("sotegraph.nlp.names", "head_lemmas"),
    ("sotegraph.nlp.names", "_analyse_word"),
    ("sotegraph.privacy.implementers", "classify_implementer"),
    ("sotegraph.reference.relevance", "_keys"),
    ("sotegraph.reference.relevance", "_word_keys"),
    ("sotegraph.resolve.projects", "_name_key"),
    ("sotegraph.resolve.projects", "_keys"),
)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (None elsewhere)."""
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def _trim_heap() -> None:
    """Give the heap's free memory back to the system (glibc ``malloc_trim``).

    Between the groups of a build: what a group freed is otherwise kept by the C heap, in
    pieces that the next group's allocations (Python's, and Oxigraph's outside it) fragment
    further, so the resident size crept up group after group (records without NLP: 373 →
    415 MiB at the start of groups 5-10 of 10,000; with the trim about 250-280 MiB).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _clear_group_caches() -> None:
    """Empty :data:`_GROUP_CACHES` (those of modules not loaded are passed over)."""
    for module, name in _GROUP_CACHES:
        loaded = sys.modules.get(module)
        clear = getattr(getattr(loaded, name, None), "cache_clear", None)
        if clear is not None:
            clear()


class _StoredNamings:
    """What the stored document graphs call their projects and organisations, over one build.

    Read from the store once (the first time a group needs it), then kept: a group tells it
    which documents it wrote (:meth:`changed`), which stored documents its resolution changed
    (:meth:`changed`) and which went (:meth:`gone`); those documents' graphs are read again,
    and only those, when the next group asks (:meth:`read`). So a build in many groups does
    not read every stored name back for every group. :meth:`read` gives what
    :meth:`KnowledgeGraph._stored_namings` would read from the store at that moment.

    Projects are held one naming per document. Organisations are held once per way they are
    named (genre, IRI, statements, Y-tunnus, private), with the documents that name them so:
    an organisation named alike in thousands of documents is one naming and a set of ids.
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        self._kg = kg
        self._projects: dict[str, list[Naming]] | None = None
        self._organisations: dict[tuple[object, ...], tuple[Naming, set[str]]] = {}
        self._named_by: dict[str, list[tuple[object, ...]]] = {}
        self._stale: set[str] = set()
        # the same IRIs, names and statements recur across documents: one object each
        self._one: dict[object, object] = {}

    def changed(self, documents: Iterable[str]) -> None:
        """Documents (ids) written or changed since: read again before the next :meth:`read`."""
        self._stale.update(documents)

    def written(self, document: str, namings: list[Naming]) -> None:
        """A document (id) written whole, and its namings as written (the store is not read
        again for it)."""
        if self._projects is None:
            return  # never read yet: the first read reads the store
        self._stale.discard(document)
        self._keep(namings, (document,))

    def gone(self, graphs: Iterable[str]) -> None:
        """Document graphs (IRIs) removed or replaced."""
        self._stale.update(
            g[len(_DOCUMENT_PREFIX) :] for g in graphs if _DOCUMENT_GRAPH.fullmatch(g)
        )

    def read(self, *, leave_out: Iterable[str] = ()) -> list[Naming]:
        """The stored namings now (organisations named alike merged, as
        ``read_namings(..., alike=True)`` gives them), without the document graphs
        ``leave_out`` (IRIs)."""
        skip = {g[len(_DOCUMENT_PREFIX) :] for g in leave_out}
        if self._projects is None:
            self._projects = {}
            self._stale.clear()
            self._keep(self._kg._stored_namings(alike=False), ())
        elif self._stale:
            stale = sorted(self._stale)
            self._stale.clear()
            graphs = [f"{_DOCUMENT_PREFIX}{d}" for d in stale]
            self._keep(self._kg._stored_namings(alike=False, graphs=graphs), stale)
        out = [n for d, ns in self._projects.items() if d not in skip for n in ns]
        for naming, documents in self._organisations.values():
            them = sorted(documents - skip) if skip else sorted(documents)
            if them:
                out.append(replace(naming, document=them[0], also=tuple(them[1:])))
        out.sort(key=lambda n: (n.document, n.kind, n.iri))
        return out

    def _keep(self, namings: Iterable[Naming], documents: Iterable[str]) -> None:
        """Hold ``namings``, in place of what ``documents`` (ids) said before."""
        assert self._projects is not None
        for d in documents:
            self._projects.pop(d, None)
            for key in self._named_by.pop(d, ()):
                held = self._organisations[key][1]
                held.discard(d)
                if not held:
                    del self._organisations[key]
        one = self._one
        for n in namings:
            document: str = one.setdefault(n.document, n.document)  # type: ignore[assignment]
            if n.kind == ORGANISATION:
                key = (n.genre, n.iri, n.stated, n.business_id, n.private)
                held_by = self._organisations.get(key)
                if held_by is None:
                    self._organisations[key] = held_by = (n, set())
                held_by[1].add(document)
                self._named_by.setdefault(document, []).append(key)
                continue
            n.document = document
            n.iri = one.setdefault(n.iri, n.iri)  # type: ignore[assignment]
            n.genre = one.setdefault(n.genre, n.genre)  # type: ignore[assignment]
            n.stated = one.setdefault(n.stated, n.stated)  # type: ignore[assignment]
            self._projects.setdefault(document, []).append(n)
