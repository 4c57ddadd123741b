"""Facet counts over all matches, fast: per searcher, each facet's (document, value) pairs as arrays."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class FacetCounter:
    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = tuple(fields)
        self._searcher = None
        self._tables: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}

    def _table(self, searcher, name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        if searcher is not self._searcher:
            self._searcher, self._tables = searcher, {}
        if name not in self._tables:
            reader = searcher.reader()
            values, docs, value_ids = [], [], []
            for term in reader.lexicon(name):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                ids = list(reader.postings(name, term).all_ids())
                docs.extend(ids)
                value_ids.extend([len(values)] * len(ids))
                values.append(value)
            self._tables[name] = (values, np.asarray(docs, dtype=np.int64), np.asarray(value_ids, dtype=np.int64))
        return self._tables[name]

    def count(self, searcher, matched: Iterable[int]) -> dict[str, dict[str, int]]:
        """{facet: {value: number of matching documents}}, most frequent first."""
        mask = np.zeros(searcher.reader().doc_count_all() + 1, dtype=bool)
        ids = np.fromiter(matched, dtype=np.int64)
        mask[ids] = True
        out: dict[str, dict[str, int]] = {}
        for name in self.fields:
            values, docs, value_ids = self._table(searcher, name)
            if not values:
                out[name] = {}
                continue
            counts = np.bincount(value_ids[mask[docs]], minlength=len(values))
            order = np.argsort(-counts, kind="stable")
            out[name] = {values[i]: int(counts[i]) for i in order if counts[i] > 0}
        return out
