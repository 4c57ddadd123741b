"""Count matrices for the similarity model, made a word type at a time instead of a token at a time.

The words channel counts stems (compound parts included, from the shared analyzer) and bigrams of
consecutive whole-word stems; the chars channel counts ``char_wb`` n-grams of content words. Both are fixed
per word *type*, so a batch is tokenized once (folded words → ids in a batch table), each distinct word is
analysed once (scikit-learn ``CountVectorizer`` over the distinct words, with the analyzer's stems or with
``char_wb``), and the documents' counts are sparse products: documents × words times words × features. That
gives exactly the counts a per-token vectorizer would, about ten times faster, which is what keeps a full
refit of 100 000 pilots within seconds. Bigrams are coded as ``first_stem * n_stems + second_stem`` in a
sorted array (memory-mappable, looked up with ``searchsorted``) instead of a dictionary of strings.

Fitting builds the vocabularies from a batch; ``counts`` of later batches use them and drop what is new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from ..analysis import MIN_PART, STOP_WORDS, DutchAnalyzer, piece_words
from ..documents import PilotDocument, strip_markup
from ..forked import fork_available, map_slices


def _identity(features: list[str]) -> list[str]:
    """Analyzer for pre-analysed input (module level so a fitted vectorizer pickles)."""
    return features


class _Table(dict):
    """Word -> id, numbering new words as they come (``map(table.__getitem__, ...)`` runs in C)."""

    def __missing__(self, word: str) -> int:
        self[word] = found = len(self)
        return found


class _PieceIds(dict):
    """A text's whitespace-separated piece ("gemeente," "Gemeente") -> the ids of its folded words in a
    table: ``words`` and the table lookups once per distinct piece (whitespace never belongs to a word)."""

    def __init__(self, table: _Table) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, piece: str) -> tuple[int, ...]:
        self[piece] = found = tuple(map(self.table.__getitem__, piece_words(piece)))
        return found

    def of(self, text: str) -> np.ndarray:
        """Ids of ``words(text)``, stop words included."""
        return np.fromiter(chain.from_iterable(map(self.__getitem__, text.split())), dtype=np.int32)


_N_STOP = len(STOP_WORDS)


def _content(ids: np.ndarray, lead: int | None = None) -> tuple[np.ndarray, int]:
    """The content words' ids (stop words have the first ids), shifted so content words count from 0, and
    how many of them are among the first ``lead`` words."""
    content = ids >= _N_STOP
    return ids[content] - _N_STOP, int(np.count_nonzero(content[:lead])) if lead is not None else 0


@dataclass
class Runs:
    """One field of every document of a batch: word ids end to end, document k at ``ids[ptr[k]:ptr[k+1]]``."""

    ids: np.ndarray  # int32
    ptr: np.ndarray  # int64, one more than there are documents

    @classmethod
    def join(cls, parts: list[np.ndarray]) -> Runs:
        ptr = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in parts], out=ptr[1:])
        ids = np.concatenate(parts).astype(np.int32, copy=False) if parts else np.empty(0, dtype=np.int32)
        return cls(ids, ptr)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def documents(self) -> np.ndarray:
        """The document of each id."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.ptr))

    def matrix(self, n_words: int) -> sp.csr_matrix:
        """Documents × words, occurrence counts."""
        m = sp.csr_matrix(
            (np.ones(len(self.ids), dtype=np.float32), self.ids.copy(), self.ptr.copy()), shape=(len(self), n_words)
        )
        m.sum_duplicates()  # sorts in place: hence the copies (the word order makes the bigrams)
        return m


def repeats_opening(title: list, summary: Sequence, body: Sequence) -> bool:
    """Whether the title only repeats the first words of the summary or of the body (words, or their ids in
    one table, in order).

    Such a title ("Met deze applicatie kunnen inwoners hun ...") is the text's opening, not a name: its words
    are in the text already, and counting them again as a title (title boost, title n-grams) would weigh an
    accident of where the text was cut above what the text says. The model then treats the pilot as
    untitled, as it treats one whose title is empty. A short name that the text happens to start with
    ("GitHub Copilot is een ...") is treated so too; its words stay in the text and the char lead."""
    n = len(title)
    return n > 0 and (list(summary[:n]) == title or list(body[:n]) == title)


PARALLEL_FROM = 20_000  # documents; below this a second process costs more than it saves


def _tokenize(docs: Sequence[PilotDocument], lead_words: int) -> Batch:
    return Batch.of(docs, lead_words)


