"""Candidate pair features for the duplicate likelihood, measured before any of them goes into the model.

Not a test. Run from the repository root:

    .venv/bin/python bench/duplicate_features.py                          # each candidate alone, then the model as it is
    .venv/bin/python bench/duplicate_features.py chars_z rare_words       # these two together
    .venv/bin/python bench/duplicate_features.py --train capped chars_z   # trained on capped samples of the register
    .venv/bin/python bench/duplicate_features.py --strict untitled        # threshold also precise in the capped view

Per feature set: the likelihood's model (``train_duplicates.Monotone``: the three channel parts plus the
features), cross-validated by cluster on the dev register exactly as ``train_duplicates.py`` does it, and its
"possible" threshold chosen by the same rule (the lowest with flag precision >= 0.85 in both full views). Per
view: flag P/R/F1 and reworded recall at that threshold (``--strict``: the lowest with precision >= 0.85 in
the capped view with titles too); the best F1 at any threshold of the grid; the best
reworded recall at any threshold with precision >= 0.85. ``--train capped`` trains on
:data:`CAPPED_SAMPLES` capped samples of each mode instead of the register as it is (where the 154 entries of
one system fill their members' lists with duplicates).

Then the **demo check**: the model trained on all the training pairs, applied to the demo content (content/
pilots): how many of the 49 pilots' top-five matches it flags, and the likelihood of the planted pairs of the
same initiative in other words. The demo content is a check, like held-out data: never tune on it.
Results of 2026-12-06: ``bench/results/duplicate_features_2026-12-06.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import weakref
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
import train_duplicates as td  # also puts the repository on sys.path
from matchmaking_data import FLAGGED_TOP, load_register
from sklearn.preprocessing import normalize

from search_index.matchmaking import DUPLICATES, SimilarityModel
from tests.search_index.corpora import demo_documents

CAPPED_SAMPLES = 5  # capped samples per mode for --train capped (seeds 1..; the first is the capped view)
RARE_SHARE = 0.03  # rare_words: terms in at most this share of the pilots
Z_CLIP = 3.0
COOC_NEIGHBOURS = 10  # cooccurrence: each word's strongest co-occurring words (positive PMI, seen together twice+)
DEMO_PAIRS = [  # the demo's planted pairs of one initiative in other words (the check)
    ("chatbot-wmo-vragen", "digitale-assistent-zorg-en-ondersteuning"),
    ("parkeervergunning-online-aanvragen", "digitaal-parkeerloket-binnenstad"),
    ("schulden-eerder-in-beeld", "vroegsignalering-betalingsachterstanden"),
    ("digitale-assistent-zorg-en-ondersteuning", "mantelzorgers-eerder-ondersteunen"),  # not a duplicate
]

Lists = list[list[tuple[int, float, np.ndarray]]]  # per pilot: (candidate, cosine, channel parts), best first


def _z(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    return np.clip((values - values.mean()) / spread, -Z_CLIP, Z_CLIP) if spread > 1e-9 else np.zeros_like(values)


def _shared_words(model: SimilarityModel, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    """(column, product) of the words-channel features two pilots share."""
    va, vb = model._vector_of(a), model._vector_of(b)
    common, ia, ib = np.intersect1d(va.indices, vb.indices, return_indices=True)
    words = common < model._n_words
    return common[words], (va.data[ia] * vb.data[ib])[words]


# Each candidate: (model, lists, query, rank) -> value; larger means more alike (the model's weights are >= 0).
def chars_z(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """How far the pair's character agreement (chars + title_chars) stands above the query's own top 20."""
    return float(_z(np.array([p[1] + p[2] for _, _, p in lists[i]]))[rank])


def cosine_z(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """The pair's cosine against the query's top 20 (z-score)."""
    return float(_z(np.array([s for _, s, _ in lists[i]]))[rank])


def cosine_z_both(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """The smaller of the pair's z-scores against each side's own top 20 (each side's neighbour scores)."""
    j, s, _ = lists[i][rank]
    other = np.array([t for _, t, _ in lists[j]] or [s])
    own = cosine_z(model, lists, i, rank)
    return min(own, float(np.clip((s - other.mean()) / max(other.std(), 1e-9), -Z_CLIP, Z_CLIP)))


def share_of_best(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """The pair's cosine over the best cosine of either side's list (1: each is the other's best)."""
    j, s, _ = lists[i][rank]
    best_j = lists[j][0][1] if lists[j] else s
    return float(s / max(lists[i][0][1], best_j, 1e-9))


def mutual_rank(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """1 / (1 + the query's rank in the candidate's own list), 0 when it is not in its top 20."""
    j = lists[i][rank][0]
    back = next((r for r, (k, _, _) in enumerate(lists[j]) if k == i), None)
    return 0.0 if back is None else 1.0 / (1 + back)


def rare_words(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """Words-channel agreement over the terms in at most :data:`RARE_SHARE` of the pilots."""
    columns, products = _shared_words(model, i, lists[i][rank][0])
    return float(products[model._df[columns] <= RARE_SHARE * len(model)].sum())


def bigrams(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """Words-channel agreement over shared phrases (bigram features) only."""
    columns, products = _shared_words(model, i, lists[i][rank][0])
    return float(products[columns >= model._space.n_stems].sum())


def heaviest_word(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """The largest single shared term's share of the cosine (one defining word: "chatbot", "encryptie")."""
    _, products = _shared_words(model, i, lists[i][rank][0])
    return float(products.max()) if len(products) else 0.0


def untitled(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """1 when either side has no title of its own (no title n-grams): lets the model calibrate untitled pairs,
    whose title_chars part is 0 by construction, apart from titled ones."""
    start = model._title_chars_start
    return float(any(not np.any(model._vector_of(k).indices >= start) for k in (i, lists[i][rank][0])))


_COOC: weakref.WeakKeyDictionary[SimilarityModel, tuple[sp.csr_matrix, dict[int, int]]] = weakref.WeakKeyDictionary()


def _cooccurrence_rows(model: SimilarityModel) -> tuple[sp.csr_matrix, dict[int, int]]:
    """Each pilot's words-channel weights moved onto the words that co-occur with them in the corpus (per
    word its :data:`COOC_NEIGHBOURS` highest positive PMI over documents), unit length; and row by pilot id."""
    found = _COOC.get(model)
    if found is not None:
        return found
    n = model._space.n_stems
    x = model._matrix[:, :n].tocsr()
    seen = (x > 0).astype(np.float32).tocsc()
    together = (seen.T @ seen).tocoo()
    df = np.asarray(seen.sum(axis=0)).ravel()
    keep = (together.row != together.col) & (together.data >= 2)
    r, c = together.row[keep], together.col[keep]
    pmi = np.log(together.data[keep] * x.shape[0] / (df[r] * df[c]))
    pmi_matrix = sp.csr_matrix((np.maximum(pmi, 0), (r, c)), shape=(n, n))
    pmi_matrix.eliminate_zeros()
    for t in range(n):  # keep each word's strongest neighbours only
        a, b = pmi_matrix.indptr[t], pmi_matrix.indptr[t + 1]
        if b - a > COOC_NEIGHBOURS:
            row = pmi_matrix.data[a:b]
            row[row < np.partition(row, b - a - COOC_NEIGHBOURS)[b - a - COOC_NEIGHBOURS]] = 0
    pmi_matrix.eliminate_zeros()
    found = _COOC[model] = (
        normalize(x @ normalize(pmi_matrix, norm="l1")),
        {int(i): k for k, i in enumerate(model._ids)},
    )
    return found


def cooccurrence(model: SimilarityModel, lists: Lists, i: int, rank: int) -> float:
    """Agreement through words that co-occur in the corpus ("schulden" ~ "betalingsachterstand"): term
    co-occurrence expansion, the cosine of :func:`_cooccurrence_rows`."""
    rows, at = _cooccurrence_rows(model)
    return float(rows[at[i]].multiply(rows[at[lists[i][rank][0]]]).sum())


CANDIDATES: dict[str, Callable[[SimilarityModel, Lists, int, int], float]] = {
    f.__name__: f
    for f in (
        chars_z,
        cosine_z,
        cosine_z_both,
        share_of_best,
        mutual_rank,
        rare_words,
        bigrams,
        heaviest_word,
        cooccurrence,
        untitled,
    )
}


def with_features(model: SimilarityModel, lists: Lists, names: list[str]) -> np.ndarray:
    """The channel parts and the named features of every (query, candidate) pair, in the lists' order."""
    rows = []
    for i, found in enumerate(lists):
        for rank, (_j, _s, parts) in enumerate(found):
            rows.append([*parts, *(CANDIDATES[n](model, lists, i, rank) for n in names)])
    return np.array(rows, dtype=np.float64).reshape(-1, 3 + len(names))


def views(train: str) -> tuple[list[td.View], list[td.View]]:
    """The four measured views, and those trained on (the full ones, or capped samples)."""
    shown, trained = [], []
    for hard in (False, True):
        rows = load_register(hard)
        mode = "opening words as titles" if hard else "titles"
        full, cap = td.View(mode, rows), td.View(f"{mode}, capped", td.capped(rows))
        shown += [full, cap]
        if train == "capped":
            more = (td.View(f"{mode}, capped {k}", td.capped(rows, k)) for k in range(2, CAPPED_SAMPLES + 1))
            trained += [cap, *more]
        else:
            trained.append(full)
    return shown, trained


def measure(
    shown: list[td.View], trained: list[td.View], names: list[str], strict: bool = False
) -> tuple[list[str], td.Monotone, float]:
    """Report lines of one feature set, the model fitted on all training pairs, and its "possible" threshold
    (``strict``: precision >= 0.85 in the capped view with titles too, the held-out target's own terms)."""
    for v in {id(v): v for v in [*shown, *trained]}.values():
        v.x = with_features(v.model, v.lists, names)
    oof = td.out_of_fold(trained, shown)
    ruled = ["titles", "opening words as titles", *(["titles, capped"] if strict else [])]
    full = [(v, p) for v, p in zip(shown, oof, strict=True) if v.name in ruled]
    precise = [t for t in td.GRID if all(v.flags(p, t)["P"] >= 0.85 for v, p in full)]
    possible = float(min(precise)) if precise else float(td.GRID[-1])
    final = td.fit([v.x for v in trained], [v.y for v in trained])
    weights = ", ".join(
        f"{n} {w:.2f}" for n, w in zip(["words", "chars", "title_chars", *names], final.weights, strict=True)
    )
    lines = [f"**{' + '.join(names) or 'channel parts only'}** (weights {weights}; possible from {possible:.3f})", ""]
    lines += ["| view | at that threshold: P / R / F1 / reworded R | best F1 | best reworded R at P ≥ 0.85 |"]
    lines += ["|---|---|---|---|"]
    for v, p in zip(shown, oof, strict=True):
        at = v.flags(p, possible)
        grid = [v.flags(p, t) for t in td.GRID]
        best_rw = max((m["reworded R"] for m in grid if m["P"] >= 0.85), default=0.0)
        lines.append(
            f"| {v.name} | {at['P']:.3f} / {at['R']:.3f} / {at['F1']:.3f} / {at['reworded R']:.3f} "
            f"| {max(m['F1'] for m in grid):.3f} | {best_rw:.3f} |"
        )
    return lines, final, possible


def demo_check(final: td.Monotone, possible: float, names: list[str]) -> list[str]:
    """Flags among the demo pilots' top five, and the planted pairs' likelihoods (a check, not a target)."""
    docs = [dataclasses.replace(d, id=k) for k, d in enumerate(demo_documents())]  # ids are list positions
    model = SimilarityModel.fit(docs)
    ids = {d.slug: d.id for d in docs}
    lists = [model.ranked_parts(i, td.DEPTH) for i in range(len(docs))]
    likelihood = final.predict_proba(with_features(model, lists, names))[:, 1]
    by_pair, k, flagged, shown = {}, 0, 0, 0
    for q, found in enumerate(lists):
        for rank, (j, _, _) in enumerate(found):
            by_pair[q, j] = likelihood[k]
            if rank < FLAGGED_TOP:
                shown, flagged = shown + 1, flagged + int(likelihood[k] >= possible)
            k += 1
    pairs = ", ".join(
        f"{a} ↔ {b} {by_pair.get((ids[a], ids[b]), 0):.2f}/{by_pair.get((ids[b], ids[a]), 0):.2f}"
        for a, b in DEMO_PAIRS
    )
    return [f"Demo check: {flagged} of {shown} top-five matches flagged; planted pairs (both ways): {pairs}", ""]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("features", nargs="*", help=f"one set, measured together, of: {', '.join(CANDIDATES)}")
    ap.add_argument("--train", choices=["full", "capped"], default="full")
    ap.add_argument("--strict", action="store_true", help="threshold with precision >= 0.85 in the capped view too")
    args = ap.parse_args()
    unknown = set(args.features) - set(CANDIDATES)
    if unknown:
        ap.error(f"unknown features: {', '.join(sorted(unknown))}")
    shown, trained = views(args.train)
    sets = [args.features] if args.features else [[], *([n] for n in CANDIDATES)]
    print(f"Trained on: {args.train} register; today's model: {DUPLICATES}\n")
    for names in sets:
        lines, final, possible = measure(shown, trained, names, args.strict)
        print("\n".join([*lines, "", *demo_check(final, possible, names)]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
