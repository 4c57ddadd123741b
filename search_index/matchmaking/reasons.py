"""Why two pilots match: the words-channel terms that add most to their cosine, shown as words.

The part of :class:`~.model.SimilarityModel` that explains a match; a mixin reading the model's feature space,
stem names and surface forms (the most frequent word of each stem)."""

from __future__ import annotations

import numpy as np

from .match_types import Vector


def _readable(stem: str) -> bool:
    """Worth showing as a reason: a word, not a number or a fragment such as the "e" of "e-mail"."""
    return len(stem) >= 3 and not stem.isdigit()


class Reasons:
    """The shared words of a query and a pilot (:meth:`reasons`), as the similar-pilot lists show them."""

    def reasons(self, q: Vector, doc_id: int, limit: int = 5) -> list[str]:
        """The words-channel terms that add most to the cosine of ``q`` and pilot ``doc_id``, as words."""
        with self._dense(q) as qd:
            return self._reasons(qd, doc_id, limit)

    def _reasons(self, qd: np.ndarray, doc_id: int, limit: int = 5) -> list[str]:
        row = self._vector_of(doc_id)
        in_words = row.indices < self._n_words
        terms = row.indices[in_words]
        contrib = qd[terms] * row.data[in_words]
        shared = np.flatnonzero(contrib > 0)
        out: list[str] = []
        covered: set[str] = set()
        for k in shared[np.argsort(-contrib[shared], kind="stable")]:
            parts = self._space.word_feature(int(terms[k]), self._names)
            if (len(parts) == 1 and parts[0] in covered) or not all(_readable(p) for p in parts):
                continue
            readable = " ".join(self._surface.get(p, p) for p in parts)
            if readable in out:
                continue
            out.append(readable)
            covered.update(parts)
            if len(out) >= limit:
                break
        return out