@dataclass
class Batch:
    """A batch of documents as word ids: the batch's own table of distinct words and per-field id runs."""

    words: list[str]  # distinct content (non-stop) words of the batch, by id
    full: Runs  # title, summary, body and theme labels, in order
    title: Runs
    lead: Runs  # title, summary and the body's first words: what the chars channel reads

    @classmethod
    def of(cls, docs: Sequence[PilotDocument], lead_words: int, processes: int = 1) -> Batch:
        """Tokenize ``docs`` (in ``processes`` forked processes when there are many)."""
        if processes > 1 and len(docs) >= PARALLEL_FROM and fork_available():
            return cls.merge(map_slices(_tokenize, docs, processes, lead_words))
        table = _Table((w, k) for k, w in enumerate(sorted(STOP_WORDS)))
        pieces = _PieceIds(table)
        full, title, lead = [], [], []
        for doc in docs:
            title_ids = pieces.of(doc.title)
            summary_ids = pieces.of(doc.summary)
            body_ids = pieces.of(strip_markup(doc.body, wiki_links=False))
            if len(title_ids) and repeats_opening(pieces.of(strip_markup(doc.title)).tolist(), summary_ids, body_ids):
                title_ids = title_ids[:0]
            t, _ = _content(title_ids)
            s, _ = _content(summary_ids)
            b, b_lead = _content(body_ids, lead_words)
            th = _content(pieces.of(" ".join(doc.theme_labels)))[0] if doc.theme_labels else t[:0]
            full.append(np.concatenate((t, s, b, th)))
            title.append(t)
            lead.append(np.concatenate((t, s, b[:b_lead])))
        return cls(list(table)[_N_STOP:], Runs.join(full), Runs.join(title), Runs.join(lead))

    @classmethod
    def merge(cls, batches: list[Batch]) -> Batch:
        """One batch of the documents of ``batches``, in order, with one table of words."""
        table: dict[str, int] = {}
        fields: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"full": [], "title": [], "lead": []}
        for batch in batches:
            to_global = np.asarray([table.setdefault(w, len(table)) for w in batch.words], dtype=np.int32)
            for name, found in fields.items():
                runs: Runs = getattr(batch, name)
                found.append((to_global[runs.ids] if len(runs.ids) else runs.ids, runs.ptr))
        joined = {}
        for name, found in fields.items():
            ids = np.concatenate([i for i, _ in found]) if found else np.empty(0, dtype=np.int32)
            ptr = [np.zeros(1, dtype=np.int64)]
            offset = 0
            for i, p in found:
                ptr.append(p[1:] + offset)
                offset += len(i)
            joined[name] = Runs(ids.astype(np.int32, copy=False), np.concatenate(ptr))
        return cls(list(table), joined["full"], joined["title"], joined["lead"])

    def word_counts(self) -> Counter[str]:
        """As ``analysis.word_counts`` over the same fields: content words of ≥ MIN_PART letters, no numbers."""
        n = np.bincount(self.full.ids, minlength=len(self.words))
        return Counter(
            {
                w: int(c)
                for w, c in zip(self.words, n.tolist(), strict=True)
                if c and len(w) >= MIN_PART and not w.isdigit()
            }
        )


