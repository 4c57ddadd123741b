"""The rebuild's segment writer: Whoosh's own segment format, written without Whoosh's per-posting loops.

Whoosh's segment writer handles one posting at a time in Python, three times over: it tokenizes into
Token objects, collects every posting as a tuple in a pool that is sorted at the end (and spilled to disk
and merged once it outgrows ``limitmb``), then writes each posting with a method call. A rebuild of
100 000 pilots is 15 million postings, which cost Whoosh 150–230 s. Here:

* Dutch text fields index straight to columns of postings (``whoosh_analyzer.DutchPositions.postings``:
  no Token objects), and :func:`_add_document` hands them to the pool a field at a time;
* ``pool.GroupedPool`` keeps each field's postings as columns in arrival order and groups them by term
  once, with numpy (documents arrive in order, so each term's list stays sorted): no sort of tuples, no
  runs on disk;
* :meth:`FastSegmentWriter._flush_segment` hands each term's whole list to Whoosh's own posting writer,
  block by block, with the block statistics Whoosh computes (``block_writer.py``);
* :class:`ForkedWriter` runs the sub-writers in forked processes that read the documents from memory they
  inherit, instead of Whoosh's ``MpWriter`` pickling every document to a job file for them.

Only the writers made here behave so (:class:`FastSegmentWriter`, also inside the forked processes): every
other writer in the process, such as the sync after a save, is Whoosh's own. Private state of Whoosh used:
``SegmentWriter._flush_segment``/``_finalize_segment``/``_added``, ``W3PerDocWriter._storedfields``/
``_indoc``, ``MpWriter``'s task list and queues (Whoosh-Reloaded 2.7.5, see the package's guard).
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterable, Sequence

from whoosh.codec.whoosh3 import W3FieldWriter, W3PerDocWriter
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from ..documents import PilotDocument
from ..forked import forks_by_default, inherited, sharing
from ..whoosh_analyzer import DutchText
from .block_writer import STORED_COLUMN, Lengths, write_grouped
from .pool import GroupedPool

SLICE = 500  # documents per job handed to a forked writer (also the progress step)
_FORKED_FIELDS: Callable[[PilotDocument], dict] | None = None  # how forked writers turn documents into fields


class FastSegmentWriter(SegmentWriter):
    """A segment writer whose postings go to a :class:`GroupedPool` and out a term at a time."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.pool = GroupedPool()  # Whoosh's pool is still empty: nothing was added, nothing spilled

    def _flush_segment(self) -> None:
        """``SegmentWriter._flush_segment`` (whoosh-reloaded 2.7.5) with lengths read once per field and,
        for a grouped pool, postings written a term at a time."""
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = Lengths(pdr) if pdr is not None and hasattr(pdr, "_cached_reader") else None
        spelling = any(field.separate_spelling() for _name, field in self.schema.items())
        if isinstance(self.fieldwriter, W3FieldWriter) and not spelling:
            write_grouped(self.fieldwriter, self.schema, lengths, self.pool)
        else:
            self.fieldwriter.add_postings(self.schema, lengths or pdr, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()

    def add_documents(self, docs: Iterable[PilotDocument], fields: Callable[[PilotDocument], dict]) -> None:
        """``add_document(**fields(doc))`` for each document; the fast way when the schema allows it."""
        plain = _plain(self.schema)
        for doc in docs:
            values = fields(doc)
            if plain and not any(name.startswith("_") for name in values):
                _add_document(self, values)
            else:
                self.add_document(**values)


def _plain(schema) -> bool:
    """No field of the schema has spelling words or term vectors (which ``_add_document`` leaves out)."""
    return not any(field.separate_spelling() or field.vector for _name, field in schema.items())


def _add_document(writer: FastSegmentWriter, fields: dict) -> None:
    """``SegmentWriter.add_document`` (whoosh-reloaded 2.7) for a plain schema and fields without boosts:
    each field's postings go to the grouped pool in one call instead of one call per posting."""
    schema, perdoc, pool, docnum = writer.schema, writer.perdocwriter, writer.pool, writer.docnum
    perdoc.start_doc(docnum)
    try:
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if isinstance(field, DutchText) and field.fast and isinstance(value, str):
                postings = pool.field(name)
                tids, weights, values, length = field.format.postings(value, field.analyzer, postings.term_ids)
                postings.extend(docnum, tids, weights, values)
            elif field.indexed:
                length = pool.add_value(name, field, docnum, value)
                if not field.scorable:
                    length = 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
    except Exception:
        perdoc.cancel_doc()
        raise
    if isinstance(perdoc, W3PerDocWriter):  # its finish_doc, with our STORED_COLUMN
        if stored := perdoc._storedfields:
            perdoc.add_column_value("_stored", STORED_COLUMN, stored)
            stored.clear()
        perdoc._indoc = False
    else:
        perdoc.finish_doc()
    writer._added = True
    writer.docnum += 1


class _SliceTask(SubWriterTask):
    """A forked sub-writer (a :class:`FastSegmentWriter`) whose jobs are (start, end) slices of the
    documents it inherited; it always finishes a segment of its own (``MpWriter``'s ``multisegment``)."""

    def run(self) -> None:
        """``SubWriterTask.run`` with our writer and jobs; Whoosh's own makes a plain ``SegmentWriter``."""
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = FastSegmentWriter(ix, _lk=False, **self.kwargs)  # the parent holds the lock
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            start, end = job
            writer.add_documents(inherited()[start:end], _FORKED_FIELDS)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        self.resultqueue.put((None, fieldnames, writer._finalize_segment()), timeout=5)


class ForkedWriter(MpWriter):
    """Whoosh's multi-process writer (one segment per process) fed with slices instead of job files."""

    def _new_task(self) -> _SliceTask:
        task = _SliceTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True)
        self.tasks.append(task)
        task.start()
        return task

    def add_slice(self, start: int, end: int) -> None:
        """Queue a job; :raise RuntimeError: when a writer process has died (its queue would fill for good)."""
        if len(self.tasks) < self.procs:
            self._new_task()
        while True:
            try:
                self.jobqueue.put((start, end), timeout=1.0)
                break
            except queue.Full:
                if not all(task.is_alive() for task in self.tasks):
                    raise RuntimeError("a writer process ended before its work was done") from None
        self._added_sub = True

    def cancel(self) -> None:
        for task in self.tasks:  # Whoosh's cancel only flags its own copy of the task: stop the processes
            if task.is_alive():
                task.terminate()
        super().cancel()


def write_documents(
    ix,
    docs: Sequence[PilotDocument],
    fields: Callable[[PilotDocument], dict],
    procs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Index ``docs`` (``fields(doc)`` gives Whoosh's field values) into the empty index ``ix`` and commit:
    in one process, or in ``procs`` forked ones, each writing its own segment."""
    global _FORKED_FIELDS
    if procs <= 1 or not forks_by_default():
        writer = FastSegmentWriter(ix)
        for start in range(0, len(docs), SLICE):
            writer.add_documents(docs[start : start + SLICE], fields)
            if progress:
                progress(min(start + SLICE, len(docs)))
        writer.commit()
        return
    _FORKED_FIELDS = fields
    try:
        with sharing(docs):
            writer = ForkedWriter(ix, procs=procs, multisegment=True)
            try:
                for start in range(0, len(docs), SLICE):
                    writer.add_slice(start, min(start + SLICE, len(docs)))
                    if progress:
                        progress(start)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
    finally:
        _FORKED_FIELDS = None
