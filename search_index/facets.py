"""Facet counts over all matches, fast: each facet's (document, value) pairs as numpy arrays.

Tables are kept per index *segment* (keyed by its id), so after a small update only the new segment
is read: a new searcher reuses the tables of the segments it shares with the old one.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

Table = tuple[list[str], np.ndarray, np.ndarray]  # values, segment-local docnums, value index per pair


def _table(reader, name: str) -> Table:
    values, docs, value_ids = [], [], []
    for term in reader.lexicon(name):
        value = term.decode("utf-8") if isinstance(term, bytes) else term
        ids = list(reader.postings(name, term).all_ids())
        docs.extend(ids)
        value_ids.extend([len(values)] * len(ids))
        values.append(value)
    return values, np.asarray(docs, dtype=np.int64), np.asarray(value_ids, dtype=np.int64)


class FacetCounter:
    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = tuple(fields)
        self._tables: dict[tuple[str, str], Table] = {}  # (segment id, field) -> table

    def _leaves(self, searcher) -> list[tuple[str, object, int]]:
        """(segment id, reader, docnum offset) for each segment of the searcher."""
        out = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            segment = reader.segment() if hasattr(reader, "segment") else None
            out.append((segment.segment_id() if segment is not None else f"r{id(reader)}", reader, offset))
        live = {seg for seg, _r, _o in out}
        for key in [k for k in self._tables if k[0] not in live]:
            del self._tables[key]  # segments merged away
        return out

    def _global(self, searcher) -> dict[str, Table]:
        """Each facet's table over the searcher's global document numbers (segments joined), kept while the
        searcher's segments are the same."""
        leaves = self._leaves(searcher)
        key = tuple((seg, offset) for seg, _reader, offset in leaves)
        cached = getattr(self, "_global_cache", None)  # (key, tables): one attribute, so threads see a pair
        if cached is None or cached[0] != key:
            tables: dict[str, Table] = {}
            for name in self.fields:
                values: dict[str, int] = {}
                docs, value_ids = [], []
                for seg, reader, offset in leaves:
                    if (seg, name) not in self._tables:
                        self._tables[(seg, name)] = _table(reader, name)
                    seg_values, seg_docs, seg_ids = self._tables[(seg, name)]
                    if not seg_values:
                        continue
                    index = np.asarray([values.setdefault(v, len(values)) for v in seg_values], dtype=np.int64)
                    docs.append(seg_docs + offset)
                    value_ids.append(index[seg_ids])
                tables[name] = (
                    list(values),
                    np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
                    np.concatenate(value_ids) if value_ids else np.zeros(0, dtype=np.int64),
                )
            cached = self._global_cache = (key, tables)
        return cached[1]

    def count(self, searcher, matched: Iterable[int]) -> dict[str, dict[str, int]]:
        """{facet: {value: number of matching documents}}, most frequent first."""
        mask = np.zeros(searcher.reader().doc_count_all() + 1, dtype=bool)
        mask[matched if isinstance(matched, np.ndarray) else np.fromiter(matched, dtype=np.int64)] = True
        tables = self._global(searcher)
        out: dict[str, dict[str, int]] = {}
        for name in self.fields:
            values, docs, value_ids = tables[name]
            totals: dict[str, int] = {}
            if values:
                counts = np.bincount(value_ids[mask[docs]], minlength=len(values))
                totals = {values[i]: int(counts[i]) for i in np.flatnonzero(counts)}
            out[name] = dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
        return out
