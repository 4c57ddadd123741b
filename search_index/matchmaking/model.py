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

Scoring is term-major: the rows' word-channel features are also kept per term (CSC), and a query gathers
only the postings of its own terms to pick candidates, whose exact cosines (all channels) then come from
their rows. A brute-force product over every row gives the same top results (``bench/eval_matchmaking.py``
measures the agreement) at several times the cost.

New and edited pilots (:meth:`SimilarityModel.upsert`) are transformed with the fitted vocabulary and are
matchable at once; removed ones never appear. :attr:`SimilarityModel.changed_since_fit` tells the caller when
a refit (new vocabulary and idf) is due. :meth:`SimilarityModel.save` writes one joblib file atomically;
:meth:`SimilarityModel.load` memory-maps its arrays, so workers on one machine share the pages.
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfTransformer

from ..analysis import BASE_LEXICON, DutchAnalyzer, build_lexicon, surface_forms
from ..documents import PilotDocument, leading_words
from .features import Batch, FeatureSpace
from .match_types import (
    DEFAULT_SETTINGS,
    DUPLICATE_THRESHOLD,
    Match,
    ModelIncompatible,
    PartnerMatch,
    Settings,
    Vector,
)
from .sparse_rows import as_csr, fit_idf, row_slice, scale_rows, tfidf, unit_rows

FORMAT_VERSION = 2  # 2: a title that repeats the text's opening is not a title (features.repeats_opening)

CANDIDATE_MIN_DF = 1_000  # postings this short are always read (below ~5 000 pilots nothing is skipped)
CHUNK_ROWS = 20_000  # a refit turns counts into vectors this many rows at a time (bounds its peak memory)
# Bounded work per query, whoever sends the text. A draft is read up to DRAFT_WORDS words per field (real
# pilots have at most about 500: the algorithm register and Innovatiebudget data, our demo pages), and the
# candidate stage reads the postings of at most MAX_QUERY_TERMS of a query's terms, its heaviest (real
# pilots have at most about 500 in the words channel); the exact rescoring still uses the whole vector.
DRAFT_WORDS = 3_000
MAX_QUERY_TERMS = 2_000


# -- the model ---------------------------------------------------------------------------------------------
def _readable(stem: str) -> bool:
    """Worth showing as a reason: a word, not a number or a fragment such as the "e" of "e-mail"."""
    return len(stem) >= 3 and not stem.isdigit()


