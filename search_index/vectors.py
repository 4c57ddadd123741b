"""Queries evaluated with numpy: every matching document and its BM25F score, without Whoosh's per-posting loop.

Whoosh scores one posting at a time in Python; a broad query at 100 000 pilots has tens of thousands of
postings, so the exact total, the facet counts and the top page cost it a second. Here a term's postings
(document numbers and term frequencies) are read block by block into numpy arrays — cached per index
segment, which never changes once written — and the query tree is evaluated on whole arrays: And =
intersection, Or = union, NOT = difference, scores summed exactly as Whoosh's matchers sum them, with the
same BM25F formula on the same field lengths (``tests/search_index/test_vectors.py`` checks the scores and
orders against Whoosh's own search). Query types without a vectorised form here (phrases, prefixes,
wildcards, …) are delegated, node by node, to Whoosh's matcher for that node, and the node's result is
kept for the searcher's lifetime.

Document numbers are the searcher's global numbers (segment offset + local number), in sorted int64
arrays; scores are float64 arrays aligned with them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as Q  # noqa: N812
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

_LENGTHS = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float64)
_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=np.float64)
POSTINGS_CACHE_ITEMS = 24_000_000  # postings kept (8 bytes each: 190 MB at most), least recently used dropped


class Unsupported(Exception):
    """A query shape this module does not evaluate: the caller uses Whoosh's own search instead."""


class Vec:
    """Matching documents (sorted global numbers), their scores and, for Or's coordination bonus, how many
    term leaves matched each one."""

    __slots__ = ("counts", "docs", "scores")

    def __init__(self, docs: np.ndarray, scores: np.ndarray | None, counts: np.ndarray | None = None) -> None:
        self.docs, self.scores, self.counts = docs, scores, counts


def _empty(scored: bool) -> Vec:
    return Vec(_EMPTY_I, _EMPTY_F if scored else None, _EMPTY_I if scored else None)


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
        return self.cached((seg, field, btext), lambda: _read_postings(reader, field, btext))

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
                n, field = reader.doc_count_all(), name[7:]
                perdoc = getattr(reader, "_perdoc", None)
                col = (
                    perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                    if hasattr(perdoc, "_cached_reader")
                    else None
                )
                if col is not None:  # the length bytes Whoosh's scorer decodes
                    found = _LENGTHS[np.fromiter(col, np.uint8, count=n)]
                else:  # another codec: ask document by document (1 when a field has no lengths)
                    found = np.array([reader.doc_field_length(d, field, 1) or 0 for d in range(n)], dtype=np.float64)
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


def _leaf_matcher(reader, field: str, btext: bytes):
    m = reader.postings(field, btext)
    while not hasattr(m, "_read_data") and hasattr(m, "child"):  # unwrap the deletions filter
        m = m.child
    return m


