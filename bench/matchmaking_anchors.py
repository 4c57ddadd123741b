"""The matchmaking benchmark's anchors: three plain methods our model is measured against (eval_matchmaking.py).

* TF-IDF defaults: scikit-learn ``TfidfVectorizer()`` over title + text, cosine;
* trigram (Decidim): PostgreSQL ``pg_trgm`` similarity (word trigrams, padded with two spaces before and one
  after; |A∩B| / |A∪B|), the greatest of the title's and the text's;
* Whoosh ``more_like``: a Whoosh index (Dutch ``LanguageAnalyzer``, BM25F) of title + text; the five key
  terms of the pilot as the query. For a sentence pair, the score of one sentence in the other's
  ``more_like`` (0 if absent), averaged both ways.

Each gives a score matrix (or a ranking) for the register and a score per sentence pair.
"""

# ruff: noqa: S311 -- a seeded sample of pairs to check a reading

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence

import numpy as np
from matchmaking_data import Row, jaccard, joined, pair_rows, trigrams

ANCHORS = ("TF-IDF defaults", "trigram (Decidim)", "Whoosh more_like")


def tfidf_scores(rows: Sequence[Row]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer().fit_transform([joined(r) for r in rows])
    return (x @ x.T).toarray()


def trigram_pair(a: Row, b: Row) -> float:
    return max(jaccard(trigrams(a.title), trigrams(b.title)), jaccard(trigrams(a.text), trigrams(b.text)))


def trigram_scores(rows: Sequence[Row]) -> np.ndarray:
    titles, texts = [trigrams(r.title) for r in rows], [trigrams(r.text) for r in rows]
    n = len(rows)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = max(jaccard(titles[i], titles[j]), jaccard(texts[i], texts[j]))
    return out


class WhooshMoreLike:
    """A small Whoosh index of title + text, queried with ``more_like`` (the Whoosh defaults)."""

    def __init__(self, rows: Sequence[Row], directory: str) -> None:
        from whoosh import index
        from whoosh.analysis import LanguageAnalyzer
        from whoosh.fields import ID, TEXT, Schema

        schema = Schema(n=ID(stored=True, unique=True), body=TEXT(analyzer=LanguageAnalyzer("nl"), stored=True))
        ix = index.create_in(directory, schema)
        with ix.writer() as w:
            for k, r in enumerate(rows):
                w.add_document(n=str(k), body=joined(r))
        self.ix = ix
        self.searcher = ix.searcher()
        self.docnum = {int(self.searcher.stored_fields(d)["n"]): d for d in range(self.searcher.doc_count_all())}
        self._cache: dict[int, list[int]] = {}
        self._terms: dict[int, list[tuple[bytes, float]]] = {}

    def ranked(self, i: int) -> list[int]:
        if i not in self._cache:
            hits = self.searcher.more_like(self.docnum[i], "body", top=50)
            self._cache[i] = [int(h["n"]) for h in hits]
        return self._cache[i]

    def one_way_search(self, i: int, j: int) -> float:
        """Pilot ``j``'s score in pilot ``i``'s ``more_like`` (0 if absent), by a filtered search (slow)."""
        hits = self.searcher.more_like(self.docnum[i], "body", top=1, filter={self.docnum[j]})
        return float(hits[0].score) if len(hits) else 0.0

    def one_way(self, i: int, j: int) -> float:
        """The same score read directly: ``more_like`` is ``Or([Term(body, t, boost=w) for t, w in key
        terms])`` (five terms, Bo1, no normalisation), whose score in a document is the sum of its terms' BM25F
        scores times their boosts. Each term's postings are skipped to ``j`` instead of scoring every pilot
        (a filtered search unions the five posting lists over the whole index first: 30x slower here). The
        bench checks it against ``one_way_search`` on a sample of pairs."""
        from whoosh import classify

        kts = self._terms.get(i)
        if kts is None:
            found = self.searcher.key_terms(
                [self.docnum[i]], "body", numterms=5, model=classify.Bo1Model, normalize=False
            )
            field = self.searcher.schema["body"]
            reader = self.searcher.reader()
            kts = self._terms[i] = [
                (b, w) for b, w in ((field.to_bytes(t), w) for t, w in found) if ("body", b) in reader
            ]
        target = self.docnum[j]
        total, matched = 0.0, False
        for text, weight in kts:
            m = self.searcher.postings("body", text)
            m.skip_to(target)
            if m.is_active() and m.id() == target:
                total += m.score() * weight if weight != 1.0 else m.score()
                matched = True
        return total if matched else 0.0

    def pair(self, i: int, j: int) -> float:
        return (self.one_way(i, j) + self.one_way(j, i)) / 2

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


def anchor_pair_scores(method: str, pairs: list[tuple[str, str, float]], hard: bool) -> list[float]:
    """An anchor's score for each sentence pair (each sentence a row, as :func:`pair_rows` builds them)."""
    rows = pair_rows(pairs, hard)
    n = len(pairs)
    if method == "TF-IDF defaults":
        from sklearn.feature_extraction.text import TfidfVectorizer

        x = TfidfVectorizer().fit_transform([joined(r) for r in rows])
        return np.asarray(x[:n].multiply(x[n:]).sum(axis=1)).ravel().tolist()
    if method == "trigram (Decidim)":
        return [trigram_pair(rows[k], rows[n + k]) for k in range(n)]
    assert method == "Whoosh more_like", method
    with tempfile.TemporaryDirectory() as tmp:
        whoosh = WhooshMoreLike(rows, tmp)
        try:
            for k in random.Random(n).sample(range(n), min(n, 40)):  # the direct reading is more_like's score
                for i, j in ((k, n + k), (n + k, k)):
                    assert abs(whoosh.one_way(i, j) - whoosh.one_way_search(i, j)) < 1e-9, (i, j)
            return [whoosh.pair(k, n + k) for k in range(n)]
        finally:
            whoosh.close()
