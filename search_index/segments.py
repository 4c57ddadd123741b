"""Writing a rebuild's Whoosh segments fast, in Whoosh's own format (the same postings, values and statistics).

Whoosh's segment writer handles one posting at a time in Python, three times over: it tokenizes into
Token objects, collects every posting as a tuple in a pool that is sorted at the end (and spilled to disk
and merged once it outgrows ``limitmb``), then writes each posting with a method call. A rebuild of
100 000 pilots is 15 million postings, which cost Whoosh 150–230 s. Here:

* Dutch text fields index straight to columns of postings (``whoosh_analyzer.DutchPositions.postings``:
  no Token objects), and :func:`_add_document` hands them to the pool a field at a time;
* ``grouped_pool.GroupedPool`` keeps each field's postings as columns in arrival order and groups them by
  term once, with numpy (documents arrive in order, so each term's list stays sorted): no sort of tuples,
  no runs on disk;
* :func:`flush_segment` hands each term's whole list to Whoosh's own posting writer, block by block, with the
  block statistics Whoosh computes (``W3PostingsWriter.add_posting`` does the same one posting at a time);
* :class:`ForkedWriter` runs the sub-writers in forked processes that read the documents from memory they
  inherit, instead of Whoosh's ``MpWriter`` pickling every document to a job file for them.

Blocks are pickled with protocol 5 (Whoosh uses 2, see :func:`_write_block`), so they come out smaller.
Incremental writes (the sync after a save) keep Whoosh's own writer and pool. ``tests/search_index/
test_segments.py`` checks that an index written here equals, term by term and posting by posting, the
one Whoosh's own writer makes of the same documents.
"""

from __future__ import annotations

import pickle
import queue
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from operator import sub

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PerDocWriter, _lenfield
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .analysis import word_counts
from .documents import PilotDocument
from .forked import fork_available, forks_by_default, inherited, map_slices, sharing
from .grouped_pool import GroupedPool
from .whoosh_analyzer import DutchText

SLICE = 500  # documents per job handed to a forked writer (also the progress step)
# zlib level of posting blocks and stored fields: 1 compresses a third faster than Whoosh's 3, 6 % larger.
# Readers decompress any level.
ZLIB_LEVEL = 1
STORED_COLUMN = PickleColumn(CompressedBytesColumn(level=ZLIB_LEVEL))  # whoosh3.STORED_COLUMN at ZLIB_LEVEL