def _bigram_ranks(codes: np.ndarray, n_stems: int) -> tuple[np.ndarray, sp.csr_matrix]:
    """``np.unique(codes)`` of bigram codes ``a * n_stems + b``, and an n_stems × n_stems sparse matrix holding
    each distinct pair's 1-based rank among them (0: not a bigram of the corpus). scipy orders the pairs by
    ``a`` in linear time and sorts each row's few ``b`` apart: nine times faster than sorting all codes at once
    (15 million at 100 000 pilots), and looking a pair's column up in it three times faster than a
    ``searchsorted`` over all distinct codes."""
    ones = np.ones(len(codes), dtype=np.int32)
    m = sp.csr_matrix((ones, (codes // n_stems, codes % n_stems)), shape=(n_stems, n_stems))
    m.sum_duplicates()
    m.data = np.arange(1, m.nnz + 1, dtype=np.int64)
    rows = np.repeat(np.arange(n_stems, dtype=np.int64), np.diff(m.indptr))
    return rows * n_stems + m.indices, m


class FeatureSpace:
    """The fitted vocabularies of the words and chars channels."""

    def __init__(self, analyzer: DutchAnalyzer, char_ngrams: tuple[int, int], bigrams: bool = True) -> None:
        self.analyzer = analyzer
        self.bigrams = bigrams
        self.stems = CountVectorizer(analyzer=_identity, lowercase=False, dtype=np.float32)
        self.chars = CountVectorizer(analyzer="char_wb", ngram_range=char_ngrams, lowercase=False, dtype=np.float32)
        self.n_stems = 0
        self.bigram_codes = np.empty(0, dtype=np.int64)  # sorted
        self.n_chars = 0

    @property
    def n_words(self) -> int:
        return self.n_stems + len(self.bigram_codes)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["analyzer"] = None  # rebuilt from the lexicon by the owner (its cache is large)
        return state

    # -- per batch ------------------------------------------------------------------------------------------
    def _expanded(self, batch: Batch) -> list[list[str]]:
        return [list(self.analyzer.expand(w)) for w in batch.words]

    def fit(self, batch: Batch) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """Vocabularies from ``batch``; returns its counts as :meth:`counts` does."""
        expanded = self._expanded(batch)
        if batch.words:
            word_stems = sp.csr_matrix(self.stems.fit_transform(expanded), dtype=np.float32)
            self.n_stems = len(self.stems.vocabulary_)
            word_chars = sp.csr_matrix(self.chars.fit_transform(batch.words), dtype=np.float32)
            self.n_chars = len(self.chars.vocabulary_)
        else:
            word_stems = word_chars = sp.csr_matrix((0, 0), dtype=np.float32)
        first = self._first_stems(expanded)
        ranks, pairs = None, None
        if self.bigrams:
            pairs = self._pairs(batch.full, first)
            self.bigram_codes, ranks = _bigram_ranks(pairs[1], self.n_stems)
        return self._counts(batch, word_stems, word_chars, first, ranks, pairs)

    def counts(self, batch: Batch) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """(words of the whole text, words of the title, chars of the lead, chars of the title) counts."""
        expanded = self._expanded(batch)
        if batch.words and self.n_stems:
            word_stems = sp.csr_matrix(self.stems.transform(expanded), dtype=np.float32)
        else:
            word_stems = sp.csr_matrix((len(batch.words), self.n_stems), dtype=np.float32)
        if batch.words and self.n_chars:
            word_chars = sp.csr_matrix(self.chars.transform(batch.words), dtype=np.float32)
        else:
            word_chars = sp.csr_matrix((len(batch.words), self.n_chars), dtype=np.float32)
        return self._counts(batch, word_stems, word_chars, self._first_stems(expanded))

    def _first_stems(self, expanded: list[list[str]]) -> np.ndarray:
        vocab = self.stems.vocabulary_ if self.n_stems else {}
        return np.asarray([vocab.get(e[0], -1) for e in expanded], dtype=np.int64)

    def _pairs(self, runs: Runs, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document, code) of every bigram of consecutive words in ``runs`` whose stems are both known."""
        seq = first[runs.ids]
        doc = runs.documents()
        a, b = seq[:-1], seq[1:]
        keep = (doc[:-1] == doc[1:]) & (a >= 0) & (b >= 0)
        return doc[:-1][keep], a[keep] * self.n_stems + b[keep]

    def _bigram_counts(self, runs: Runs, first: np.ndarray, ranks=None, pairs=None) -> sp.csr_matrix:
        """Documents × bigram columns; while fitting, ``ranks`` (see ``_bigram_ranks``) finds the columns and
        ``pairs`` may hold ``_pairs(runs, first)`` already."""
        n_codes = len(self.bigram_codes)
        if not self.bigrams or n_codes == 0:
            return sp.csr_matrix((len(runs), n_codes), dtype=np.float32)
        rows, codes = self._pairs(runs, first) if pairs is None else pairs
        if ranks is not None:
            at = np.asarray(ranks[codes // self.n_stems, codes % self.n_stems]).ravel() - 1 if len(codes) else codes
            known = at >= 0
        else:
            at = np.minimum(np.searchsorted(self.bigram_codes, codes), n_codes - 1)
            known = self.bigram_codes[at] == codes
        m = sp.csr_matrix(
            (np.ones(int(known.sum()), dtype=np.float32), (rows[known], at[known])), shape=(len(runs), n_codes)
        )
        m.sum_duplicates()
        return m

    def _counts(self, batch: Batch, word_stems, word_chars, first, ranks=None, pairs=None):
        n = len(batch.words)
        full, title, lead = batch.full.matrix(n), batch.title.matrix(n), batch.lead.matrix(n)
        words_full = sp.hstack([full @ word_stems, self._bigram_counts(batch.full, first, ranks, pairs)], format="csr")
        words_title = sp.hstack([title @ word_stems, self._bigram_counts(batch.title, first, ranks)], format="csr")
        return words_full, words_title, sp.csr_matrix(lead @ word_chars), sp.csr_matrix(title @ word_chars)

    # -- names ----------------------------------------------------------------------------------------------
    def stem_names(self) -> np.ndarray:
        return np.asarray(self.stems.get_feature_names_out(), dtype=object) if self.n_stems else np.empty(0, object)

    def word_feature(self, column: int, names: np.ndarray) -> tuple[str, ...]:
        """The stems of a words-channel column: one for a unigram, two for a bigram."""
        if column < self.n_stems:
            return (str(names[column]),)
        code = int(self.bigram_codes[column - self.n_stems])
        return str(names[code // self.n_stems]), str(names[code % self.n_stems])
