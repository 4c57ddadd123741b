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

import numpy as np
from whoosh import query as Q  # noqa: N812

from .postings import _EMPTY_F, _EMPTY_I, Leaves
from .whoosh_fast import scoring


class Unsupported(Exception):
    """A query shape this module does not evaluate: the caller uses Whoosh's own search instead."""


class Vec:
    """Matching documents (sorted global numbers) and their scores (None when unscored)."""

    __slots__ = ("docs", "scores")

    def __init__(self, docs: np.ndarray, scores: np.ndarray | None) -> None:
        self.docs, self.scores = docs, scores


def _empty(scored: bool) -> Vec:
    return Vec(_EMPTY_I, _EMPTY_F if scored else None)


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
            b, k1 = scoring.bm25f_parameters(self.weighting, field)
            idf = self.searcher.idf(field, btext)
            avgfl = self.searcher.avg_field_length(field) or 1
            fl = self.leaves.column("length:" + field)[docs]
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
        else:
            scores = weights.copy()
        if q.boost != 1.0:
            scores = scores * q.boost
        return Vec(docs, scores)

    def _multiterm(self, q, scored: bool) -> Vec:
        """``prefix*`` and wildcards, expanded per segment as Whoosh does: one term there is scored as that
        term (the query's boost unused); several, in a segment above 5 000 documents, as the boosted sum of
        their BM25F scores; other segments (small ones: Whoosh gives constant scores there) are delegated."""
        expansions = [[t for _f, t in q.expanded_terms(reader)] for _seg, reader, _o, _d in self.leaves.leaves]
        terms = list(dict.fromkeys(t for found in expansions for t in found))
        if not scored:
            vecs = [self._term(Q.Term(q.fieldname, t), False) for t in terms]
            return Vec(np.unique(np.concatenate([v.docs for v in vecs])) if vecs else _EMPTY_I, None)
        for found, (_seg, reader, _o, _d) in zip(expansions, self.leaves.leaves, strict=True):
            if not scoring.sums_term_scores(len(found), reader.doc_count_all()):
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
        return Vec(summed.docs, scores)

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
        return Vec(docs, scores)

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
        for v in vecs:
            scores = scores + v.scores[np.searchsorted(v.docs, docs)]
        if q.boost != 1.0:
            scores = scores * q.boost
        return Vec(docs, scores)

    def _dense(self, vecs: list[Vec]) -> bool:
        return sum(len(v.docs) for v in vecs) * 16 > self.leaves.doc_count_all

    def _or(self, q, scored: bool) -> Vec:
        if scored and getattr(q, "scale", None):  # Whoosh's coordination bonus (CoordMatcher): ours set none
            raise Unsupported("Or with a coordination scale")
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
            total = np.zeros(n)
            for v in vecs:
                total[v.docs] += v.scores
            scores = total[docs]
        else:
            docs = np.unique(np.concatenate([v.docs for v in vecs]))
            if not scored:
                return Vec(docs, None)
            scores = np.zeros(len(docs))
            for v in vecs:
                scores[np.searchsorted(docs, v.docs)] += v.scores
        if q.boost != 1.0:
            scores = scores * q.boost
        return Vec(docs, scores)

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
        found = Vec(d[order], np.asarray(scores, dtype=np.float64)[order] if scored else None)
        if len(self.leaves._nodes) > 256:
            self.leaves._nodes.clear()
        self.leaves._nodes[key] = found
        return found


def _minus(a: Vec, remove: np.ndarray) -> Vec:
    if not len(remove) or not len(a.docs):
        return a
    keep = ~np.isin(a.docs, remove, assume_unique=True)
    return Vec(a.docs[keep], None if a.scores is None else a.scores[keep])
