"""A searcher's postings as numpy arrays (read by ``whoosh_fast.postings`` from Whoosh's posting blocks), kept
per segment.

Segments never change once written (only their deletions do, applied per searcher), so a term's document
numbers and weights, the field lengths and the numeric columns of a segment are read once per process and
shared by every searcher until the segment is merged away. ``vectors.py`` evaluates queries on them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=np.float64)
POSTINGS_CACHE_ITEMS = 24_000_000  # postings kept (8 bytes each: 190 MB at most), least recently used dropped


class SegmentStore:
    """Per-segment arrays shared by all searchers of a process: postings and columns (segments are
    immutable; only their deletions change, and those are applied per searcher)."""

    def __init__(self, max_items: int = POSTINGS_CACHE_ITEMS) -> None:
        self._lock = threading.Lock()
        self._postings: OrderedDict = OrderedDict()
        self._items = 0
        self._max_items = max_items
        self._columns: dict = {}

    def postings(self, seg: str, reader, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        from .whoosh_fast.postings import term_arrays  # only with the fast paths on (see whoosh_fast)

        return self.cached((seg, field, btext), lambda: term_arrays(reader, field, btext))

    def cached(self, key: tuple, compute) -> tuple[np.ndarray, np.ndarray | None]:
        """``compute()`` -> (segment-local ids, weights or None), kept in the LRU under ``key`` (segment id first)."""
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            self._postings[key] = found
            self._items += len(found[0])
            while self._items > self._max_items and len(self._postings) > 1:
                _k, (ids, _w) = self._postings.popitem(last=False)
                self._items -= len(ids)
        return found

    def column(self, seg: str, reader, name: str) -> np.ndarray:
        """Field lengths (``_L:<field>``) or a numeric column (``updated``) of one segment, per document."""
        key = (seg, name)
        found = self._columns.get(key)
        if found is None:
            if name.startswith("length:"):
                from .whoosh_fast.postings import field_lengths  # only with the fast paths on

                found = field_lengths(reader, name[7:])
            else:
                col = reader.column_reader(name)
                found = np.fromiter((int(v) for v in col), dtype=np.int64, count=reader.doc_count_all())
            self._columns[key] = found
        return found

    def forget(self, live: set[str]) -> None:
        """Drop the arrays of segments merged away."""
        with self._lock:
            for key in [k for k in self._postings if k[0] not in live]:
                ids, _w = self._postings.pop(key)
                self._items -= len(ids)
            for key in [k for k in self._columns if k[0] not in live]:
                del self._columns[key]


class Leaves:
    """A searcher's segments: (segment id, reader, offset, deleted mask or None), and its global arrays."""

    def __init__(self, searcher, store: SegmentStore) -> None:
        self.searcher = searcher
        self.store = store
        from .whoosh_fast.postings import deleted_docs  # only with the fast paths on

        self.leaves = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            segment = reader.segment() if hasattr(reader, "segment") else None
            seg = segment.segment_id() if segment is not None else f"r{id(reader)}"
            deleted = None
            if reader.has_deletions():
                deleted = np.zeros(reader.doc_count_all(), dtype=bool)
                deleted[np.fromiter(deleted_docs(reader), dtype=np.int64)] = True
            self.leaves.append((seg, reader, offset, deleted))
        self.doc_count_all = searcher.doc_count_all()
        self._globals: dict[str, np.ndarray] = {}
        self._nodes: dict = {}  # delegated query nodes -> Vec, for this searcher's lifetime
        self._lock = threading.Lock()
        self.live = None

    def segments(self) -> set[str]:
        return {seg for seg, *_ in self.leaves}

    def column(self, name: str) -> np.ndarray:
        """A per-document array over the global document numbers."""
        found = self._globals.get(name)
        if found is None:
            parts = [self.store.column(seg, reader, name) for seg, reader, _o, _d in self.leaves]
            found = np.concatenate(parts) if parts else np.zeros(0)
            self._globals[name] = found
        return found

    def all_live(self) -> np.ndarray:
        if self.live is None:
            parts = []
            for _seg, reader, offset, deleted in self.leaves:
                local = np.arange(reader.doc_count_all(), dtype=np.int64)
                parts.append((local if deleted is None else local[~deleted]) + offset)
            self.live = np.concatenate(parts) if parts else _EMPTY_I
        return self.live

    def term(self, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """Global docs and weights of a term without deleted documents, and the leaves that hold the term."""
        doc_parts, weight_parts, present = [], [], []
        for i, (seg, reader, offset, deleted) in enumerate(self.leaves):
            if (field, btext) not in reader:
                continue
            present.append(i)
            ids, weights = self.store.postings(seg, reader, field, btext)
            if deleted is not None:
                keep = ~deleted[ids]
                ids, weights = ids[keep], weights[keep]
            doc_parts.append(ids.astype(np.int64) + offset)
            weight_parts.append(weights.astype(np.float64))
        if not doc_parts:
            return _EMPTY_I, _EMPTY_F, present
        if len(doc_parts) == 1:
            return doc_parts[0], weight_parts[0], present
        return np.concatenate(doc_parts), np.concatenate(weight_parts), present

    def leaf_of(self, docs: np.ndarray) -> np.ndarray:
        offsets = np.asarray([o for _s, _r, o, _d in self.leaves], dtype=np.int64)
        return np.searchsorted(offsets, docs, side="right") - 1
