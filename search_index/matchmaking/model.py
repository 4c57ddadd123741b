"""Matchmaking: similar pilots, likely duplicates and partner organisations, by TF-IDF cosine.

Three channels, each TF-IDF (scikit-learn, sublinear tf) and L2-normalised on its own, then weighted and
joined, so the cosine of two pilots is a weighted mean of the channel cosines:

* ``words``: stems from the shared Dutch analyzer (compound parts included) plus bigrams of whole-word
  stems, over title, summary, body (plain text) and theme labels; the title's terms count once more
  (``title_boost``), as a field weight. One vocabulary and one idf for the whole text, so a word that
  is common anywhere (*doel*, *algoritme*) weighs little in a title too.
* ``chars``: ``char_wb`` n-grams of the folded content words of the title, summary and the opening of
  the body (``char_lead_words``), title boosted: spelling variants and compounds the lexicon cannot split
  (*verkeersregelinstallatie* / *verkeersregel installatie*, *e-mailen* / *mailen*).
* ``title_chars``: the title's n-grams alone (idf of the ``chars`` channel): short names of the same system
  ("Veilig mailen", "Veilig e-mailen") find each other even when their descriptions differ.

A title that only repeats the first words of the summary or body (a page titled by its opening line) is not
counted as a title: the pilot is scored as an untitled one (``features.repeats_opening``).

The weights were chosen on ``../shared/data/algoritmeregister_dev.jsonl`` and the Dutch sentence-pair sets
only (``bench/eval_matchmaking.py --tune`` prints the grid); see :data:`DEFAULT_SETTINGS`.

Scoring is term-major (``neighbours.py``): the rows' word-channel features are also kept per term (CSC),
and a query gathers only the postings of its own terms to pick candidates, whose exact cosines (all
channels) then come from their rows. A brute-force product over every row gives the same top results
(``bench/eval_matchmaking.py`` measures the agreement) at several times the cost.

New and edited pilots (:meth:`SimilarityModel.upsert`) are transformed with the fitted vocabulary and are
matchable at once; removed ones never appear. :attr:`SimilarityModel.changed_since_fit` tells the caller when
a refit (new vocabulary and idf) is due. :meth:`SimilarityModel.save` writes one joblib file atomically;
:meth:`SimilarityModel.load` memory-maps its arrays, so workers on one machine share the pages (``storage.py``).

This module holds the model's state: the fit, changes between fits and the vectors of pilots and drafts.
What it answers is mixed in from ``neighbours.py`` (similar pilots and drafts), ``partners.py`` (partner
organisations) and ``reasons.py`` (the shared words of a match), which read that state.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from ..analysis import BASE_LEXICON, DutchAnalyzer, build_lexicon, surface_forms
from ..documents import PilotDocument, leading_words
from . import storage
from .features import Batch, FeatureSpace
from .match_types import (
    DEFAULT_SETTINGS,
    Settings,
    Vector,
)
from .neighbours import Neighbours
from .partners import Partners
from .reasons import Reasons
from .sparse_rows import as_csr, fit_idf, row_slice, scale_rows, tfidf, unit_rows

CHUNK_ROWS = 20_000  # a refit turns counts into vectors this many rows at a time (bounds its peak memory)
# Bounded work per query, whoever sends the text: a draft is read up to DRAFT_WORDS words per field (real
# pilots have at most about 500: the algorithm register and Innovatiebudget data, our demo pages); the
# candidate stage reads the postings of at most neighbours.MAX_QUERY_TERMS of a query's terms.
DRAFT_WORDS = 3_000


# -- the model ---------------------------------------------------------------------------------------------
class SimilarityModel(Neighbours, Partners, Reasons):
    """Fitted TF-IDF vectors of the pilots; answers similar pilots, drafts and partner organisations (the
    answers from the mixins :class:`Neighbours`, :class:`Partners` and :class:`Reasons`)."""

    def __init__(self, settings: Settings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.changed_since_fit = 0
        self.lexicon: frozenset[str] = frozenset()
        self._space = FeatureSpace(DutchAnalyzer(), settings.char_ngrams, settings.bigrams)
        self._words_idf: TfidfTransformer | None = None
        self._chars_idf: TfidfTransformer | None = None
        self._n_words = 0  # features of the words channel: columns [0, n_words) of every matrix
        self._n_features = 0
        self._names: np.ndarray = np.empty(0, dtype=object)  # stems by column
        self._surface: dict[str, str] = {}  # stem -> its most frequent word, to show reasons as words
        # base rows (from the fit; memory-mapped after load)
        self._matrix = sp.csr_matrix((0, 0), dtype=np.float32)
        self._postings = sp.csc_matrix((0, 0), dtype=np.float32)  # words and title_chars channels, term-major
        self._df = np.empty(0, dtype=np.int64)  # postings per column
        self._ids = np.empty(0, dtype=np.int64)
        self._alive = np.empty(0, dtype=bool)
        self._row: dict[int, int] = {}
        # rows added or replaced since the fit
        self._delta: dict[int, Vector] = {}
        self._delta_stack: tuple[np.ndarray, sp.csr_matrix] | None = None
        self._local = threading.local()  # per-thread dense query buffer
        self._lock = threading.Lock()  # upsert / remove against a reader stacking the changed rows

    # -- building ----------------------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        docs: Sequence[PilotDocument],
        lexicon: frozenset[str] | None = None,
        *,
        settings: Settings = DEFAULT_SETTINGS,
        processes: int | None = None,
    ) -> SimilarityModel:
        """A model of ``docs``: vocabulary, idf and vectors. ``lexicon`` as the full-text index has it, or
        None to build one from these documents (with the base lexicon), as the index does. Large corpora
        are tokenized in ``processes`` forked processes (default: up to 2, as the CPUs allow)."""
        model = cls(settings)
        if processes is None:
            processes = min(2, os.cpu_count() or 1)
        batch = Batch.of(docs, settings.char_lead_words, processes)
        counts = batch.word_counts()
        model.lexicon = frozenset(build_lexicon(counts=counts, base=BASE_LEXICON) if lexicon is None else lexicon)
        model._surface = {stem: forms[0] for stem, forms in surface_forms(counts, per_stem=1).items()}
        model._space = FeatureSpace(DutchAnalyzer(model.lexicon), settings.char_ngrams, settings.bigrams)
        words_full, words_title, chars_lead, chars_title = model._space.fit(batch)
        del batch
        model._names = model._space.stem_names()
        model._words_idf = fit_idf(words_full)
        model._chars_idf = fit_idf(chars_lead)
        model._n_words = words_full.shape[1]
        model._n_features = 2 * model._n_words + 2 * chars_lead.shape[1]
        rows, candidates = [], []
        for k in range(0, words_full.shape[0], CHUNK_ROWS):
            end = min(k + CHUNK_ROWS, words_full.shape[0])
            blocks = model._blocks(*(row_slice(m, k, end) for m in (words_full, words_title, chars_lead, chars_title)))
            rows.append(sp.hstack(blocks, format="csr"))
            candidates.append(sp.hstack([blocks[0], blocks[3]], format="csr"))
        del words_full, words_title, chars_lead, chars_title
        empty = sp.csr_matrix((0, model._n_features), dtype=np.float32)
        matrix = as_csr(sp.vstack(rows, format="csr")) if rows else empty
        del rows
        postings = sp.vstack(candidates, format="csc") if candidates else empty[:, : model._n_words].tocsc()
        model._set_base(matrix, postings, np.asarray([d.id for d in docs], dtype=np.int64))
        return model

    def _combine(self, words_full, words_title, chars_lead, chars_title) -> sp.csr_matrix:
        """Counts to rows (see :meth:`_blocks`)."""
        return as_csr(sp.hstack(self._blocks(words_full, words_title, chars_lead, chars_title), format="csr"))

    def _blocks(self, words_full, words_title, chars_lead, chars_title) -> list[sp.csr_matrix]:
        """Counts to the four channel blocks of the rows: per channel TF-IDF, title added with its boost, unit
        length; then weighted so that a row has length 1 and a cosine is the weighted mean of the channels'
        (over the channels both rows have: a pilot without a title is not penalised for it)."""
        s = self.settings
        words_tfidf, title_words = tfidf(self._words_idf, words_full), tfidf(self._words_idf, words_title)
        lead_tfidf, title_chars = tfidf(self._chars_idf, chars_lead), tfidf(self._chars_idf, chars_title)
        channels = [
            (1.0, words_tfidf + s.title_boost * title_words),
            (s.title_word_weight, title_words),
            (s.char_weight, lead_tfidf + s.char_title_boost * title_chars),
            (s.title_char_weight, title_chars),
        ]
        units, total = [], np.zeros(words_full.shape[0])
        for weight, channel in channels:
            if weight > 0:
                channel, present = unit_rows(as_csr(channel))
                total += weight * present
            units.append(channel)
        inverse = np.divide(1.0, np.sqrt(total), out=np.zeros_like(total), where=total > 0)
        return [
            scale_rows(unit, np.sqrt(weight) * inverse) if weight > 0 else sp.csr_matrix(unit.shape, dtype=np.float32)
            for (weight, _), unit in zip(channels, units, strict=True)
        ]

    def _vectors(self, docs: Sequence[PilotDocument]) -> sp.csr_matrix:
        """Rows for documents outside the fit, with the fitted vocabulary (what is new is dropped)."""
        return self._combine(*self._space.counts(Batch.of(docs, self.settings.char_lead_words)))

    def _set_base(self, matrix: sp.csr_matrix, postings: sp.csc_matrix, ids: np.ndarray) -> None:
        self._matrix = matrix
        self._postings = sp.csc_matrix(postings, dtype=np.float32)
        self._df = np.diff(self._postings.indptr)
        self._ids = ids
        self._alive = np.ones(len(ids), dtype=bool)
        self._row = {int(i): r for r, i in enumerate(ids)}
        self._delta = {}
        self._delta_stack = None

    # -- changes between fits ----------------------------------------------------------------------------------
    def upsert(self, doc: PilotDocument) -> None:
        """Add or replace a pilot, vectorised with the fitted vocabulary: matchable at once."""
        vector = Vector.of(self._vectors([doc]))
        with self._lock:
            row = self._row.pop(doc.id, None)
            if row is not None:
                self._alive[row] = False
            self._delta[doc.id] = vector
            self._delta_stack = None
            self.changed_since_fit += 1

    def remove(self, doc_id: int) -> None:
        """Forget a pilot: it never appears in results again (a no-op for an unknown id)."""
        with self._lock:
            row = self._row.pop(doc_id, None)
            if row is not None:
                self._alive[row] = False
            found = self._delta.pop(doc_id, None)
            if row is not None or found is not None:
                self._delta_stack = None
                self.changed_since_fit += 1

    def __len__(self) -> int:
        return len(self._row) + len(self._delta)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row or doc_id in self._delta

    @property
    def ids(self) -> list[int]:
        """The ids of the pilots the model knows (fitted and upserted, not removed)."""
        return [*self._row, *self._delta]

    # -- vectors (what the mixins answer with) -----------------------------------------------------------------
    def _vector_of(self, doc_id: int) -> Vector:
        found = self._delta.get(doc_id)
        if found is not None:
            return found
        row = self._row.get(doc_id)
        if row is None:
            raise KeyError(f"pilot {doc_id} is not in the similarity model")
        start, end = self._matrix.indptr[row], self._matrix.indptr[row + 1]
        return Vector(self._matrix.indices[start:end], self._matrix.data[start:end])

    def draft_vector(self, title: str, summary: str = "", body: str = "") -> Vector:
        """The vector of an unsaved text, with the fitted vocabulary: its first :data:`DRAFT_WORDS` words
        per field (bounded work for any text, the same vector for any real one)."""
        title, summary, body = (leading_words(t or "", DRAFT_WORDS) for t in (title, summary, body))
        doc = PilotDocument(id=0, slug="", title=title, summary=summary, body=body)
        return Vector.of(self._vectors([doc]))

    @contextlib.contextmanager
    def _dense(self, q: Vector) -> Iterator[np.ndarray]:
        """``q`` as a dense array (one buffer per thread, cleared again after use)."""
        buffer = getattr(self._local, "buffer", None)
        if buffer is None or len(buffer) != self._n_features:
            buffer = self._local.buffer = np.zeros(self._n_features, dtype=np.float32)
        buffer[q.indices] = q.data
        try:
            yield buffer
        finally:
            buffer[q.indices] = 0.0

    def _delta_rows(self) -> tuple[np.ndarray, sp.csr_matrix]:
        """The pilots added or replaced since the fit, as one matrix (rebuilt after a change)."""
        found = self._delta_stack
        if found is not None:
            return found
        with self._lock:
            if self._delta_stack is not None:
                return self._delta_stack
            ids, vectors = list(self._delta), list(self._delta.values())
            indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
            np.cumsum([len(v.indices) for v in vectors], out=indptr[1:])
            rows = sp.csr_matrix(
                (
                    np.concatenate([v.data for v in vectors]) if vectors else np.empty(0, np.float32),
                    np.concatenate([v.indices for v in vectors]) if vectors else np.empty(0, np.int32),
                    indptr,
                ),
                shape=(len(vectors), self._n_features),
            )
            self._delta_stack = (np.asarray(ids, dtype=np.int64), rows)
            return self._delta_stack

    # -- storage (storage.py) ----------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """One joblib file, written aside and renamed into place: readers see the old or the new model."""
        storage.save(self, path)

    @classmethod
    def load(cls, path: Path, mmap: bool = True) -> SimilarityModel:
        """A saved model; its large arrays memory-mapped (read-only, shared between processes)."""
        return storage.load(cls, path, mmap)
