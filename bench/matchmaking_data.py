"""The matchmaking benchmark's data and its measurement, as ``../shared/tools/matchmaking_eval.py`` defines it.

Shared by eval_matchmaking.py (with matchmaking_anchors.py, matchmaking_tune.py) and train_duplicates.py:
the rows of the dev register and of the Dutch sentence pairs, their documents, the labels (an entry's
duplicates are the entries of its cluster from other municipalities), the ranking and partner figures, and
the duplicate-flag figures (precision, recall and F1 of the flags among each query's top five, and recall on
reworded duplicates: text trigram Jaccard < 0.4), computed here in process exactly as the reference tool
computes them from the API.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search_index.documents import PilotDocument  # noqa: E402

# Evaluation data outside the repository (docs/DESIGN.md, "Evaluation data")
DATA = Path(os.environ.get("PILOTSTARTER_EVAL_DATA") or REPO / ".." / "shared" / "data").resolve()
REGISTER = DATA / "algoritmeregister_dev.jsonl"
HARD_TITLE_WORDS = 7
SIMILAR_LIMIT = 20  # as the reference tool asks the API
PARTNER_LIMIT = 10
FLAGGED_TOP = 5  # the reference tool counts "duplicate" flags among the top five
REWORDED_JACCARD = 0.4  # a duplicate whose text trigrams overlap less than this is "reworded"
FLAG_THRESHOLDS = np.arange(0.05, 0.96, 0.05)  # the reference tool's grid for an anchor's flag threshold


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


# -- labels -------------------------------------------------------------------------------------------------
def queries(rows: Sequence[Row]) -> list[int]:
    return [i for i, r in enumerate(rows) if r.cluster_orgs >= 2]


def relevant(rows: Sequence[Row], i: int) -> set[int]:
    r = rows[i]
    return {j for j, s in enumerate(rows) if j != i and s.cluster == r.cluster and s.organisation != r.organisation}


_LABELS: dict[int, tuple[list, Sequence[Row]]] = {}
_REWORDED: dict[int, tuple[list, Sequence[Row]]] = {}


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


_TRIGRAM_WORD = re.compile(r"\w+")


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm: each lower-case word padded with two spaces before and one after."""
    out: set[str] = set()
    for w in _TRIGRAM_WORD.findall(text.lower()):
        w = f"  {w} "
        out.update(w[k : k + 3] for k in range(len(w) - 2))
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """pg_trgm's similarity; 0 when either side is empty."""
    return len(a & b) / len(a | b) if a and b else 0.0


def reworded(rows: Sequence[Row]) -> list[tuple[int, set[int], set[int]]]:
    """(query, its duplicates, the reworded ones among them) for every query of ``rows`` (cached per list)."""
    cached = _REWORDED.get(id(rows))
    if cached is None or cached[1] is not rows:
        text = [trigrams(r.text) for r in rows]
        found = [
            (i, rel, {j for j in rel if jaccard(text[i], text[j]) < REWORDED_JACCARD}) for i, rel, _ in labels(rows)
        ]
        cached = _REWORDED[id(rows)] = (found, rows)
    return cached[0]


# -- figures ------------------------------------------------------------------------------------------------
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


def flag_metrics(rows: Sequence[Row], flagged: Callable[[int], Collection[int]]) -> dict[str, float]:
    """The reference tool's ``flag_metrics``: ``flagged(i)`` the pilots flagged "duplicate" among query ``i``'s
    top five. Precision over all flags; recall per query, of at most five duplicates; reworded recall over all
    reworded duplicates."""
    tp = n = 0
    recall = reworded_hit = reworded_all = 0.0
    qs = reworded(rows)
    for i, rel, rw in qs:
        f = set(flagged(i))
        tp, n = tp + len(f & rel), n + len(f)
        recall += len(f & rel) / min(FLAGGED_TOP, len(rel))
        reworded_hit, reworded_all = reworded_hit + len(f & rw), reworded_all + len(rw)
    precision, recall = (tp / n if n else 0.0), recall / len(qs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": precision, "R": recall, "F1": f1, "reworded R": reworded_hit / reworded_all if reworded_all else 0.0}


def best_threshold_flags(rows: Sequence[Row], scores: np.ndarray) -> tuple[float, dict[str, float]]:
    """An anchor's flags at the threshold with the best F1 on this very data (the reference tool's
    ``best_threshold_flags``: an oracle, stronger than any fixed setting): a pilot among the top five by
    ``scores`` is flagged when its score is at least the threshold."""
    scores = scores.copy()
    np.fill_diagonal(scores, -1)
    top = {i: [int(j) for j in np.argsort(-scores[i])[:FLAGGED_TOP] if j != i] for i, _, _ in labels(rows)}
    best: tuple[float, dict[str, float]] | None = None
    for t in FLAG_THRESHOLDS:
        m = flag_metrics(rows, lambda i, t=t: {j for j in top[i] if scores[i, j] >= t})
        if best is None or m["F1"] > best[1]["F1"]:
            best = (float(t), m)
    assert best is not None
    return best


def rank_from_scores(scores: np.ndarray) -> Callable[[int], list[int]]:
    """Every pilot by falling score, as the reference tool sorts (``np.argsort``'s default, ties as it leaves them)."""
    scores = scores.copy()
    np.fill_diagonal(scores, -1)
    return lambda i: np.argsort(-scores[i]).tolist()


def partners_from_ranking(rows: Sequence[Row], ranked: Callable[[int], list[int]]) -> Callable[[int], list[str]]:
    """An anchor's partners: the organisations of its ranking, in order of first appearance (as the reference
    tool does)."""

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


def spearman(pairs: list[tuple[str, str, float]], scores: Sequence[float]) -> float:
    return float(spearmanr([s for *_, s in pairs], scores).statistic)