def _read_postings(reader, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Segment-local document numbers (deleted ones included) and weights of one term, block by block."""
    m = _leaf_matcher(reader, field, btext)
    if not hasattr(m, "_read_data"):  # not a Whoosh 3 posting list: the slow, general way
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    return _matcher_blocks(m)


def _matcher_blocks(m) -> tuple[np.ndarray, np.ndarray]:
    id_parts, weight_parts = [], []
    while not m._atend:
        m._read_data()
        id_parts.append(_ids_array(m._data[0], m._byteids))
        weight_parts.append(_weights_array(m._data[1], m._blocklength))
        m._next_block()
    return _joined(id_parts, weight_parts)


def _ids_array(ids, byteids) -> np.ndarray:
    arr = np.asarray(ids, dtype=np.int64)
    return arr if byteids else np.cumsum(arr)  # stored as differences


def _weights_array(weights, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n, dtype=np.float32)
    if isinstance(weights, float):
        return np.full(n, weights, dtype=np.float32)
    return np.asarray(weights, dtype=np.float32)


def _joined(id_parts, weight_parts) -> tuple[np.ndarray, np.ndarray]:
    if not id_parts:
        return _EMPTY_I.astype(np.int32), _EMPTY_F.astype(np.float32)
    # Kept compact: int32 numbers, float32 weights (Whoosh stores weights as float32: no precision lost)
    return np.concatenate(id_parts).astype(np.int32), np.concatenate(weight_parts).astype(np.float32)


class Leaves:
    """A searcher's segments: (segment id, reader, offset, deleted mask or None), and its global arrays."""

    def __init__(self, searcher, store: SegmentStore) -> None:
        self.searcher = searcher
        self.store = store
        self.leaves = []
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            segment = reader.segment() if hasattr(reader, "segment") else None
            seg = segment.segment_id() if segment is not None else f"r{id(reader)}"
            deleted = None
            if reader.has_deletions():
                deleted = np.zeros(reader.doc_count_all(), dtype=bool)
                deleted[np.fromiter(_deleted_docs(reader), dtype=np.int64)] = True
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


class Evaluator:
    """Evaluates one query tree against one searcher (``Leaves``) with the searcher's BM25F weighting."""

    def __init__(self, searcher, leaves: Leaves, weighting) -> None:
        self.searcher = searcher
        self.leaves = leaves
        self.weighting = weighting
        self.schema = searcher.schema

    # -- public -----------------------------------------------------------------------------------------
    def docs(self, query) -> np.ndarray:
        return self._eval(query, scored=False).docs

    def scored(self, query) -> Vec:
        return self._eval(query, scored=True)

    # -- nodes ------------------------------------------------------------------------------------------
    def _eval(self, q, scored: bool) -> Vec:
        if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
            return _empty(scored)
        cls = type(q)
        if cls is Q.Term:
            return self._term(q, scored)
        if cls is Q.Every and not scored:
            return Vec(self.leaves.all_live(), None)
        if cls is Q.And:
            return self._and(q, scored)
        if cls is Q.Or:
            return self._or(q, scored)
        if cls is Q.AndNot:
            a = self._eval(q.a, scored)
            return _minus(a, self._eval(q.b, False).docs)
        if cls in (Q.Prefix, Q.Wildcard):
            return self._multiterm(q, scored)
        if cls is Q.Phrase:
            return self._phrase(q, scored)
        raise Unsupported(cls.__name__)

    def _term(self, q, scored: bool) -> Vec:
        field = q.fieldname
        if field not in self.schema:
            return _empty(scored)
        fobj = self.schema[field]
        try:
            btext = fobj.to_bytes(q.text)
        except ValueError:
            return _empty(scored)
        docs, weights, _present = self.leaves.term(field, btext)
        if not scored:
            return Vec(docs, None)
        if not len(docs):
            return _empty(True)
        if fobj.scorable:
            w = self.weighting
            b = w._field_B.get(field, w.B)
            k1 = w.K1
            idf = self.searcher.idf(field, btext)
            avgfl = self.searcher.avg_field_length(field) or 1
            fl = self.leaves.column("length:" + field)[docs]
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
        else:
            scores = weights.copy()
        if q.boost != 1.0:
            scores = scores * q.boost
        return Vec(docs, scores, np.ones(len(docs), dtype=np.int64))

    def _multiterm(self, q, scored: bool) -> Vec:
        """``prefix*`` and wildcards, expanded per segment as Whoosh does: one term there is scored as that
        term (the query's boost unused); several, in a segment above 5 000 documents, as the boosted sum of
        their BM25F scores; other segments (small ones: Whoosh gives constant scores there) are delegated."""
        expansions = [list(q._btexts(reader)) for _seg, reader, _o, _d in self.leaves.leaves]
        terms = list(dict.fromkeys(t for found in expansions for t in found))
        if not scored:
            vecs = [self._term(Q.Term(q.fieldname, t), False) for t in terms]
            return Vec(np.unique(np.concatenate([v.docs for v in vecs])) if vecs else _EMPTY_I, None)
        for found, (_seg, reader, _o, _d) in zip(expansions, self.leaves.leaves, strict=True):
            if len(found) > 1 and (
                len(found) >= Q.Or.TOO_MANY_CLAUSES or (reader.doc_count_all() <= 5000 and len(found) > 2)
            ):
                return self._delegated(q, scored)
        if not terms:
            return _empty(True)
        summed = (
            self._or(Q.Or([Q.Term(q.fieldname, t) for t in terms]), True)
            if len(terms) > 1
            else self._term(Q.Term(q.fieldname, terms[0]), True)
        )
        factor = np.asarray([q.boost if len(found) > 1 else 1.0 for found in expansions])[
            self.leaves.leaf_of(summed.docs)
        ]
        scores = summed.scores * factor if q.boost != 1.0 else summed.scores
        return Vec(summed.docs, scores, np.ones(len(summed.docs), dtype=np.int64))

    def _phrase(self, q, scored: bool) -> Vec:
        """Documents with the words in order: Whoosh's phrase matcher per segment (it reads positions), kept
        per segment like postings; the score is what Whoosh gives a phrase: its boost times the sum of its
        words' BM25F scores."""
        words = list(q.words)
        if q.fieldname not in self.schema or len(words) < 2 or len(set(words)) < len(words):
            return self._delegated(q, scored)
        fobj = self.schema[q.fieldname]
        try:
            bwords = tuple(fobj.to_bytes(w) for w in words)
        except ValueError:
            return _empty(scored)
        parts = []
        for (sub, _off), (seg, reader, offset, deleted) in zip(
            self.searcher.leaf_searchers(), self.leaves.leaves, strict=True
        ):
            if any((q.fieldname, w) not in reader for w in bwords):
                continue

            def compute(sub=sub) -> tuple[np.ndarray, None]:
                m = q.matcher(sub, sub.boolean_context())
                return np.fromiter(m.all_ids(), dtype=np.int64).astype(np.int32), None

            ids, _none = self.leaves.store.cached((seg, "phrase", q.fieldname, bwords, q.slop), compute)
            ids = ids.astype(np.int64)
            if deleted is not None:
                ids = ids[~deleted[ids]]
            parts.append(ids + offset)
        docs = np.sort(np.concatenate(parts)) if parts else _EMPTY_I
        if not scored:
            return Vec(docs, None)
        terms = self._and(Q.And([Q.Term(q.fieldname, w) for w in words]), True)
        idx = np.searchsorted(terms.docs, docs)
        scores = terms.scores[idx] * q.boost if q.boost != 1.0 else terms.scores[idx]
        return Vec(docs, scores, np.ones(len(docs), dtype=np.int64))

    def _and(self, q, scored: bool) -> Vec:
        subs = q.subqueries
        if not subs:
            return _empty(scored)
        if len(subs) == 1:  # Whoosh uses the only subquery's matcher as it is (the And's boost unused)
            return self._eval(subs[0], scored)
        positive = [s for s in subs if not isinstance(s, Q.Not)]
        negative = [s.query for s in subs if isinstance(s, Q.Not)]
        if not positive:
            raise Unsupported("And of only NOT")
        vecs = [self._eval(s, scored) for s in positive]
        dense = self._dense(vecs)
        if dense:  # many matches: arrays over every document number beat sorting
            n = self.leaves.doc_count_all
            hits = np.zeros(n, dtype=np.int32)
            for v in vecs:
                hits[v.docs] += 1
            docs = np.flatnonzero(hits == len(vecs))
        else:
            docs = vecs[0].docs
            for v in vecs[1:]:
                docs = np.intersect1d(docs, v.docs, assume_unique=True)
        for sub in negative:
            docs = _minus(Vec(docs, None), self._eval(sub, False).docs).docs
        if not scored:
            return Vec(docs, None)
        scores = np.zeros(len(docs)) + float(len(negative))  # Whoosh's InverseMatcher scores 1.0 per NOT
        counts = np.zeros(len(docs), dtype=np.int64)
        for v in vecs:
            idx = np.searchsorted(v.docs, docs)
            scores = scores + v.scores[idx]
            counts = counts + v.counts[idx]
        if q.boost != 1.0:
            scores = scores * q.boost
        return Vec(docs, scores, counts)

    def _dense(self, vecs: list[Vec]) -> bool:
        return sum(len(v.docs) for v in vecs) * 16 > self.leaves.doc_count_all

    def _or(self, q, scored: bool) -> Vec:
        subs = q.subqueries
        if not subs:
            return _empty(scored)
        if len(subs) == 1:
            return self._eval(subs[0], scored)
        if any(isinstance(s, Q.Not) for s in subs):
            raise Unsupported("NOT inside Or")
        vecs = [self._eval(s, scored) for s in subs]
        if self._dense(vecs):  # many matches: arrays over every document number beat sorting
            n = self.leaves.doc_count_all
            present = np.zeros(n, dtype=bool)
            for v in vecs:
                present[v.docs] = True
            docs = np.flatnonzero(present)
            if not scored:
                return Vec(docs, None)
            total, matched = np.zeros(n), np.zeros(n, dtype=np.int64)
            for v in vecs:
                total[v.docs] += v.scores
                matched[v.docs] += v.counts
            scores, counts = total[docs], matched[docs]
        else:
            docs = np.unique(np.concatenate([v.docs for v in vecs]))
            if not scored:
                return Vec(docs, None)
            scores = np.zeros(len(docs))
            counts = np.zeros(len(docs), dtype=np.int64)
            for v in vecs:
                idx = np.searchsorted(docs, v.docs)
                scores[idx] += v.scores
                counts[idx] += v.counts
        if q.boost != 1.0:
            scores = scores * q.boost
        if getattr(q, "scale", None):
            scores = self._coord(q, docs, scores, counts, q.scale)
        return Vec(docs, scores, counts)

    def _coord(self, q, docs, scores, counts, scale: float) -> np.ndarray:
        """Whoosh's CoordMatcher ("SQR"), per segment: term leaves that exist in the segment count."""
        termcount = np.zeros(len(self.leaves.leaves), dtype=np.float64)
        for leaf in q.leaves():
            if type(leaf) is not Q.Term:
                raise Unsupported("coordination over non-term leaves")
            if leaf.fieldname not in self.schema:
                continue
            btext = self.schema[leaf.fieldname].to_bytes(leaf.text)
            for i, (_seg, reader, _o, _d) in enumerate(self.leaves.leaves):
                if (leaf.fieldname, btext) in reader:
                    termcount[i] += 1
        tc = termcount[self.leaves.leaf_of(docs)]
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (scores + ((counts - 1) / (tc - scale) ** 2)) * ((tc - 1) / tc)
        return np.where((tc == 0) | (tc == scale), 0.0, out)

    def _delegated(self, q, scored: bool) -> Vec:
        """Whoosh's own matcher for this node, segment by segment; kept for the searcher's lifetime."""
        key = (q, scored)
        found = self.leaves._nodes.get(key)
        if found is not None:
            return found
        docs, scores = [], []
        for sub, offset in self.searcher.leaf_searchers():
            context = sub.context(weighting=self.weighting if scored else None, needs_current=False)
            m = q.matcher(sub, context)
            if scored:
                while m.is_active():
                    docs.append(m.id() + offset)
                    scores.append(m.score())
                    m.next()
            else:
                docs.extend(d + offset for d in m.all_ids())
        d = np.asarray(docs, dtype=np.int64)
        order = np.argsort(d, kind="stable")
        if scored:
            found = Vec(d[order], np.asarray(scores, dtype=np.float64)[order], _term_counts(q, d[order], self))
        else:
            found = Vec(d[order], None)
        if len(self.leaves._nodes) > 256:
            self.leaves._nodes.clear()
        self.leaves._nodes[key] = found
        return found


def _term_counts(q, docs, ev) -> np.ndarray:
    return np.ones(len(docs), dtype=np.int64)


def _minus(a: Vec, remove: np.ndarray) -> Vec:
    if not len(remove) or not len(a.docs):
        return a
    keep = ~np.isin(a.docs, remove, assume_unique=True)
    return Vec(
        a.docs[keep],
        None if a.scores is None else a.scores[keep],
        None if a.counts is None else a.counts[keep],
    )


def _deleted_docs(reader):
    found = getattr(reader, "deleted_docs_set", None)
    if found is not None:
        return iter(found)
    return (d for d in range(reader.doc_count_all()) if reader.is_deleted(d))
