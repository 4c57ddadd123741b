"""Timing and memory measurements shared by the search benchmark's engines."""

from __future__ import annotations

import dataclasses
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search_corpus import NOW, BenchQuery  # noqa: E402

from search_index.documents import PilotDocument  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float]:
    arr = np.asarray(samples) * 1000.0
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


def peak_rss_mb() -> float:
    """The largest RSS of this process or of any child it waited for (Whoosh's writer processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return max(own.ru_maxrss, kids.ru_maxrss) / 1024.0


def cpu_s() -> float:
    """CPU seconds of this process and of the children it waited for (a parallel writer's processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed_rounds(
    queries: tuple[BenchQuery, ...], n: int, modes: dict[str, Callable[[BenchQuery], object]]
) -> tuple[dict[str, list[float]], dict[str, dict[str, list[float]]]]:
    """``n`` timed searches per mode cycling over the query set, modes interleaved per query."""
    samples: dict[str, list[float]] = defaultdict(list)
    per_query: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for k in range(n):
        q = queries[k % len(queries)]
        for mode, fn in modes.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn(q)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            samples[mode].append(dt)
            samples[mode + " (CPU)"].append(dc)
            per_query[mode][q.label()].append(dt)
    return samples, per_query


def _summarise(samples, per_query) -> dict:
    out = {"latency": {m: percentiles(s) for m, s in samples.items()}, "per_query": {}}
    for mode, by_q in per_query.items():
        out["per_query"][mode] = {q: float(np.median(v) * 1000) for q, v in by_q.items()}
    return out


def update_visible(
    docs: list[PilotDocument], write: Callable[[PilotDocument], None], found: Callable[[str, int], bool]
) -> list[float]:
    """Seconds from writing one changed pilot (a new word in its title) until a search for that word finds
    it, for five pilots."""
    visible = []
    for k in range(5):
        marker = "zqx" + "abcdefghij"[k] + "benchwoord"
        doc = dataclasses.replace(docs[(k * 7919) % len(docs)], title=f"{docs[0].title} {marker}", updated_at=NOW)
        t0 = time.perf_counter()
        write(doc)
        while not found(marker, doc.id):
            if time.perf_counter() - t0 > 30:
                raise RuntimeError("updated pilot not found after 30 s")
        visible.append(time.perf_counter() - t0)
    return visible
