"""Search benchmark: our Whoosh index (search_index.FulltextIndex) against SQLite FTS5 on the same corpus.

Not a test. Run from the repository root:

    .venv/bin/python bench/search_bench.py                          # 1k, 10k and 100k pilots
    .venv/bin/python bench/search_bench.py --sizes 1000,10000 --queries 150
    .venv/bin/python bench/search_bench.py --profile 10000          # cProfile of Whoosh rebuild and search

The corpus is made at run time from the real Dutch texts in ``../shared/data`` (they are read, never copied
into the repository): titles, summaries and paragraphs of the Innovatiebudget projects and the municipal
entries of the algorithm register, recombined with a seeded random generator, so every run and every size
sees the same pilots (the 1k corpus is the first 1k pilots of the 10k one).

Each size runs in its own Python process; inside it, each engine runs in a forked child, so the peak RSS
reported for an engine is the corpus in memory plus that engine's own peak, and nothing is shared.

Measured per engine, on the same corpus in the same run:

* rebuild: pilots/s of a full rebuild. Whoosh: ``FulltextIndex.rebuild`` (lexicon, segments, swap).
  FTS5: one transaction inserting every row (plain text of the Markdown body, as Whoosh indexes) plus the
  facet table, then ``optimize``.
* query latency p50/p95 (ms) over the fixed query set below, page 1, 20 per page, in three forms:
  - ``full``: Whoosh ``FulltextIndex.search`` (parse, page, stored fields, snippets, facet counts over all
    matches, "Bedoelde u" when < 3 hits, broader query when nothing matched). FTS5: page with ``bm25`` and
    ``snippet()``, ``count(*)``, facet counts via ``GROUP BY`` over the matched rowids, OR-query when
    nothing matched.
  - ``search only``: the ranked page with its stored fields, no snippets, no facets, no suggestion (for
    Whoosh: our QueryBuilder + ``searcher.search_page`` directly, broader query included).
  - ``facets only``: the facet counts alone (Whoosh: ``docs_for_query`` + ``FacetCounter.count``; FTS5: the
    ``GROUP BY``).
* index size on disk, incremental update visible (one changed pilot: from the start of ``sync`` (FTS5:
  ``UPDATE`` + commit) until a new search finds it), peak RSS.

The engines are in whoosh_engine.py and fts5_engine.py, the report in search_report.py, the profile in
search_profile.py; this file runs them (one process per size, one forked child per engine).
"""

# ruff: noqa: S603 -- runs itself

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fts5_engine import run_fts5  # noqa: E402
from measure import peak_rss_mb  # noqa: E402
from search_corpus import DATA, RESULTS, make_corpus  # noqa: E402
from search_profile import profile  # noqa: E402
from search_report import report, size_table  # noqa: E402
from whoosh_engine import run_whoosh  # noqa: E402


# -- one size, in its own process ---------------------------------------------------------------------------
def _in_child(fn, *args) -> dict:
    """Run ``fn(*args)`` in a forked child (its own peak RSS; nothing shared with the next engine)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def target() -> None:
        try:
            child.send(fn(*args))
        except BaseException as exc:
            child.send({"error": repr(exc)})
            raise

    proc = ctx.Process(target=target)
    proc.start()
    result = parent.recv()
    proc.join()
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def worker(size: int, n_queries: int, engines: tuple[str, ...] = ("whoosh", "fts5")) -> dict:
    t0 = time.perf_counter()
    docs = make_corpus(size)
    gen_s = time.perf_counter() - t0
    chars = sum(len(d.title) + len(d.summary) + len(d.body) for d in docs)
    rss_corpus = peak_rss_mb()
    print(f"[{size}] corpus: {gen_s:.1f} s, {chars / size:.0f} chars/pilot", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        out = {"size": size, "corpus_s": gen_s, "chars_per_pilot": chars / size, "rss_corpus_mb": rss_corpus}
        for name, fn in (("whoosh", run_whoosh), ("fts5", run_fts5)):
            if name not in engines:
                continue
            t1 = time.perf_counter()
            load_before = os.getloadavg()[0]
            out[name] = _in_child(fn, docs, Path(tmp), n_queries)
            out[name]["load"] = (load_before, os.getloadavg()[0])
            print(
                f"[{size}] {name}: rebuild {out[name]['build_s']:.1f} s, all {time.perf_counter() - t1:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    return out


# -- main ---------------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--queries", type=int, default=120, help="timed searches per engine and mode (cycles the set)")
    parser.add_argument("--engines", default="whoosh,fts5", help="whoosh, fts5 or both (default)")
    parser.add_argument(
        "--whoosh-max-size", type=int, default=0, metavar="N",
        help="skip Whoosh above N pilots (its rebuild is slow); the summary extrapolates from the largest size run",
    )  # fmt: skip
    parser.add_argument("--profile", type=int, metavar="SIZE", help="only profile Whoosh rebuild and search at SIZE")
    parser.add_argument("--profile-rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only, write no file under bench/results")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(
            f"{DATA} not found: the project texts are evaluation data kept outside the repository; "
            "set PILOTSTARTER_EVAL_DATA to their folder (docs/DESIGN.md, 'Evaluation data')"
        )

    if args.worker:
        print(json.dumps(worker(args.worker, args.queries, tuple(args.engines.split(",")))))
        return
    if args.profile:
        text = profile(args.profile, args.profile_rounds)
        print(text)
        if not args.no_write:
            RESULTS.mkdir(parents=True, exist_ok=True)
            path = RESULTS / f"profile_{datetime.now():%Y-%m-%d}_{args.profile}.txt"
            path.write_text(text, "utf-8")
            print(f"written to {path.relative_to(REPO)}")
        return

    results = []
    for size in [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]:
        t0 = time.perf_counter()
        engines = args.engines
        if args.whoosh_max_size and size > args.whoosh_max_size:
            engines = ",".join(e for e in engines.split(",") if e != "whoosh")
            if not engines:
                continue
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", str(size), "--queries", str(args.queries), "--engines", engines],
            stdout=subprocess.PIPE, check=True, text=True,
        )  # fmt: skip
        results.append(json.loads(proc.stdout))
        print(f"[{size}] done in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        print(size_table(results[-1]) + "\n", flush=True)
    text = report(results, args.queries)
    print(text)
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"search_{datetime.now():%Y-%m-%d}.md"
        path.write_text(text, "utf-8")
        print(f"written to {path.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
