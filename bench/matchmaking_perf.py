"""The matchmaking benchmark's speed section (``eval_matchmaking.py``, unless ``--skip-perf``).

At each size in its own process (this file runs itself as the worker: ``matchmaking_perf.py SIZE QUERIES``
prints one line of JSON): the corpus is ``bench/search_corpus.py``'s ``make_corpus`` (real Dutch texts
recombined; the organisations are its owner and partners). Measured: full refit, save and load, model memory
(arrays, the pickled vocabularies, and the resident memory of a fresh process that loads the saved model and
answers queries: its private part is what each extra worker costs, the shared part the page cache of the
memory-mapped file), latency p50/p95 of similar pilots, partner suggestions and draft similarity (a pilot's
text with sentences dropped and an edited title), each against a brute-force cosine over every row as the
in-run baseline, and how often both give the same top 5. Targets at 100 000 pilots: similar p95 ≤ 15 ms,
partners p95 ≤ 30 ms, draft p95 ≤ 30 ms, refit ≤ 30 s.

Similar pilots and drafts list only matches worth showing (a minimum cosine and a shared word as the reason;
``duplicate_likelihood.py``), with each match's duplicate likelihood; the brute-force baseline ranks every
row by cosine alone, so the two can differ in what the model chooses not to list.
"""

# ruff: noqa: S311, S603 -- seeded random for the queries; runs itself

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matchmaking_data  # noqa: F401 -- puts the repository on sys.path
import numpy as np

from search_index.documents import PilotDocument
from search_index.matchmaking import SimilarityModel


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of samples in seconds."""
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
    """CPU seconds of this process and its children (a refit may use both)."""
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
        return [m.id for m in model.similar_brute_force(q, 5, [i])]

    def partners(i, q, draft):
        return [p.code for p in model.partners(i, orgs_of, limit=5)]

    def partners_brute(i, q, draft):
        return brute_partners(model, q, i, orgs_of)

    def draft_(i, q, draft):
        return [m.id for m in model.similar_to_text(*draft, limit=5)]

    def draft_brute(i, q, draft):
        return [m.id for m in model.similar_brute_force(model.draft_vector(*draft), 5)]

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
        assert any(m.id == doc.id for m in model.similar(src.id, 20))  # listed (duplicates come first by likelihood)
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
    """One worker process per size, then one table with a column per size."""
    results = []
    for size in sizes:
        print(f"  speed at {size}…", file=sys.stderr)
        proc = subprocess.run(
            [sys.executable, __file__, str(size), str(n_queries)],
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


def main() -> int:
    """The worker: one size in this process, its figures as one line of JSON."""
    parser = argparse.ArgumentParser(description="one size of the matchmaking speed section (run by perf_section)")
    parser.add_argument("size", type=int)
    parser.add_argument("queries", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(perf_worker(args.size, args.queries, Path(tmp))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
