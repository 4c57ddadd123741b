"""The pool a rebuild's segment writer collects postings in, grouped by field and term (see writer.py)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

import numpy as np

VALUE_MEMO_MAX = 20_000  # distinct values per field whose postings GroupedPool.add_value remembers


class _FieldPostings:
    """One field's postings in arrival order, as parallel columns: term number, document, weight, value.

    A document adds its postings with four ``extend`` calls (C loops) instead of a dictionary lookup and
    three appends per posting; :meth:`GroupedPool.terms` groups them by term once, with numpy."""

    def __init__(self) -> None:
        self.term_ids: dict[str, int] = {}  # term (UTF-8 bytes decoded with surrogateescape) -> its number
        self.tids = array("I")
        self.docnums = array("I")
        self.weights = array("d")
        self.values: list[bytes] = []
        self.by_value: dict[str, tuple] = {}  # GroupedPool.add_value's memo

    def extend(self, docnum: int, tids: list[int], weights: list[float], values: list[bytes]) -> None:
        self.tids.extend(tids)
        self.docnums.extend([docnum] * len(tids))
        self.weights.extend(weights)
        self.values.extend(values)

    def columns(self, items: Iterable[tuple]) -> tuple[list[int], list[float], list[bytes], int]:
        """Whoosh's (term, frequency, weight, value) items as term numbers, weights, values, and the sum
        of the frequencies (the field length)."""
        term_ids = self.term_ids
        tids, weights, values = [], [], []
        length = 0
        for tbytes, freq, weight, vbytes in items:
            term = tbytes.decode("utf-8", "surrogateescape")
            tid = term_ids.get(term)
            if tid is None:
                tid = term_ids[term] = len(term_ids)
            tids.append(tid)
            weights.append(weight)
            values.append(vbytes)
            length += freq
        return tids, weights, values, length


class GroupedPool:
    """A segment writer's pool (``add``, ``iter_postings``, ``fieldnames``, ``cleanup``) that groups the
    postings by field and term: ``iter_postings`` yields what Whoosh's sorting pool yields, in the same order."""

    def __init__(self) -> None:
        self._fields: dict[str, _FieldPostings] = {}
        self.runs: list = []

    @property
    def fieldnames(self) -> set[str]:
        return set(self._fields)

    def field(self, fieldname: str) -> _FieldPostings:
        found = self._fields.get(fieldname)
        if found is None:
            found = self._fields[fieldname] = _FieldPostings()
        return found

    def add(self, item: tuple) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_field(fieldname, docnum, [(tbytes, 1, weight, vbytes)])

    def add_field(self, fieldname: str, docnum: int, items: Iterable[tuple]) -> int:
        """A document's (term, frequency, weight, value) items of one field; returns the frequencies' sum."""
        postings = self.field(fieldname)
        tids, weights, values, length = postings.columns(items)
        postings.extend(docnum, tids, weights, values)
        return length

    def add_value(self, fieldname: str, field, docnum: int, value) -> int:
        """``add_field(fieldname, docnum, field.index(value))``, with the items of a text value indexed once
        per field: a status, a province or a list of themes repeats across thousands of pilots."""
        postings = self.field(fieldname)
        memo = postings.by_value if isinstance(value, str) else None
        found = memo.get(value) if memo is not None else None
        if found is None:
            found = postings.columns(field.index(value))
            if memo is not None and len(memo) < VALUE_MEMO_MAX:
                memo[value] = found
        postings.extend(docnum, found[0], found[1], found[2])
        return found[3]

    def terms(self) -> Iterator[tuple[tuple[str, bytes], tuple[np.ndarray, np.ndarray, np.ndarray]]]:
        """((field, term), (document numbers, weights, values)), sorted by field and term; each term's
        postings in the order they came (documents are added in order). Empties the pool as it goes."""
        for fieldname in sorted(self._fields):
            postings = self._fields[fieldname]
            tids = np.frombuffer(postings.tids, dtype=np.uint32)
            order = np.argsort(tids, kind="stable")
            starts = np.searchsorted(tids[order], np.arange(len(postings.term_ids) + 1)).tolist()
            docnums = np.frombuffer(postings.docnums, dtype=np.uint32)[order]
            weights = np.frombuffer(postings.weights, dtype=np.float64)[order]
            values = np.empty(len(postings.values), dtype=object)  # reordered in C, no index list in Python
            values[:] = postings.values
            values = values[order]
            keyed = sorted((term.encode("utf-8", "surrogateescape"), tid) for term, tid in postings.term_ids.items())
            del postings, tids, order  # the field's columns in arrival order are no longer needed
            self._fields[fieldname] = _FieldPostings()
            for tbytes, tid in keyed:
                a, b = starts[tid], starts[tid + 1]
                yield (fieldname, tbytes), (docnums[a:b], weights[a:b], values[a:b])

    def iter_postings(self) -> Iterator[tuple]:
        for (fieldname, tbytes), (docnums, weights, values) in self.terms():
            for docnum, weight, vbytes in zip(docnums.tolist(), weights.tolist(), values.tolist(), strict=True):
                yield fieldname, tbytes, docnum, weight, vbytes

    def save(self) -> None:
        """Nothing to spill: kept for Whoosh's writer, which calls it."""

    def cleanup(self) -> None:
        self._fields = {}
