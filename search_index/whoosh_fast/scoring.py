"""What Whoosh's matchers decide below its public API, for an evaluator that must score as they do.

``BM25F`` keeps its per-field ``B`` in the private ``_field_B``; a ``MultiTerm`` (``prefix*``, wildcards)
expands per segment and ``Or.matcher`` then picks a matcher by heuristics (clause count, segment size) that
decide whether the expansion's scores are BM25F sums or constants. Whoosh-Reloaded 2.7.5 (the package's
guard); tests/search_index/test_vectors.py checks the scores against Whoosh's own search.
"""

from __future__ import annotations

from whoosh import query as Q  # noqa: N812
from whoosh.scoring import BM25F

ARRAY_MATCHER_MAX_DOCS = 5000  # Or.matcher: at most this many documents and > 2 clauses: ArrayUnionMatcher


def bm25f_parameters(weighting, field: str) -> tuple[float, float]:
    """(B, K1) that ``weighting`` (a ``BM25F``) uses for ``field``."""
    if not isinstance(weighting, BM25F):
        raise TypeError(f"not a BM25F weighting: {weighting!r}")
    return weighting._field_B.get(field, weighting.B), weighting.K1


def sums_term_scores(expanded: int, segment_docs: int) -> bool:
    """An expansion of ``expanded`` terms in a segment of ``segment_docs`` documents is scored by Whoosh
    as its terms are (one term), or as the boosted sum of their BM25F scores (a binary tree of unions);
    False where Whoosh picks another matcher, whose scores the caller must take from Whoosh itself."""
    if expanded <= 1:
        return True
    too_many = expanded >= Q.Or.TOO_MANY_CLAUSES
    return not too_many and not (segment_docs <= ARRAY_MATCHER_MAX_DOCS and expanded > 2)