class SimilarityModel:
    """Fitted TF-IDF vectors of the pilots; answers similar pilots, drafts and partner organisations."""

    def __init__(self, settings: Settings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.duplicate_threshold = DUPLICATE_THRESHOLD
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

    # -- building -------------------------------------------------------------------------------------------
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

    # -- changes between fits -------------------------------------------------------------------------------
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

    # -- queries --------------------------------------------------------------------------------------------
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

    def score(self, a: int, b: int) -> float:
        """The cosine of two known pilots."""
        with self._dense(self._vector_of(a)) as qd:
            b_vec = self._vector_of(b)
            return float(np.dot(qd[b_vec.indices], b_vec.data))

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

    def _matches(self, qd: np.ndarray, found: list[tuple[int, float]]) -> list[Match]:
        out = []
        for doc_id, score in found:
            score = round(min(max(score, 0.0), 1.0), 4)
            out.append(Match(doc_id, score, score >= self.duplicate_threshold, self._reasons(qd, doc_id)))
        return out

    def similar(self, doc_id: int, limit: int = 5, exclude: Iterable[int] = ()) -> list[Match]:
        """The pilots most like pilot ``doc_id``, best first; never the pilot itself. KeyError if unknown."""
        q = self._vector_of(doc_id)
        if limit <= 0:
            return []
        with self._dense(q) as qd:
            return self._matches(qd, self._scored(q, qd, limit, {doc_id, *exclude}))

    def similar_to_text(
        self, title: str, summary: str = "", body: str = "", limit: int = 5, exclude: Iterable[int] = ()
    ) -> list[Match]:
        """The pilots most like an unsaved text (a draft), best first."""
        if limit <= 0:
            return []
        q = self.draft_vector(title, summary, body)
        with self._dense(q) as qd:
            return self._matches(qd, self._scored(q, qd, limit, set(exclude)))

    def partners(
        self,
        doc_id: int,
        orgs_of: Mapping[int, Sequence[str]],
        exclude_orgs: Iterable[str] = (),
        limit: int = 5,
    ) -> list[PartnerMatch]:
        """Organisations not taking part in pilot ``doc_id`` (its own ``orgs_of`` entry and ``exclude_orgs``
        are left out) whose own pilots are most like it. An organisation scores its best pilot's cosine,
        raised a little by its next best ones (noisy-or with weight ``partner_bonus``), so one that runs
        several such pilots ranks above one with a single equally close one."""
        q = self._vector_of(doc_id)
        if limit <= 0:
            return []
        skip = {*exclude_orgs, *orgs_of.get(doc_id, ())}
        with self._dense(q) as qd:
            found = self._scored(q, qd, self.settings.partner_pool, {doc_id}, pool=self.settings.partner_pool)
            per_org: dict[str, list[tuple[int, float]]] = {}
            for pilot, score in found:
                for code in dict.fromkeys(orgs_of.get(pilot, ())):
                    if code not in skip:
                        per_org.setdefault(code, []).append((pilot, score))
            ranked = sorted(
                ((self._org_score(pilots), code, pilots) for code, pilots in per_org.items()),
                key=lambda t: (-t[0], t[1]),
            )
            out = []
            for score, code, pilots in ranked[:limit]:
                best = pilots[: self.settings.partner_pilots]
                reasons: list[str] = []
                for pilot, _ in best:
                    reasons.extend(r for r in self._reasons(qd, pilot) if r not in reasons)
                out.append(PartnerMatch(code, round(min(score, 1.0), 4), reasons[:5], [p for p, _ in best]))
        return out

    def _org_score(self, pilots: list[tuple[int, float]]) -> float:
        best = pilots[: self.settings.partner_pilots]
        miss = 1.0
        for _pilot, score in best[1:]:
            miss *= 1.0 - self.settings.partner_bonus * max(score, 0.0)
        return 1.0 - (1.0 - best[0][1]) * miss

    # -- explanations ---------------------------------------------------------------------------------------
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

    # -- storage --------------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """One joblib file, written aside and renamed into place: readers see the old or the new model."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        delta_ids, delta = self._delta_rows()
        state = {
            "format": FORMAT_VERSION,
            "sklearn": sklearn.__version__,
            "settings": asdict(self.settings),
            "duplicate_threshold": self.duplicate_threshold,
            "changed_since_fit": self.changed_since_fit,
            "lexicon": sorted(self.lexicon),
            "space": self._space,
            "words_idf": self._words_idf,
            "chars_idf": self._chars_idf,
            "n_words": self._n_words,
            "n_features": self._n_features,
            "names": self._names,
            "surface": self._surface,
            "matrix": (self._matrix.data, self._matrix.indices, self._matrix.indptr, self._matrix.shape),
            "postings": (self._postings.data, self._postings.indices, self._postings.indptr, self._postings.shape),
            "ids": self._ids,
            "alive": np.asarray(self._alive),
            "delta": (delta_ids, delta.data, delta.indices, delta.indptr, delta.shape),
        }
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        try:
            joblib.dump(state, tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path, mmap: bool = True) -> SimilarityModel:
        """A saved model; its large arrays memory-mapped (read-only, shared between processes)."""
        with warnings.catch_warnings():
            warnings.simplefilter("error", sklearn.exceptions.InconsistentVersionWarning)
            try:
                state = joblib.load(Path(path), mmap_mode="r" if mmap else None)
            except sklearn.exceptions.InconsistentVersionWarning as exc:
                raise ModelIncompatible(f"{path}: saved with another scikit-learn version; refit") from exc
        if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
            raise ModelIncompatible(f"{path}: not a similarity model of format {FORMAT_VERSION}; refit")
        settings = dict(state["settings"])
        settings["char_ngrams"] = tuple(settings["char_ngrams"])
        try:
            model = cls(Settings(**settings))
        except TypeError as exc:
            raise ModelIncompatible(f"{path}: settings of another version ({exc}); refit") from exc
        model.duplicate_threshold = state["duplicate_threshold"]
        model.lexicon = frozenset(state["lexicon"])
        model._space = state["space"]
        model._space.analyzer = DutchAnalyzer(model.lexicon)
        model._words_idf, model._chars_idf = state["words_idf"], state["chars_idf"]
        model._n_words, model._n_features = state["n_words"], state["n_features"]
        model._names, model._surface = state["names"], state["surface"]
        data, indices, indptr, shape = state["matrix"]
        model._matrix = sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)
        data, indices, indptr, shape = state["postings"]
        model._postings = sp.csc_matrix((data, indices, indptr), shape=shape, copy=False)
        model._df = np.diff(model._postings.indptr)
        model._ids = state["ids"]
        model._alive = np.array(state["alive"], dtype=bool)  # small; a writable copy
        model._row = {int(i): r for r, i in enumerate(model._ids.tolist()) if model._alive[r]}
        delta_ids, data, indices, indptr, shape = state["delta"]
        delta = sp.csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=shape)
        model._delta = {int(i): Vector.of(delta[k]) for k, i in enumerate(delta_ids)}
        model._delta_stack = None
        model.changed_since_fit = state["changed_since_fit"]
        return model
