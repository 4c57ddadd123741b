"""Matchmaking benchmark: our similarity model against three anchors on the same data, and its speed.

Not a test. Run from the repository root:

    .venv/bin/python bench/eval_matchmaking.py                     # quality, then speed at 1k, 10k, 100k
    .venv/bin/python bench/eval_matchmaking.py --skip-perf         # quality only (about two minutes)
    .venv/bin/python bench/eval_matchmaking.py --skip-quality --sizes 1000,10000
    .venv/bin/python bench/eval_matchmaking.py --tune              # the settings grid (dev data only)

**Quality** (issue 4, "Measured, not assumed"). ``../shared/data/algoritmeregister_dev.jsonl``: each entry is a
pilot of its municipality; for an entry whose ``cluster`` spans two or more municipalities, the other entries of
that cluster from other municipalities are its duplicates and their municipalities its right partners (the
measurement of ``../shared/tools/matchmaking_eval.py``, computed here in process). Two modes: titles as
registered, and titles replaced by the first seven words of the text ("hard": matching must come from the
description). Per method: duplicate MRR, P@1 and Recall@5 over the top 20, partner P@5 (the top five
organisations other than the pilot's own), and Spearman's rho between the method's score and the human score
of the Dutch sentence pairs (STS-B-NL test split, SICK-NL test split; each sentence a pilot without a title, in
the hard mode titled by its first seven words). Methods, all in this run on the same data:

* ours: ``search_index.matchmaking.SimilarityModel`` through its public calls (``similar``, ``partners``,
  ``score``), fitted on the corpus being measured;
* TF-IDF defaults: scikit-learn ``TfidfVectorizer()`` over title + text, cosine;
* trigram (Decidim): PostgreSQL ``pg_trgm`` similarity (word trigrams, padded with two spaces before and one
  after; |A∩B| / |A∪B|), the greatest of the title's and the text's;
* Whoosh ``more_like``: a Whoosh index (Dutch ``LanguageAnalyzer``, BM25F) of title + text; the five key
  terms of the pilot as the query. For a sentence pair, the score of one sentence in the other's
  ``more_like`` (0 if absent), averaged both ways.

Partners for the anchors: the organisations of their ranking, in order of first appearance (as the reference
tool does). The duplicate threshold is calibrated here too (F1 of "duplicate" over the pairs each pilot shows
as its top 5, titles as registered).

``--tune`` fits every combination of the settings grid on the dev register and the tuning splits of the
sentence pairs (STS-B-NL dev, SICK-NL trial + train; the test splits above are never used for it) and ranks
them by their smallest margin over the best anchor on any figure. It is how ``DEFAULT_SETTINGS`` was chosen.

**Speed**, at each size in its own process: the corpus is ``bench/search_corpus.py``'s ``make_corpus`` (real
Dutch texts recombined; the organisations are its owner and partners). Measured: full refit, save and load,
model memory (arrays, the pickled vocabularies, and the resident memory of a fresh process that loads the
saved model and answers queries: its private part is what each extra worker costs, the shared part the page
cache of the memory-mapped file), latency p50/p95 of similar pilots, partner suggestions and draft similarity
(a pilot's text with sentences dropped and an edited title), each against a brute-force cosine over every row
as the in-run baseline, and how often both give the same top 5. Targets at 100 000 pilots: similar p95 ≤ 15 ms,
partners p95 ≤ 30 ms, draft p95 ≤ 30 ms, refit ≤ 30 s.
"""

# ruff: noqa: S311, S603 -- seeded random for a corpus; runs itself

from __future__ import annotations

import argparse
import csv
import dataclasses
import gc
import itertools
import json
import os
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from search_index.documents import PilotDocument  # noqa: E402
from search_index.matchmaking import DEFAULT_SETTINGS, Settings, SimilarityModel  # noqa: E402
from search_index.matchmaking.features import Batch  # noqa: E402

DATA = (REPO / ".." / "shared" / "data").resolve()
REGISTER = DATA / "algoritmeregister_dev.jsonl"
RESULTS = REPO / "bench" / "results"
HARD_TITLE_WORDS = 7
SIMILAR_LIMIT = 20  # as the reference tool asks the API
PARTNER_LIMIT = 10
FIGURES = ("MRR", "P@1", "R@5", "partner P@5")
METHODS = ("ours", "TF-IDF defaults", "trigram (Decidim)", "Whoosh more_like")


# -- data ---------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Row:
    title: str
    text: str
    organisation: str = ""
    cluster: str = ""
    cluster_orgs: int = 1


def hard_title(text: str) -> str:
    """As the reference tool: the text's first seven words, trailing punctuation dropped."""
    return " ".join(text.split()[:HARD_TITLE_WORDS]).rstrip(".,;:")


