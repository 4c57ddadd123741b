"""Similar pilots and drafts: the part of :class:`~.model.SimilarityModel` that ranks pilots for a vector.

Scoring is term-major: a query gathers only the postings of its own terms (words and title_chars channels) to
pick candidates, whose exact cosines (all channels) then come from their rows; the pilots changed since the
fit are scored against all of their rows. :meth:`Neighbours.brute_force` gives the same top results from a
product with every row (the benchmark's baseline, the tests' oracle). A mixin: the fitted state it reads is
set up in model.py.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .duplicate_likelihood import DUPLICATES, Tier
from .match_types import Match, Vector

CANDIDATE_MIN_DF = 1_000  # postings this short are always read (below ~5 000 pilots nothing is skipped)
# The candidate stage reads the postings of at most MAX_QUERY_TERMS of a query's terms, its heaviest (real
# pilots have at most about 500 in the words channel); the exact rescoring still uses the whole vector.
MAX_QUERY_TERMS = 2_000
# A list is the cosine's top RERANK_DEPTH, the possible duplicates first (most likely first), then the related
# pilots by cosine, as the pages show them. Cross-validated on the dev split (the folds of
# bench/train_duplicates.py) this raises duplicate MRR from 0.930 to 0.940 with titles, from 0.855 to 0.859
# without, and from 0.878 to 0.902 with clusters capped at six entries.
RERANK_DEPTH = 20


def _duplicates_first(pair: tuple[tuple[int, float], float]) -> tuple[bool, float, float, int]:
    """Possible duplicates first, by likelihood to two decimals (a near copy and an exact one both reach 1.00:
    then the closer comes first), then by cosine."""
    (doc_id, score), likelihood = pair
    possible = likelihood >= DUPLICATES.possible
    return (not possible, -round(likelihood, 2) if possible else 0.0, -score, doc_id)


class Neighbours:
    """Similar pilots (:meth:`similar`) and drafts (:meth:`similar_to_text`), and the cosine of two pilots."""

    def score(self, a: int, b: int) -> float:
        """The cosine of two known pilots."""
        with self._dense(self._vector_of(a)) as qd:
            b_vec = self._vector_of(b)
            return float(np.dot(qd[b_vec.indices], b_vec.data))

    @property
    def _title_chars_start(self) -> int:
        """First column of the title_chars channel (the last block: words, title words, chars, title chars)."""
        return self._n_words + self._n_features // 2  # 2 * n_words + n_chars

    def _candidate_rows(self, q: Vector, count: int) -> np.ndarray:
        """Base rows that share the most weight with ``q`` in the words and title_chars channels: only the
        postings of ``q``'s own terms are read, and not those of terms most pilots have (they weigh little and
        cost most); the caller rescores the candidates exactly."""
        n = len(self._ids)
        start = self._title_chars_start
        in_words, in_title = q.indices < self._n_words, q.indices >= start
        columns = np.concatenate((q.indices[in_words], q.indices[in_title] - start + self._n_words))
        weights = np.concatenate((q.data[in_words], q.data[in_title]))
        if n == 0 or len(columns) == 0:
            return np.empty(0, dtype=np.int64)
        if len(columns) > MAX_QUERY_TERMS:
            heaviest = np.argpartition(weights, len(weights) - MAX_QUERY_TERMS)[-MAX_QUERY_TERMS:]
            columns, weights = columns[heaviest], weights[heaviest]
        keep = self._df[columns] <= max(CANDIDATE_MIN_DF, self.settings.candidate_max_df * n)
        acc = self._postings[:, columns[keep]] @ weights[keep]
        acc[~self._alive] = 0.0
        hits = np.flatnonzero(acc > 0)
        if len(hits) > count:
            hits = hits[np.argpartition(acc[hits], len(hits) - count)[-count:]]
        return hits

    def _row_dots(self, rows: np.ndarray, qd: np.ndarray) -> np.ndarray:
        """Exact cosines of base rows ``rows`` with the dense query ``qd``."""
        if len(rows) == 0:
            return np.empty(0)
        return self._matrix[rows] @ qd

    def _scored(
        self, q: Vector, qd: np.ndarray, count: int, exclude: set[int], pool: int = 0
    ) -> list[tuple[int, float]]:
        """(id, exact cosine) of the best ``count`` pilots for ``q``, best first, ``exclude`` left out."""
        if len(q.indices) == 0:
            return []
        rows = self._candidate_rows(q, max(count + len(exclude), pool or self.settings.candidates))
        found = list(zip(self._ids[rows].tolist(), self._row_dots(rows, qd).tolist(), strict=True))
        delta_ids, delta = self._delta_rows()
        if len(delta_ids):
            found.extend(zip(delta_ids.tolist(), (delta @ qd).tolist(), strict=True))
        found = [(i, s) for i, s in found if s > 0 and i not in exclude]
        found.sort(key=lambda p: (-p[1], p[0]))
        return found[:count]

    def brute_force(self, q: Vector, count: int, exclude: Iterable[int] = ()) -> list[tuple[int, float]]:
        """The same ranking from a product with every row (the benchmark's baseline, and the tests' oracle)."""
        skip = set(exclude)
        with self._dense(q) as qd:
            scores = self._matrix @ qd
            scores[~self._alive] = 0.0
            found = list(zip(self._ids.tolist(), scores.tolist(), strict=True))
            delta_ids, delta = self._delta_rows()
            if len(delta_ids):
                found.extend(zip(delta_ids.tolist(), (delta @ qd).tolist(), strict=True))
        found = [(i, s) for i, s in found if s > 0 and i not in skip]
        found.sort(key=lambda p: (-p[1], p[0]))
        return found[:count]

    def ranked_parts(self, doc_id: int, limit: int) -> list[tuple[int, float, np.ndarray]]:
        """(id, cosine, channel parts) of the ``limit`` pilots most like pilot ``doc_id``, none left out: what
        the duplicate likelihood reads (``bench/train_duplicates.py`` trains on exactly this)."""
        q = self._vector_of(doc_id)
        with self._dense(q) as qd:
            found = self._scored(q, qd, limit, {doc_id})
            return [(i, s, self._parts(qd, i)) for i, s in found]

    def similar_brute_force(self, q: Vector, limit: int = 5, exclude: Iterable[int] = ()) -> list[Match]:
        """What :meth:`similar` answers for ``q``, its candidates from every row (the benchmark's baseline)."""
        found = self.brute_force(q, max(limit, RERANK_DEPTH), exclude)
        with self._dense(q) as qd:
            return self._matches(qd, found, limit)

    def _parts(self, qd: np.ndarray, doc_id: int) -> np.ndarray:
        """The cosine of ``qd`` and pilot ``doc_id`` split by channel (:data:`PARTS`; the title-words channel
        has weight 0)."""
        row = self._vector_of(doc_id)
        products = qd[row.indices] * row.data
        chars_start, title_chars_start = 2 * self._n_words, self._title_chars_start
        channel = np.searchsorted(np.array([self._n_words, chars_start, title_chars_start]), row.indices, "right")
        parts = np.bincount(channel, weights=products, minlength=4)
        return parts[[0, 2, 3]]

    def _matches(self, qd: np.ndarray, found: list[tuple[int, float]], limit: int) -> list[Match]:
        """The first ``limit`` of ``found`` worth showing, most likely duplicate first, with their duplicate
        likelihood and tier."""
        out: list[Match] = []
        if not found:
            return out
        likelihoods = DUPLICATES.likelihood(np.array([self._parts(qd, doc_id) for doc_id, _ in found])).tolist()
        ranked = sorted(zip(found, likelihoods, strict=True), key=_duplicates_first)
        for (doc_id, score), likelihood in ranked:
            score, likelihood = round(min(max(score, 0.0), 1.0), 4), round(likelihood, 4)
            reasons = self._reasons(qd, doc_id)
            tier = DUPLICATES.tier(score, likelihood, bool(reasons))
            if tier is None:
                continue
            out.append(Match(doc_id, score, tier != Tier.RELATED, reasons, likelihood, tier))
            if len(out) >= limit:
                break
        return out

    def similar(self, doc_id: int, limit: int = 5, exclude: Iterable[int] = ()) -> list[Match]:
        """The pilots most like pilot ``doc_id``, best first; never the pilot itself. KeyError if unknown."""
        q = self._vector_of(doc_id)
        if limit <= 0:
            return []
        with self._dense(q) as qd:
            return self._matches(qd, self._scored(q, qd, max(limit, RERANK_DEPTH), {doc_id, *exclude}), limit)

    def similar_to_text(
        self, title: str, summary: str = "", body: str = "", limit: int = 5, exclude: Iterable[int] = ()
    ) -> list[Match]:
        """The pilots most like an unsaved text (a draft), best first."""
        if limit <= 0:
            return []
        q = self.draft_vector(title, summary, body)
        with self._dense(q) as qd:
            return self._matches(qd, self._scored(q, qd, max(limit, RERANK_DEPTH), set(exclude)), limit)