class _Lengths:
    """A new segment's per-document reader whose field lengths are read once per field into a list.

    Whoosh asks the length of the document of every posting it writes (for the block statistics), each time
    through the column file. Same values, same writes; only faster."""

    def __init__(self, reader) -> None:
        self._reader = reader
        self._fields: dict[str, list | None] = {}
        self._doccount = reader.doc_count_all()

    def field(self, fieldname: str) -> list | None:
        """The length of every document's field (None where it is 0), or None when the field has none."""
        if fieldname not in self._fields:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._fields[fieldname] = None if column is None else [byte_to_length(b) if b else None for b in column]
        return self._fields[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        lengths = self.field(fieldname)
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        return default if lengths is None else lengths[docnum]

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


def _write_term(
    postwriter, docnums: np.ndarray, weights: np.ndarray, values: np.ndarray, lengths: np.ndarray | None
) -> None:
    """One term's postings into Whoosh 3's posting writer, a block at a time, with the statistics
    ``add_posting`` keeps (maximum weight, minimum and maximum non-zero length, non-empty values)."""
    limit = postwriter._blocklimit
    for k in range(0, len(docnums), limit):
        block_weights = weights[k : k + limit]
        postwriter._ids = array("I", docnums[k : k + limit].tolist())
        postwriter._weights = array("f", block_weights.tolist())
        postwriter._values = list(filter(None, values[k : k + limit]))
        postwriter._maxweight = max(0, float(block_weights.max()))
        found = lengths[k : k + limit] if lengths is not None else None
        found = found[found > 0] if found is not None else ()
        postwriter._minlength = int(found.min()) if len(found) else None
        postwriter._maxlength = int(found.max()) if len(found) else 0
        _write_block(postwriter, last=k + limit >= len(docnums))


def _write_block(postwriter, last: bool) -> None:
    """``W3PostingsWriter._write_block``, the same block, pickled with protocol 5 instead of 2 and
    compressed at ``ZLIB_LEVEL`` instead of 3.

    Protocol 2 has no bytes type: it pickles every posting's value as a call to ``_codecs.encode`` on a
    text copy. A block of 128 position postings then pickles 8x and unpickles 7x slower than with protocol
    5 and takes twice the room after zlib. Whoosh unpickles a block without asking its protocol."""
    ids, weights = postwriter._ids, postwriter._weights
    if not postwriter._blockcount:
        postwriter._postfile.write(WHOOSH3_HEADER_MAGIC)
    postwriter._terminfo.add_block(postwriter)
    n = len(weights)
    if weights.count(1.0) == n:  # W3PostingsWriter._mini_weights, counted in C
        mini_weights = None
    elif weights.count(weights[0]) == n:
        mini_weights = weights[0]
    else:
        mini_weights = tuple(weights)
    data = (tuple(map(sub, ids, chain((0,), ids))), mini_weights, postwriter._mini_values())  # ids delta-coded
    databytes = pickle.dumps(data, 5)
    comp = ZLIB_LEVEL if postwriter._compression else 0
    if comp:
        databytes = zlib.compress(databytes, comp)
    info = (n, ids[-1], postwriter._maxweight, comp, length_to_byte(postwriter._minlength),
            length_to_byte(postwriter._maxlength))  # fmt: skip
    infobytes = pickle.dumps(info, 2)
    postfile = postwriter._postfile
    blocklength = len(infobytes) + len(databytes)
    postfile.write_int(-blocklength if last else blocklength)
    postfile.write(infobytes)
    postfile.write(databytes)
    postwriter._blockcount += 1
    postwriter._new_block()


def _write_grouped(fieldwriter: W3FieldWriter, schema, lengths: _Lengths | None, pool: GroupedPool) -> None:
    """``FieldWriter.add_postings`` for a grouped pool: a term at a time instead of a posting at a time."""
    current = None
    field_lengths: np.ndarray | None = None
    for (fieldname, btext), (docnums, weights, values) in pool.terms():
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current = fieldname
            found = lengths.field(fieldname) if lengths is not None else None
            field_lengths = None if found is None else np.array([n or 0 for n in found], dtype=np.int64)
        fieldwriter.start_term(btext)
        doc_lengths = field_lengths[docnums] if field_lengths is not None else None
        _write_term(fieldwriter._postwriter, docnums, weights, values, doc_lengths)
        fieldwriter.finish_term()
    if current is not None:
        fieldwriter.finish_field()
    fieldwriter.is_closed = True


def flush_segment(self: SegmentWriter) -> None:
    """``SegmentWriter._flush_segment`` (whoosh-reloaded 2.7) with lengths read once per field and, for a
    grouped pool, postings written a term at a time."""
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    lengths = _Lengths(pdr) if pdr is not None and hasattr(pdr, "_cached_reader") else None
    spelling = any(field.separate_spelling() for _name, field in self.schema.items())
    if isinstance(self.pool, GroupedPool) and isinstance(self.fieldwriter, W3FieldWriter) and not spelling:
        _write_grouped(self.fieldwriter, self.schema, lengths, self.pool)
    else:
        self.fieldwriter.add_postings(self.schema, lengths or pdr, self.pool.iter_postings())
    self.fieldwriter.close()
    if pdr:
        pdr.close()


WHOOSH_FLUSH_SEGMENT = SegmentWriter._flush_segment  # the original, for tests that compare with it
SegmentWriter._flush_segment = flush_segment

_FORKED_FIELDS: Callable[[PilotDocument], dict] | None = None  # how forked writers turn documents into fields


def _plain(schema) -> bool:
    """No field of the schema has spelling words or term vectors (which ``_add_document`` leaves out)."""
    return not any(field.separate_spelling() or field.vector for _name, field in schema.items())


def _add_document(writer: SegmentWriter, fields: dict) -> None:
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


def _add_documents(writer: SegmentWriter, docs: Iterable[PilotDocument], fields: Callable[[PilotDocument], dict]):
    if not isinstance(writer.pool, GroupedPool):
        writer.pool = GroupedPool()  # still empty: the writer was just made
    plain = _plain(writer.schema)
    for doc in docs:
        values = fields(doc)
        if plain and not any(name.startswith("_") for name in values):
            _add_document(writer, values)
        else:
            writer.add_document(**values)


class _SliceTask(SubWriterTask):
    """A forked sub-writer whose jobs are (start, end) slices of the documents it inherited."""

    def _process_file(self, start: int, end: int) -> None:
        _add_documents(self.writer, inherited()[start:end], _FORKED_FIELDS)


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


def corpus_word_counts(docs: Iterable[PilotDocument]) -> Counter[str]:
    """The words the compound lexicon is made of. Theme labels and tags count too: curated words ("Schulden
    en armoede") that compounds are made of ("energiearmoede") even where a text never uses them alone."""
    return word_counts(t for d in docs for t in (d.title, d.summary, d.plain_body, *d.theme_labels, *d.tags))


def count_words(docs: Sequence[PilotDocument], procs: int = 1) -> Counter[str]:
    """``corpus_word_counts`` of ``docs``, in ``procs`` forked processes (word counts add up)."""
    if procs <= 1 or not fork_available():
        return corpus_word_counts(docs)
    total: Counter[str] = Counter()
    for part in map_slices(corpus_word_counts, docs, procs):
        total.update(part)
    return total


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
        writer = SegmentWriter(ix)
        for start in range(0, len(docs), SLICE):
            _add_documents(writer, docs[start : start + SLICE], fields)
            if progress:
                progress(min(start + SLICE, len(docs)))
        writer.commit()
        _check_count(ix, len(docs))
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
    _check_count(ix, len(docs))


def _check_count(ix, expected: int) -> None:
    """A writer process that died leaves its segment out of the commit: refuse such an index."""
    found = ix.doc_count_all()
    if found != expected:
        raise RuntimeError(f"the new index holds {found} of {expected} documents")