def load_register(hard: bool) -> list[Row]:
    rows = []
    with REGISTER.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows.append(
                Row(hard_title(r["text"]) if hard else r["title"], r["text"], r["organisation"], r["cluster"], r["cluster_orgs"])
            )  # fmt: skip
    return rows


def stsb(split: str) -> list[tuple[str, str, float]]:
    with (DATA / "stsb_nl" / f"stsb-nl-{split}.csv").open(encoding="utf-8", newline="") as f:
        return [(a, b, float(score)) for a, b, score in csv.reader(f)]


def sick(*splits: str) -> list[tuple[str, str, float]]:
    with (DATA / "sick_nl" / "SICK_NL.txt").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (r["sentence_A"], r["sentence_B"], float(r["relatedness_score"]))
            for r in reader
            if r["SemEval_set"] in splits
        ]


PAIR_SETS_REPORT = {"STS-B-NL test": lambda: stsb("test"), "SICK-NL test": lambda: sick("TEST")}
PAIR_SETS_TUNE = {"STS-B-NL dev": lambda: stsb("dev"), "SICK-NL trial+train": lambda: sick("TRIAL", "TRAIN")}


def pair_rows(pairs: list[tuple[str, str, float]], hard: bool) -> list[Row]:
    """Sentence k of side A is row k, of side B row len(pairs) + k; no title, or the first words in hard mode."""
    sentences = [a for a, _, _ in pairs] + [b for _, b, _ in pairs]
    return [Row(hard_title(s) if hard else "", s) for s in sentences]


def documents(rows: Sequence[Row]) -> list[PilotDocument]:
    return [PilotDocument(id=k, slug=f"r{k}", title=r.title, body=r.text) for k, r in enumerate(rows)]


def joined(r: Row) -> str:
    return f"{r.title}. {r.text}" if r.title else r.text


# -- the measurement ----------------------------------------------------------------------------------------
def queries(rows: Sequence[Row]) -> list[int]:
    return [i for i, r in enumerate(rows) if r.cluster_orgs >= 2]


def relevant(rows: Sequence[Row], i: int) -> set[int]:
    r = rows[i]
    return {j for j, s in enumerate(rows) if j != i and s.cluster == r.cluster and s.organisation != r.organisation}


_LABELS: dict[int, tuple[list, list[Row]]] = {}


def labels(rows: Sequence[Row]) -> list[tuple[int, set[int], set[str]]]:
    """(query, its duplicates, their organisations) for every query of ``rows`` (cached per list)."""
    cached = _LABELS.get(id(rows))
    if cached is None or cached[1] is not rows:
        found = []
        for i in queries(rows):
            rel = relevant(rows, i)
            found.append((i, rel, {rows[j].organisation for j in rel}))
        cached = _LABELS[id(rows)] = (found, rows)
    return cached[0]


def metrics(rows: Sequence[Row], ranked: Callable[[int], list[int]], partners: Callable[[int], list[str]]) -> dict:
    """The reference tool's figures: ``ranked(i)`` pilots best first, ``partners(i)`` organisation codes."""
    mrr = p1 = r5 = pp5 = 0.0
    qs = labels(rows)
    for i, rel, rel_orgs in qs:
        found = [j for j in ranked(i) if j != i]
        rank = next((k + 1 for k, j in enumerate(found) if j in rel), None)
        mrr += 1 / rank if rank else 0
        p1 += 1 if rank == 1 else 0
        r5 += len(rel & set(found[:5])) / min(5, len(rel))
        pp5 += len(rel_orgs & set(partners(i)[:5])) / min(5, len(rel_orgs))
    n = len(qs)
    return {"MRR": mrr / n, "P@1": p1 / n, "R@5": r5 / n, "partner P@5": pp5 / n}


def rank_from_scores(scores: np.ndarray) -> Callable[[int], list[int]]:
    """Every pilot by falling score, as the reference tool sorts (``np.argsort``'s default, ties as it leaves them)."""
    scores = scores.copy()
    np.fill_diagonal(scores, -1)
    return lambda i: np.argsort(-scores[i]).tolist()


def partners_from_ranking(rows: Sequence[Row], ranked: Callable[[int], list[int]]) -> Callable[[int], list[str]]:
    def partners(i: int) -> list[str]:
        out: list[str] = []
        for j in ranked(i):
            org = rows[j].organisation
            if j != i and org != rows[i].organisation and org not in out:
                out.append(org)
            if len(out) >= PARTNER_LIMIT:
                break
        return out

    return partners


