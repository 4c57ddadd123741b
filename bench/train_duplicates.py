"""Train the duplicate likelihood (``search_index/matchmaking/duplicate_likelihood.py``) on the dev split.

Not a test. Run from the repository root; it writes ``search_index/data/duplicate_model.json`` and prints the
figures the thresholds were chosen on:

    .venv/bin/python bench/train_duplicates.py            # cross-validated figures, then fit and write
    .venv/bin/python bench/train_duplicates.py --dry-run  # figures only

Data: ``../shared/data/algoritmeregister_dev.jsonl`` only (the held-out split is never read), in two modes,
titles as registered and titles replaced by the text's first seven words, and in two views: the register as
it is, where one system ("anonimiseren") has 154 entries, and the same register with every cluster capped at
six entries, closer to a live site where a pilot has a few copies at most. Each pilot's top 20 (the model's
``ranked_parts``) gives the pairs; a pair is positive when both are the same system registered by another
municipality (the labels of ``../shared/tools/matchmaking_eval.py``). Validation is by cluster (five folds):
a system's pairs are never both trained and tested on.

Figures are those of the reference tool, over the flags among each query's top five: precision, recall
(per query, of at most five duplicates), F1, and recall on reworded duplicates (text trigram Jaccard < 0.4),
computed by ``matchmaking_data.flag_metrics`` as eval_matchmaking.py computes them.
"""

# ruff: noqa: S311 -- seeded random for the capped view

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict

import numpy as np
from matchmaking_data import (  # also puts the repository on sys.path
    FLAGGED_TOP,
    REPO,
    SIMILAR_LIMIT,
    Row,
    documents,
    flag_metrics,
    load_register,
    relevant,
)
from scipy.optimize import minimize

from search_index.matchmaking import SimilarityModel
from search_index.matchmaking.duplicate_likelihood import MODEL_FILE, PARTS

DEPTH = SIMILAR_LIMIT  # pairs per pilot: its top 20, as the reference tool asks the API
CAP = 6  # entries per cluster in the capped view
FOLDS = 5
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def capped(rows: list[Row], seed: int = 1) -> list[Row]:
    """At most :data:`CAP` entries of each cluster, drawn with ``seed`` (1: the capped view)."""
    by_cluster: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_cluster[r.cluster].append(r)
    rng, out = random.Random(seed), []
    for members in by_cluster.values():
        keep = rng.sample(members, min(CAP, len(members)))
        orgs = len({r.organisation for r in keep})
        out.extend(Row(r.title, r.text, r.organisation, r.cluster, orgs) for r in keep)
    return out


def write_capped(path: str) -> None:
    """The capped view (titles as registered) in the reference tool's format, so its measurement, anchors
    included, runs on a register where a system has at most six entries:
    ``matchmaking_eval.py FILE [--hard] --project-url URL``."""
    with open(path, "w", encoding="utf-8") as f:
        for k, r in enumerate(capped(load_register(False))):
            entry = {"id": f"c{k}", "organisation": r.organisation, "title": r.title, "text": r.text}
            f.write(
                json.dumps({**entry, "cluster": r.cluster, "cluster_orgs": r.cluster_orgs}, ensure_ascii=False) + "\n"
            )
    print(f"wrote the capped register to {path}")


class View:
    """One corpus: its pairs (features, labels, groups) and the tool's flag measurement."""

    def __init__(self, name: str, rows: list[Row]) -> None:
        self.name, self.rows = name, rows
        self.model = model = SimilarityModel.fit(documents(rows))
        self.lists = [model.ranked_parts(i, DEPTH) for i in range(len(rows))]  # each pilot's top 20
        self.pairs: list[tuple[int, int, int]] = []  # (query, candidate, rank)
        parts, labels = [], []
        for i in range(len(rows)):
            rel = relevant(rows, i) if rows[i].cluster_orgs >= 2 else set()
            for rank, (j, _score, p) in enumerate(self.lists[i]):
                self.pairs.append((i, j, rank))
                parts.append(p)
                labels.append(j in rel)
        self.x, self.y = np.array(parts), np.array(labels)
        self.scores = self.x.sum(axis=1)
        self.groups = np.array([rows[i].cluster for i, _, _ in self.pairs])

    def flags(self, likelihood: np.ndarray, t: float) -> dict[str, float]:
        """The reference tool's flag figures when a pair of the top five is flagged from likelihood ``t``."""
        flagged: dict[int, set[int]] = defaultdict(set)
        for (i, j, rank), p in zip(self.pairs, likelihood, strict=True):
            if rank < FLAGGED_TOP and p >= t:
                flagged[i].add(j)
        return flag_metrics(self.rows, lambda i: flagged.get(i, set()))


