"""The matchmaking benchmark's settings grid (``eval_matchmaking.py --tune``).

Every combination of the grid is scored on the dev register (both modes) and the tuning splits of the
sentence pairs (STS-B-NL dev, SICK-NL trial + train; the test splits the quality section reports are never
used for it), and ranked by its smallest margin over the best anchor on any figure, then by the mean margin.
It is how ``DEFAULT_SETTINGS`` was chosen. The model's channels are computed once per vocabulary setting and
only recombined per weighting (:class:`Channels`), checked against the model's own scores.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from matchmaking_anchors import ANCHORS, WhooshMoreLike, anchor_pair_scores, tfidf_scores, trigram_scores
from matchmaking_data import (  # also puts the repository on sys.path
    PAIR_SETS_TUNE,
    PARTNER_LIMIT,
    SIMILAR_LIMIT,
    Row,
    documents,
    load_register,
    metrics,
    pair_rows,
    partners_from_ranking,
    rank_from_scores,
    spearman,
)

from search_index.documents import PilotDocument
from search_index.matchmaking import DEFAULT_SETTINGS, Settings, SimilarityModel
from search_index.matchmaking.features import Batch

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
            for method in ANCHORS:
                anchors[key] = max(anchors.get(key, -1), spearman(pairs, anchor_pair_scores(method, pairs, hard)))
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
