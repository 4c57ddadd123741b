"""cProfile of our Whoosh index on the benchmark corpus (search_bench.py --profile SIZE): a rebuild in one
process and the full search path, with own time summed per file."""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search_corpus import QUERIES, make_corpus  # noqa: E402
from search_report import code_version  # noqa: E402
from whoosh_engine import uncached  # noqa: E402

from search_index.fulltext import FulltextIndex  # noqa: E402
from search_index.sync_state import SyncState  # noqa: E402


# -- profiling ----------------------------------------------------------------------------------------------
def _profile_text(prof: cProfile.Profile, title: str, limit: int = 30) -> str:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    by_area: dict[str, float] = defaultdict(float)
    for (path, _line, _fn), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if "search_index" in path:
            area = "search_index/" + Path(path).name
        elif "whoosh" in path:
            area = "whoosh/" + Path(path).name
        elif path == "~":
            area = "builtins (C)"
        else:
            area = "other: " + Path(path).name
        by_area[area] += tt
    out.write(f"\n===== {title}: total {total:.2f} s (cProfile; own time per file) =====\n")
    for area, tt in sorted(by_area.items(), key=lambda x: -x[1])[:20]:
        out.write(f"  {tt:7.2f} s  {100 * tt / total:5.1f} %  {area}\n")
    out.write(f"\n----- {title}: top {limit} by own time -----\n")
    stats.sort_stats("tottime").print_stats(limit)
    out.write(f"\n----- {title}: top {limit} by cumulative time -----\n")
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def profile(size: int, rounds: int) -> str:
    """cProfile of a Whoosh rebuild (in one process: cProfile cannot see a parallel writer's children) and of
    the full search path (result cache emptied before each search)."""
    import search_index.fulltext as fulltext

    docs = make_corpus(size)
    with tempfile.TemporaryDirectory(prefix="search-bench-prof-") as tmp:
        index = FulltextIndex(Path(tmp) / "whoosh")
        parallel_from = getattr(fulltext, "PARALLEL_FROM", None)
        if parallel_from is not None:
            fulltext.PARALLEL_FROM = 10**12
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        index.rebuild(docs, SyncState())
        prof.disable()
        if parallel_from is not None:
            fulltext.PARALLEL_FROM = parallel_from
        text = f"search_index measured: {code_version()}\n"
        text += f"Rebuild of {size} pilots in one process: {time.perf_counter() - t0:.1f} s wall under cProfile\n"
        text += _profile_text(prof, f"rebuild {size}")
        for q in QUERIES:
            uncached(index).search(q.request())
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(rounds):
            for q in QUERIES:
                uncached(index).search(q.request())
        prof.disable()
        text += _profile_text(prof, f"search (full) {size} pilots, {rounds} × {len(QUERIES)} queries", 40)
        index.close()
    return text