class Monotone:
    """Logistic regression whose weights are never negative: more agreement in any channel never lowers the
    likelihood (unconstrained, the words weight comes out negative on the dev split, and an exact copy with a
    new title then ranks below two pilots that only share a title). L2 as scikit-learn's default (C = 1)."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            z = x @ theta[1:] + theta[0]
            p = 1.0 / (1.0 + np.exp(-z))
            value = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * theta[1:] @ theta[1:]
            grad = np.concatenate(([np.sum(p - y)], x.T @ (p - y) + theta[1:]))
            return float(value), grad

        bounds = [(None, None)] + [(0.0, None)] * x.shape[1]
        theta = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds).x
        self.intercept, self.weights = float(theta[0]), theta[1:]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-(x @ self.weights + self.intercept)))
        return np.column_stack((1.0 - p, p))


def fit(xs: list[np.ndarray], ys: list[np.ndarray]) -> Monotone:
    return Monotone(np.vstack(xs), np.concatenate(ys).astype(float))


def out_of_fold(train: list[View], views: list[View]) -> list[np.ndarray]:
    """Each view's likelihoods from models that never saw the pair's cluster (folds by cluster over the dev
    register; a capped view's clusters fall in the same folds)."""
    clusters = sorted({g for v in train for g in v.groups})
    fold_of = {c: k % FOLDS for k, c in enumerate(random.Random(0).sample(clusters, len(clusters)))}
    out = [np.zeros(len(v.y)) for v in views]
    for k in range(FOLDS):
        model = fit(
            [v.x[[fold_of[g] != k for g in v.groups]] for v in train],
            [v.y[[fold_of[g] != k for g in v.groups]] for v in train],
        )
        for v, o in zip(views, out, strict=True):
            test = np.array([fold_of[g] == k for g in v.groups])
            if test.any():
                o[test] = model.predict_proba(v.x[test])[:, 1]
    return out


def table(views: list[View], likelihoods: list[np.ndarray], thresholds: list[float]) -> list[str]:
    lines = ["| flagged from | " + " | ".join(v.name for v in views) + " |", "|---" * (len(views) + 1) + "|"]
    for t in thresholds:
        cells = [v.flags(p, t) for v, p in zip(views, likelihoods, strict=True)]
        lines.append(
            f"| {t:.3f} | "
            + " | ".join(f"P {c['P']:.3f} R {c['R']:.3f} F1 {c['F1']:.3f} rw {c['reworded R']:.3f}" for c in cells)
            + " |"
        )
    return lines


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument(
        "--write-capped",
        metavar="FILE",
        help="write the capped register as JSON lines for the reference tool, then stop",
    )
    args = ap.parse_args()
    if args.write_capped:
        write_capped(args.write_capped)
        return 0
    views = []
    for hard in (False, True):
        rows = load_register(hard)
        mode = "opening words as titles" if hard else "titles"
        views += [View(f"{mode}", rows), View(f"{mode}, capped", capped(rows))]
    full = [v for v in views if "capped" not in v.name]
    oof = out_of_fold(full, views)
    # possible duplicate: the lowest threshold (the most found) with precision >= 0.85 in both full views;
    # likely duplicate: the lowest threshold above it with precision >= 0.97 on the register with its titles
    full_oof = [p for v, p in zip(views, oof, strict=True) if v in full]
    precise = [t for t in GRID if all(v.flags(p, t)["P"] >= 0.85 for v, p in zip(full, full_oof, strict=True))]
    possible = float(min(precise))
    likely = float(next(t for t in GRID if t > possible and full[0].flags(full_oof[0], t)["P"] >= 0.97))
    # nothing below min_score is listed: the cosine under which 1 % of the dev duplicates fall; a pilot makes
    # its organisation a partner from the cosine under which 0.1 % fall
    dup_scores = np.concatenate([v.scores[v.y] for v in full])
    min_score = float(np.floor(np.percentile(dup_scores, 1) * 100) / 100)
    partner_min_score = float(np.floor(np.percentile(dup_scores, 0.1) * 100) / 100)
    hidden = np.mean(np.concatenate([v.scores[~v.y] for v in full]) < min_score)
    print("Duplicate likelihood, cross-validated by cluster on the dev register (flags among the top 5):\n")
    print("\n".join(table(views, oof, sorted({0.2, possible, 0.4, likely, 0.8}))))
    print("\nThe cosine alone, as before (threshold on the score):\n")
    print("\n".join(table(views, [v.scores for v in views], [0.25, 0.5])))
    print(
        f"\npossible duplicate from {possible}, likely from {likely}; listed from a cosine of {min_score} "
        f"(hides {hidden:.0%} of the non-duplicate pairs of the top 20, 1 % of the duplicates); partners from "
        f"{partner_min_score} (0.1 % of the duplicates below)"
    )
    final = fit([v.x for v in full], [v.y for v in full])
    state = {
        "about": "bench/train_duplicates.py on algoritmeregister_dev.jsonl (both modes); see duplicate_likelihood.py",
        "intercept": round(final.intercept, 6),
        "weights": {name: round(float(w), 6) for name, w in zip(PARTS, final.weights, strict=True)},
        "possible": possible,
        "likely": likely,
        "min_score": min_score,
        "partner_min_score": partner_min_score,
    }
    print(json.dumps(state, indent=2))
    if not args.dry_run:
        MODEL_FILE.write_text(json.dumps(state, indent=2) + "\n", "utf-8")
        print(f"wrote {MODEL_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