# -- methods: each gives a score matrix (or a ranking) for the register and pair scores for sentences ----------
def tfidf_scores(rows: Sequence[Row]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer().fit_transform([joined(r) for r in rows])
    return (x @ x.T).toarray()


_TRIGRAM_WORD = re.compile(r"\w+")


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm: each lower-case word padded with two spaces before and one after."""
    out: set[str] = set()
    for w in _TRIGRAM_WORD.findall(text.lower()):
        w = f"  {w} "
        out.update(w[k : k + 3] for k in range(len(w) - 2))
    return frozenset(out)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def trigram_pair(a: Row, b: Row) -> float:
    return max(_jaccard(trigrams(a.title), trigrams(b.title)), _jaccard(trigrams(a.text), trigrams(b.text)))


def trigram_scores(rows: Sequence[Row]) -> np.ndarray:
    titles, texts = [trigrams(r.title) for r in rows], [trigrams(r.text) for r in rows]
    n = len(rows)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = max(_jaccard(titles[i], titles[j]), _jaccard(texts[i], texts[j]))
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


def ours_register(rows: Sequence[Row], settings: Settings = DEFAULT_SETTINGS):
    model = SimilarityModel.fit(documents(rows), settings=settings)
    orgs_of = {k: [r.organisation] for k, r in enumerate(rows)}

    def ranked(i: int) -> list[int]:
        return [m.id for m in model.similar(i, limit=SIMILAR_LIMIT)]

    def partners(i: int) -> list[str]:
        return [p.code for p in model.partners(i, orgs_of, limit=PARTNER_LIMIT)]

    return model, ranked, partners


def pair_scores(method: str, pairs: list[tuple[str, str, float]], hard: bool, settings: Settings = DEFAULT_SETTINGS):
    rows = pair_rows(pairs, hard)
    n = len(pairs)
    if method == "ours":
        model = SimilarityModel.fit(documents(rows), settings=settings)
        return [model.score(k, n + k) for k in range(n)]
    if method == "TF-IDF defaults":
        from sklearn.feature_extraction.text import TfidfVectorizer

        x = TfidfVectorizer().fit_transform([joined(r) for r in rows])
        return np.asarray(x[:n].multiply(x[n:]).sum(axis=1)).ravel().tolist()
    if method == "trigram (Decidim)":
        return [trigram_pair(rows[k], rows[n + k]) for k in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        whoosh = WhooshMoreLike(rows, tmp)
        try:
            for k in random.Random(n).sample(range(n), min(n, 40)):  # the direct reading is more_like's score
                for i, j in ((k, n + k), (n + k, k)):
                    assert abs(whoosh.one_way(i, j) - whoosh.one_way_search(i, j)) < 1e-9, (i, j)
            return [whoosh.pair(k, n + k) for k in range(n)]
        finally:
            whoosh.close()


def spearman(pairs: list[tuple[str, str, float]], scores: Sequence[float]) -> float:
    return float(spearmanr([s for *_, s in pairs], scores).statistic)


# -- quality report -----------------------------------------------------------------------------------------
def evaluate(hard: bool, pair_sets: dict[str, Callable[[], list]]) -> dict[str, dict[str, float]]:
    rows = load_register(hard)
    out: dict[str, dict[str, float]] = {}
    _, ranked, partners = ours_register(rows)
    out["ours"] = metrics(rows, ranked, partners)
    ranked = rank_from_scores(tfidf_scores(rows))
    out["TF-IDF defaults"] = metrics(rows, ranked, partners_from_ranking(rows, ranked))
    ranked = rank_from_scores(trigram_scores(rows))
    out["trigram (Decidim)"] = metrics(rows, ranked, partners_from_ranking(rows, ranked))
    with tempfile.TemporaryDirectory() as tmp:
        whoosh = WhooshMoreLike(rows, tmp)
        out["Whoosh more_like"] = metrics(rows, whoosh.ranked, partners_from_ranking(rows, whoosh.ranked))
        whoosh.close()
    for name, load in pair_sets.items():
        pairs = load()
        for method in METHODS:
            out[method][f"ρ {name}"] = spearman(pairs, pair_scores(method, pairs, hard))
    return out


def calibrate_threshold(model: SimilarityModel, rows: Sequence[Row]) -> tuple[float, float, float, float]:
    """The score that maximises F1 of "duplicate" over the distinct pairs in every pilot's top 5."""
    pairs: dict[tuple[int, int], tuple[float, bool]] = {}
    for i in range(len(rows)):
        rel = relevant(rows, i) if rows[i].cluster_orgs >= 2 else set()
        for m in model.similar(i, limit=5):
            key = (min(i, m.id), max(i, m.id))
            pairs[key] = (m.score, m.id in rel or pairs.get(key, (0, False))[1])
    scores = np.asarray([s for s, _ in pairs.values()])
    labels = np.asarray([y for _, y in pairs.values()])
    best = (0.0, 0.0, 0.0, 0.0)
    for t in np.round(np.arange(0.05, 1.0, 0.01), 2):
        flagged = scores >= t
        tp = int((flagged & labels).sum())
        if not tp:
            continue
        precision, recall = tp / flagged.sum(), tp / labels.sum()
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best[3]:
            best = (float(t), float(precision), float(recall), float(f1))
    return best


def quality_section(lines: list[str]) -> bool:
    results = {}
    for hard in (False, True):
        t0 = time.perf_counter()
        results[hard] = evaluate(hard, PAIR_SETS_REPORT)
        print(f"  quality, {'hard' if hard else 'titles'} mode: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    columns = [*FIGURES, *(f"ρ {name}" for name in PAIR_SETS_REPORT)]
    all_ahead = True
    for hard in (False, True):
        res = results[hard]
        title = "titles replaced by the text's first seven words" if hard else "titles as registered"
        lines += [f"### {title}", "", "| method | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
        for method in METHODS:
            cells = []
            for c in columns:
                best_anchor = max(res[m][c] for m in METHODS if m != "ours")
                mark = "**" if method == "ours" and res[method][c] > best_anchor else ""
                cells.append(f"{mark}{res[method][c]:.3f}{mark}")
            lines.append(f"| {method} | " + " | ".join(cells) + " |")
        behind = [c for c in columns if res["ours"][c] <= max(res[m][c] for m in METHODS if m != "ours")]
        all_ahead &= not behind
        margins = ", ".join(
            f"{c} {res['ours'][c] - max(res[m][c] for m in METHODS if m != 'ours'):+.3f}" for c in columns
        )
        lines += [
            "",
            f"Ours minus the best anchor: {margins}." + (f" **Behind on {', '.join(behind)}.**" if behind else ""),
            "",
        ]
    rows = load_register(False)
    model, _, _ = ours_register(rows)
    t, p, r, f1 = calibrate_threshold(model, rows)
    lines += [
        f"Duplicate threshold (titles as registered, pairs in each pilot's top 5): best F1 {f1:.3f} at score ≥ {t:.2f} "
        f"(precision {p:.3f}, recall {r:.3f}); the model uses {model.duplicate_threshold}.",
        "",
    ]
    return all_ahead


# -- tuning -------------------------------------------------------------------------------------------------
GRID_VOCAB = {"char_ngrams": [(3, 4), (3, 5)], "char_lead_words": [25, 50, 100]}
GRID_WEIGHTS = {
    "title_boost": [0.0, 0.5, 1.0, 2.0],
    "title_word_weight": [0.0, 0.125, 0.25, 0.5],
    "char_weight": [0.25, 0.5, 1.0],
    "char_title_boost": [0.0, 1.0, 2.0],
    "title_char_weight": [0.0, 0.125, 0.25, 0.5],
}
GRID_PARTNERS = {"partner_bonus": [0.0, 0.1, 0.25, 0.5]}


class Channels:
    """The model's channels for a corpus, as unit rows, to score any weighting without refitting.

    A combined cosine is the weighted sum of the channel cosines over the weights of the channels both rows
    have (see ``SimilarityModel._combine``), so the grid only recombines these. ``check`` compares one point
    with the model's own scores."""

    def __init__(self, docs: list[PilotDocument], base: Settings, pairs: int | None = None) -> None:
        from search_index.matchmaking.sparse_rows import tfidf, unit_rows

        self.model = SimilarityModel.fit(docs, settings=base)
        wf, wt, cl, ct = self.model._space.counts(Batch.of(docs, base.char_lead_words))
        self.words, self.title_words = tfidf(self.model._words_idf, wf), tfidf(self.model._words_idf, wt)
        self.lead, self.title_chars = tfidf(self.model._chars_idf, cl), tfidf(self.model._chars_idf, ct)
        self.unit = unit_rows
        self.pairs = pairs  # sentence pairs: rows k and pairs + k; else all against all
        self._cache: dict = {}

    def _sim(self, matrix) -> tuple[np.ndarray, np.ndarray]:
        unit, present = self.unit(matrix.copy())
        if self.pairs is None:
            return (unit @ unit.T).toarray(), present.astype(float)
        n = self.pairs
        return np.asarray(unit[:n].multiply(unit[n:]).sum(axis=1)).ravel(), present.astype(float)

    def channel(self, name: str, boost: float = 0.0):
        key = (name, boost)
        if key not in self._cache:
            matrix = {
                "words": lambda: self.words + boost * self.title_words,
                "title_words": lambda: self.title_words,
                "chars": lambda: self.lead + boost * self.title_chars,
                "title_chars": lambda: self.title_chars,
            }[name]()
            self._cache[key] = self._sim(matrix)
        return self._cache[key]

    def scores(self, s: Settings) -> np.ndarray:
        parts = [
            (1.0, self.channel("words", s.title_boost)),
            (s.title_word_weight, self.channel("title_words")),
            (s.char_weight, self.channel("chars", s.char_title_boost)),
            (s.title_char_weight, self.channel("title_chars")),
        ]
        total = sum(w * sim for w, (sim, _) in parts if w > 0)
        weight = sum(w * present for w, (_, present) in parts if w > 0)
        if self.pairs is None:
            norm = np.sqrt(np.outer(weight, weight))
        else:
            norm = np.sqrt(weight[: self.pairs] * weight[self.pairs :])
        return np.divide(total, norm, out=np.zeros_like(total), where=norm > 0)

    def check(self, docs: list[PilotDocument], s: Settings) -> float:
        """Largest difference between ``scores`` and the model's own vectors at settings ``s`` (all against all)."""
        self.model.settings = s
        x = self.model._vectors(docs)
        return float(np.abs(self.scores(s) - (x @ x.T).toarray()).max())


def _partners_agg(rows: Sequence[Row], scores: np.ndarray, settings: Settings) -> Callable[[int], list[str]]:
    """The model's partner rule (best pilot, noisy-or of the next ones) on a score matrix."""
    probe = SimilarityModel(settings)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :60]  # enough pilots for ten organisations here

    def partners(i: int) -> list[str]:
        per_org: dict[str, list[tuple[int, float]]] = {}
        for j in order[i]:
            if j != i and rows[j].organisation != rows[i].organisation and scores[i, j] > 0:
                per_org.setdefault(rows[j].organisation, []).append((int(j), float(scores[i, j])))
        return sorted(per_org, key=lambda o: (-probe._org_score(per_org[o]), o))[:PARTNER_LIMIT]

    return partners


def _ranked_stable(scores: np.ndarray) -> Callable[[int], list[int]]:
    """The model's order: falling score, then id (``similar`` sorts so)."""
    scores = scores.copy()
    np.fill_diagonal(scores, -1)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :SIMILAR_LIMIT]
    return lambda i: order[i].tolist()


def tune_anchors(registers: dict[bool, list[Row]], pair_sets: dict[str, list]) -> dict[str, float]:
    """The best anchor per figure on the tuning data (slow: Whoosh scores every sentence pair both ways)."""
    anchors: dict[str, float] = {}
    for hard, rows in registers.items():
        mode = "hard" if hard else "titles"
        for scores in (tfidf_scores(rows), trigram_scores(rows)):
            ranked = rank_from_scores(scores)
            for k, v in metrics(rows, ranked, partners_from_ranking(rows, ranked)).items():
                anchors[f"{mode} {k}"] = max(anchors.get(f"{mode} {k}", 0), v)
        with tempfile.TemporaryDirectory() as tmp:
            whoosh = WhooshMoreLike(rows, tmp)
            for k, v in metrics(rows, whoosh.ranked, partners_from_ranking(rows, whoosh.ranked)).items():
                anchors[f"{mode} {k}"] = max(anchors[f"{mode} {k}"], v)
            whoosh.close()
    for name, pairs in pair_sets.items():
        for hard in (False, True):
            key = f"{'hard' if hard else 'titles'} ρ {name}"
            for method in METHODS[1:]:
                anchors[key] = max(anchors.get(key, -1), spearman(pairs, pair_scores(method, pairs, hard)))
    return anchors


def tune(lines: list[str], anchors_cache: Path | None = None) -> None:
    """Every grid point on the dev register (both modes) and the tuning sentence pairs (both modes), ranked by
    the smallest margin over the best anchor on any figure, then by the mean margin."""
    registers = {hard: load_register(hard) for hard in (False, True)}
    pair_sets = {name: load() for name, load in PAIR_SETS_TUNE.items()}
    if anchors_cache and anchors_cache.exists():
        anchors = json.loads(anchors_cache.read_text("utf-8"))
    else:
        anchors = tune_anchors(registers, pair_sets)
        if anchors_cache:
            anchors_cache.write_text(json.dumps(anchors, ensure_ascii=False), "utf-8")
    print("anchors:", {k: round(v, 3) for k, v in anchors.items()}, file=sys.stderr)

    results = []
    for vocab in itertools.product(*GRID_VOCAB.values()):
        base = dataclasses.replace(DEFAULT_SETTINGS, **dict(zip(GRID_VOCAB, vocab, strict=True)))
        corpora: dict[str, tuple[Channels, object]] = {}
        for hard, rows in registers.items():
            corpora["hard" if hard else "titles"] = (Channels(documents(rows), base), rows)
        for name, pairs in pair_sets.items():
            for hard in (False, True):
                docs = documents(pair_rows(pairs, hard))
                corpora[f"{'hard' if hard else 'titles'} ρ {name}"] = (Channels(docs, base, len(pairs)), pairs)
        probe = dataclasses.replace(base, title_boost=1.0, title_word_weight=0.25, char_title_boost=2.0)
        deviation = corpora["titles"][0].check(documents(registers[False]), probe)
        assert deviation < 1e-4, f"the grid's scores differ from the model's by {deviation}"
        for weights in itertools.product(*GRID_WEIGHTS.values()):
            settings = dataclasses.replace(base, **dict(zip(GRID_WEIGHTS, weights, strict=True)))
            figures: dict[str, float] = {}
            register_scores = {}
            for key, (channels, data) in corpora.items():
                if " ρ " in key:
                    figures[key] = spearman(data, channels.scores(settings))
                else:
                    register_scores[key] = (channels.scores(settings), data)
            ranked = {key: _ranked_stable(sc) for key, (sc, _) in register_scores.items()}
            for bonus in GRID_PARTNERS["partner_bonus"]:
                point = dataclasses.replace(settings, partner_bonus=bonus)
                out = dict(figures)
                for key, (sc, rows) in register_scores.items():
                    for k, v in metrics(rows, ranked[key], _partners_agg(rows, sc, point)).items():
                        out[f"{key} {k}"] = v
                margins = {k: out[k] - anchors[k] for k in anchors}
                results.append((min(margins.values()), float(np.mean(list(margins.values()))), point, out))
        print(f"  tuned {vocab}: {len(results)} points", file=sys.stderr)
    results.sort(key=lambda r: (-r[0], -r[1]))
    keys = list(anchors)
    lines += [
        "## Tuning grid (dev register and STS-B-NL dev, SICK-NL trial+train; both modes)",
        "",
        f"{len(results)} points. Anchors (best of TF-IDF defaults, trigram, Whoosh more_like per figure): "
        + ", ".join(f"{k} {v:.3f}" for k, v in anchors.items()),
        "",
        "| rank | min margin | mean margin | settings | " + " | ".join(keys) + " |",
        "|---:|---:|---:|---|" + "---:|" * len(keys),
    ]
    default_rank = next((k for k, r in enumerate(results) if r[2] == DEFAULT_SETTINGS), None)
    shown = list(enumerate(results[:30]))
    if default_rank is not None and default_rank >= 30:
        shown.append((default_rank, results[default_rank]))
    for rank, (low, mean, point, out) in shown:
        desc = ", ".join(f"{k}={getattr(point, k)}" for k in [*GRID_VOCAB, *GRID_WEIGHTS, *GRID_PARTNERS])
        desc += " **(default)**" if point == DEFAULT_SETTINGS else ""
        lines.append(
            f"| {rank + 1} | {low:+.3f} | {mean:+.3f} | {desc} | " + " | ".join(f"{out[k]:.3f}" for k in keys) + " |"
        )
    lines.append("")


# -- speed --------------------------------------------------------------------------------------------------
def percentiles(samples: list[float]) -> tuple[float, float]:
    arr = np.asarray(samples) * 1000.0
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


def smaps() -> dict[str, float]:
    """Resident memory of this process in MB: total, private and shared (from /proc/self/smaps_rollup)."""
    out = {"Rss": 0.0, "Private": 0.0, "Shared": 0.0}
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            kb = float(value.split()[0]) if value.split() else 0.0
            if key == "Rss":
                out["Rss"] = kb / 1024
            elif key.startswith("Private_"):
                out["Private"] += kb / 1024
            elif key.startswith("Shared_"):
                out["Shared"] += kb / 1024
    except OSError:
        pass
    return out


def cpu_s() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def draft_of(doc: PilotDocument, rng: random.Random) -> tuple[str, str, str]:
    """A person writing the same pilot again: another title wording, the summary, some body sentences."""
    sentences = re.split(r"(?<=[.!?])\s+", doc.body)
    kept = [s for s in sentences if rng.random() < 0.6] or sentences[:1]
    title_words = doc.title.split()
    title = " ".join([*title_words[: max(2, len(title_words) - 1)], "in onze gemeente"])
    return title, doc.summary, " ".join(kept)


def perf_worker(size: int, n_queries: int, workdir: Path) -> dict:
    """One size, in this process: fit, save, then measure queries on the loaded (memory-mapped) model."""
    from search_corpus import make_corpus

    docs = make_corpus(size)
    orgs_of = {d.id: list(d.organisations) for d in docs}
    gc.collect()
    rss0 = smaps()
    c0, t0 = cpu_s(), time.perf_counter()
    model = SimilarityModel.fit(docs)
    fit_s, fit_cpu_s = time.perf_counter() - t0, cpu_s() - c0
    rss_fit = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    path = workdir / f"model-{size}.joblib"
    t0 = time.perf_counter()
    model.save(path)
    save_s = time.perf_counter() - t0
    del model
    gc.collect()
    m_before = smaps()
    t0 = time.perf_counter()
    model = SimilarityModel.load(path)
    load_s = time.perf_counter() - t0
    arrays = sum(
        a.nbytes
        for a in (model._matrix.data, model._matrix.indices, model._matrix.indptr, model._postings.data,
                  model._postings.indices, model._postings.indptr, model._ids, model._space.bigram_codes)
    )  # fmt: skip
    rng = random.Random(7)
    ids = [docs[rng.randrange(size)].id for _ in range(n_queries)]
    drafts = [draft_of(docs[rng.randrange(size)], rng) for _ in range(n_queries)]
    for i in ids[:20]:  # warm-up
        model.similar(i)
    samples: dict[str, list[float]] = {
        k: [] for k in ("similar", "similar brute", "partners", "partners brute", "draft", "draft brute")
    }
    cpu: dict[str, list[float]] = {k: [] for k in samples}
    agree: dict[str, list[float]] = {"similar": [], "partners": [], "draft": []}
    last: dict[str, list] = {}

    def similar(i, q, draft):
        return [m.id for m in model.similar(i, 5)]

    def similar_brute(i, q, draft):
        return [j for j, _ in model.brute_force(q, 5, [i])]

    def partners(i, q, draft):
        return [p.code for p in model.partners(i, orgs_of, limit=5)]

    def partners_brute(i, q, draft):
        return brute_partners(model, q, i, orgs_of)

    def draft_(i, q, draft):
        return [m.id for m in model.similar_to_text(*draft, limit=5)]

    def draft_brute(i, q, draft):
        return [j for j, _ in model.brute_force(model.draft_vector(*draft), 5)]

    kinds = {
        "similar": similar, "similar brute": similar_brute, "partners": partners,
        "partners brute": partners_brute, "draft": draft_, "draft brute": draft_brute,
    }  # fmt: skip
    for i, draft in zip(ids, drafts, strict=True):
        q = model._vector_of(i)
        for name, fn in kinds.items():
            c0, t0 = time.process_time(), time.perf_counter()
            result = fn(i, q, draft)
            samples[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            if name.endswith("brute"):
                base = name.split()[0]
                agree[base].append(len(set(last[base]) & set(result)) / max(1, len(result)))
            else:
                last[name] = result
    m_after = smaps()
    # a pilot written now is found at once
    visible = []
    for k in range(5):
        src = docs[rng.randrange(size)]
        doc = dataclasses.replace(src, id=size + 1 + k, slug=f"new-{k}", title=f"{src.title} opnieuw")
        t0 = time.perf_counter()
        model.upsert(doc)
        assert any(m.id == doc.id for m in model.similar(src.id, 5))
        visible.append(time.perf_counter() - t0)
    return {
        "size": size,
        "fit_s": fit_s,
        "fit_cpu_s": fit_cpu_s,
        "fit_peak_rss_mb": rss_fit,
        "corpus_rss_mb": rss0["Rss"],
        "save_s": save_s,
        "load_s": load_s,
        "file_mb": path.stat().st_size / 1e6,
        "arrays_mb": arrays / 1e6,
        "nnz_per_pilot": model._matrix.nnz / size,
        "postings_per_pilot": model._postings.nnz / size,
        "features": model._n_features,
        "rss_loaded": {k: m_after[k] - m_before[k] for k in m_after},
        "latency": {k: percentiles(v) for k, v in samples.items()},
        "latency_cpu": {k: percentiles(v) for k, v in cpu.items()},
        "agree": {k: float(np.mean(v)) for k, v in agree.items()},
        "upsert_visible_ms": float(np.median(visible) * 1000),
        "pickled_vocab_mb": len(pickle.dumps((model._space, model._names, model._surface))) / 1e6,
    }


def brute_partners(model: SimilarityModel, q, doc_id: int, orgs_of) -> list[str]:
    """Partners from a brute-force ranking of every row (the same organisation rule as the model)."""
    found = model.brute_force(q, model.settings.candidates, [doc_id])
    skip = set(orgs_of.get(doc_id, ()))
    per_org: dict[str, list[tuple[int, float]]] = {}
    for pilot, score in found:
        for code in dict.fromkeys(orgs_of.get(pilot, ())):
            if code not in skip:
                per_org.setdefault(code, []).append((pilot, score))
    return sorted(per_org, key=lambda o: (-model._org_score(per_org[o]), o))[:5]


def perf_section(lines: list[str], sizes: list[int], n_queries: int) -> None:
    results = []
    for size in sizes:
        print(f"  speed at {size}…", file=sys.stderr)
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", str(size), "--queries", str(n_queries)],
            stdout=subprocess.PIPE, check=True, text=True,
        )  # fmt: skip
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    head = "| measure | " + " | ".join(f"{r['size']:,} pilots".replace(",", " ") for r in results) + " |"
    lines += [head, "|---|" + "---:|" * len(results)]

    def row(label: str, fmt: Callable[[dict], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(fmt(r) for r in results) + " |")

    for name, target in (("similar", 15), ("partners", 30), ("draft", 30)):
        row(
            f"{name}, p50 / p95 (ms), target p95 ≤ {target}",
            lambda r, n=name: "{:.1f} / {:.1f}".format(*r["latency"][n]),
        )
        row(f"{name}, CPU p50 / p95 (ms)", lambda r, n=name: "{:.1f} / {:.1f}".format(*r["latency_cpu"][n]))
        row(
            f"{name}, brute force over all rows, p50 / p95 (ms)",
            lambda r, n=name: "{:.1f} / {:.1f}".format(*r["latency"][n + " brute"]),
        )
        row(f"{name}, same top 5 as brute force", lambda r, n=name: f"{r['agree'][n] * 100:.1f} %")
    row("full refit (s), target ≤ 30", lambda r: f"{r['fit_s']:.1f}")
    row("full refit, CPU (s, both processes)", lambda r: f"{r['fit_cpu_s']:.1f}")
    row("refit peak RSS (MB, corpus included)", lambda r: f"{r['fit_peak_rss_mb']:.0f}")
    row("save / load (s)", lambda r: f"{r['save_s']:.2f} / {r['load_s']:.2f}")
    row("model file (MB)", lambda r: f"{r['file_mb']:.0f}")
    row("vectors + postings arrays (MB, memory-mapped)", lambda r: f"{r['arrays_mb']:.0f}")
    row("vocabularies, pickled (MB, per worker)", lambda r: f"{r['pickled_vocab_mb']:.1f}")
    row(
        "worker RSS after load + queries: private / shared (MB)",
        lambda r: "{:.0f} / {:.0f}".format(r["rss_loaded"]["Private"], r["rss_loaded"]["Shared"]),
    )
    row(
        "stored values per pilot (all channels / postings)",
        lambda r: f"{r['nnz_per_pilot']:.0f} / {r['postings_per_pilot']:.0f}",
    )
    row("features", lambda r: f"{r['features']:,}".replace(",", " "))
    row("upsert until similar finds it (ms)", lambda r: f"{r['upsert_visible_ms']:.1f}")
    lines.append("")


# -- main ---------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes for the speed section")
    parser.add_argument("--queries", type=int, default=300, help="timed queries per kind and size")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-perf", action="store_true")
    parser.add_argument("--tune", action="store_true", help="run the settings grid on the dev data instead")
    parser.add_argument(
        "--anchors-cache",
        type=Path,
        help="--tune: read the anchors' figures from this JSON file, or "
        "compute and write them there (they do not depend on the grid)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only, write no file under bench/results")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(perf_worker(args.worker, args.queries, Path(tmp))))
        return 0
    now = datetime.now()
    lines = [
        f"# Matchmaking benchmark {now:%Y-%m-%d %H:%M}",
        "",
        f"Command: `{' '.join(['.venv/bin/python', *sys.argv])}`",
        "",
    ]
    lines += ["Settings: " + ", ".join(f"{k}={v}" for k, v in dataclasses.asdict(DEFAULT_SETTINGS).items()), ""]
    ok = True
    if args.tune:
        tune(lines, args.anchors_cache)
    else:
        if not args.skip_quality:
            lines += ["## Quality (algoritmeregister_dev.jsonl; Spearman on the test splits of the sentence pairs)", ""]
            ok = quality_section(lines)
        if not args.skip_perf:
            lines += [
                f"## Speed (one process per size; {args.queries} queries per kind; {os.cpu_count()} CPUs)",
                "",
            ]
            perf_section(lines, [int(s) for s in args.sizes.split(",")], args.queries)
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        part = "_tuning" if args.tune else "_quality" if args.skip_perf else "_speed" if args.skip_quality else ""
        path = RESULTS / f"matchmaking{part}_{now:%Y-%m-%d}.md"  # a quality-only run keeps a speed-only one
        path.write_text(text + "\n", "utf-8")
        print(f"\nwritten to {path.relative_to(REPO)}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
