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
"""

# ruff: noqa: S603, S608 -- seeded random for a corpus; runs itself; SQL from our own fixed fragments

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import multiprocessing
import os
import pstats
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fts5_engine import run_fts5  # noqa: E402
from measure import _summarise, cpu_s, dir_size, peak_rss_mb, timed_rounds, update_visible  # noqa: E402
from search_corpus import DATA, QUERIES, RESULTS, make_corpus  # noqa: E402

from search_index.documents import PilotDocument  # noqa: E402
from search_index.fulltext import FulltextIndex, SearchRequest  # noqa: E402
from search_index.sync_state import SyncState  # noqa: E402


# -- Whoosh (our FulltextIndex) -----------------------------------------------------------------------------
def uncached(index: FulltextIndex) -> FulltextIndex:
    """Empty FulltextIndex's result cache (if it has one), so a timed search does the work."""
    cache = getattr(index, "_cache", None)
    if cache is not None:
        cache.clear()
    return index


def cold(index: FulltextIndex) -> FulltextIndex:
    """Empty the result cache and the numpy postings and query-node caches (search_index/vectors.py), so a
    timed search reads every posting list it needs from the index files again (field lengths and columns
    stay loaded: they are read once per segment when it first opens)."""
    uncached(index)
    store = getattr(index, "_store", None)
    if store is not None:
        with store._lock:
            store._postings.clear()
            store._items = 0
        index._leaves = None
    return index


def whoosh_search_only(index: FulltextIndex, request: SearchRequest) -> list:
    """The top page with its stored fields, straight from the Whoosh searcher with our QueryBuilder: no exact
    total, no snippets, facets or suggestion (Whoosh may skip blocks that cannot reach the top page)."""
    searcher = index._searcher_now()
    builder = index._helpers[0]
    parsed = builder.parse(request.query)
    filter_q = builder.filter_query(request.filters)
    sortedby = {"sortedby": "updated", "reverse": True} if request.sort == "changed" or parsed.empty else {}
    results = searcher.search(parsed.query, limit=request.per_page, filter=filter_q, **sortedby)
    if results.scored_length() == 0 and parsed.broader is not None:
        results = searcher.search(parsed.broader, limit=request.per_page, filter=filter_q, **sortedby)
    return [
        (hit["id"], hit["slug"], hit["title"], hit["status"], hit.get("theme"), hit.get("organisation"), hit["updated"])
        for hit in results
    ]


def whoosh_facets_only(index: FulltextIndex, request: SearchRequest) -> dict:
    from whoosh import query as Q  # noqa: N812

    searcher = index._searcher_now()
    builder, facets, _ = index._helpers
    parsed = builder.parse(request.query)
    filter_q = builder.filter_query(request.filters)
    query = Q.And([parsed.query, filter_q]) if filter_q else parsed.query
    return facets.count(searcher, searcher.docs_for_query(query))


def run_whoosh(docs: list[PilotDocument], workdir: Path, n_queries: int) -> dict:
    root = workdir / "whoosh"
    index = FulltextIndex(root)
    gc.collect()
    c0, t0 = cpu_s(), time.perf_counter()
    index.rebuild(docs, SyncState())
    build_s, build_cpu_s = time.perf_counter() - t0, cpu_s() - c0
    rss_build = peak_rss_mb()
    size = dir_size(index.directory)

    t0 = time.perf_counter()
    index.search(SearchRequest("gemeente"))  # opens the searcher
    first_s = time.perf_counter() - t0
    for q in QUERIES:  # warm-up: facet tables, caches
        uncached(index).search(q.request())
        whoosh_search_only(index, q.request())
        whoosh_facets_only(index, q.request())
    totals = {q.label(): index.search(q.request()).total for q in QUERIES}
    suggestions = {q.label(): index.search(q.request()).suggestion for q in QUERIES if q.kind == "misspelt"}
    samples, per_query = timed_rounds(
        QUERIES,
        n_queries,
        {
            "full": lambda q: uncached(index).search(q.request()),
            "full, repeated (result cache)": lambda q: index.search(q.request()),
            "search only": lambda q: whoosh_search_only(index, q.request()),
            "facets only": lambda q: whoosh_facets_only(index, q.request()),
        },
    )
    # In a pass of its own: emptying the postings caches between the modes above would make "full" cold too.
    cold_samples, cold_per_query = timed_rounds(
        QUERIES, n_queries, {"full, cold postings": lambda q: cold(index).search(q.request())}
    )
    samples.update(cold_samples)
    per_query.update(cold_per_query)
    out = _summarise(samples, per_query)

    # Incremental update: one pilot gets a new word in its title; time until a search finds it.
    def write(doc: PilotDocument) -> None:
        def fetch(state: SyncState) -> tuple[list[PilotDocument], list[int], list[int]]:
            return [doc], [], [state.last_id + 1]

        assert index.sync(fetch, timeout=5.0) is True

    def found(marker: str, pilot_id: int) -> bool:
        return any(h.id == pilot_id for h in index.search(SearchRequest(marker)).hits)

    visible = update_visible(docs, write, found)
    out.update(
        engine="whoosh", build_s=build_s, build_cpu_s=build_cpu_s, docs_per_s=len(docs) / build_s, size=size, first_query_s=first_s,
        update_visible_s=visible, totals=totals, suggestions=suggestions, rss_build_mb=rss_build, rss_peak_mb=peak_rss_mb(),
    )  # fmt: skip
    index.close()
    return out


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


# -- report -------------------------------------------------------------------------------------------------
def _n(n: float) -> str:
    return f"{n:,.0f}".replace(",", " ")


def _ms(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f}"


def _ratio(a: float, b: float) -> str:
    if not b:
        return "–"
    return f"{a / b:.2f}×" if a / b < 1 else f"{a / b:.1f}×"


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


ENGINE_NAMES = {"whoosh": "Whoosh (FulltextIndex)", "fts5": "SQLite FTS5"}


def size_table(r: dict) -> str:
    engines = [e for e in ("whoosh", "fts5") if e in r]
    both = len(engines) == 2

    def row(label: str, cell: Callable[[dict], str], ratio: Callable[[dict, dict], str] | None = None) -> str:
        cells = [cell(r[e]) for e in engines]
        if both:
            cells.append(ratio(r["whoosh"], r["fts5"]) if ratio else "")
        return f"| {label} | " + " | ".join(cells) + " |"

    lines = [
        f"### {_n(r['size'])} pilots",
        "",
        f"Corpus: {r['chars_per_pilot']:.0f} characters per pilot (title + summary + body), generated in "
        f"{r['corpus_s']:.1f} s; RSS with the corpus loaded: {r['rss_corpus_mb']:.0f} MB.",
        "",
        "| measure | " + " | ".join(ENGINE_NAMES[e] for e in engines) + (" | Whoosh / FTS5 |" if both else " |"),
        "|---|" + "---:|" * (len(engines) + both),
        row("rebuild (pilots/s)", lambda x: _n(x["docs_per_s"]), lambda w, f: _ratio(w["docs_per_s"], f["docs_per_s"])),
        row("rebuild time (s)", lambda x: f"{x['build_s']:.1f}", lambda w, f: _ratio(w["build_s"], f["build_s"])),
        row(
            "rebuild, per CPU second (pilots/s)",
            lambda x: _n(r["size"] / x["build_cpu_s"]),
            lambda w, f: _ratio(f["build_cpu_s"], w["build_cpu_s"]),
        ),
    ]
    modes = (
        "full",
        "full, cold postings",
        "full, numpy facets",
        "full, repeated (result cache)",
        "search only",
        "facets only",
    )
    for mode in (*modes, "full (CPU)", "search only (CPU)"):
        if not any(mode in r[e]["latency"] for e in engines):
            continue
        lines.append(
            row(
                f"query {mode}, p50 / p95 (ms)",
                lambda x, m=mode: _ms(x["latency"][m]) if m in x["latency"] else "–",
                lambda w, f, m=mode: (
                    f"{_ratio(w['latency'][m][0], f['latency'][m][0])} / "
                    f"{_ratio(w['latency'][m][1], f['latency'][m][1])}"
                    if m in w["latency"] and m in f["latency"]
                    else ""
                ),
            )
        )
    lines += [
        row("first query, cold (ms)", lambda x: f"{x['first_query_s'] * 1000:.0f}"),
        row(
            "update visible, median / max of 5 (ms)",
            lambda x: f"{np.median(x['update_visible_s']) * 1000:.1f} / {max(x['update_visible_s']) * 1000:.1f}",
            lambda w, f: _ratio(np.median(w["update_visible_s"]), np.median(f["update_visible_s"])),
        ),
        row("index size on disk", lambda x: _mb(x["size"]), lambda w, f: _ratio(w["size"], f["size"])),
        row("peak RSS after rebuild / at end (MB)", lambda x: f"{x['rss_build_mb']:.0f} / {x['rss_peak_mb']:.0f}"),
    ]
    return "\n".join(lines)


def query_table(r: dict) -> str:
    engines = [e for e in ("whoosh", "fts5") if e in r]
    head = "| query | kind |"
    for e in engines:
        name = ENGINE_NAMES[e].split()[0] if e == "whoosh" else "FTS5"
        head += f" {name} full |" + (
            f" {name} full, cold postings |" if "full, cold postings" in r[e]["per_query"] else ""
        )
        head += f" {name} search only |"
    head += "".join(f" hits {'Whoosh' if e == 'whoosh' else 'FTS5'} |" for e in engines)
    lines = [
        f"Per query at {_n(r['size'])} pilots (median ms; hits: Whoosh stems and splits compounds, FTS5 matches words):",
        "",
        head,
        "|---|---|" + "---:|" * (3 * len(engines) + sum("full, cold postings" in r[e]["per_query"] for e in engines)),
    ]
    for q in QUERIES:
        lbl = q.label()
        cells = [f"`{lbl}`", q.kind]
        for e in engines:
            pq = r[e]["per_query"]
            cells.append(f"{pq['full'].get(lbl, 0):.1f}")
            if "full, cold postings" in pq:
                cells.append(f"{pq['full, cold postings'].get(lbl, 0):.1f}")
            cells.append(f"{pq['search only'].get(lbl, 0):.1f}")
        for e in engines:
            sug = r[e]["suggestions"].get(lbl)
            cells.append(f"{r[e]['totals'][lbl]}" + (f" (Bedoelde u: {sug})" if sug else ""))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


TARGETS = "Targets at 100 000 pilots: search p95 ≤ 40 ms in-process and ≤ 1.5× FTS5; rebuild ≥ 1 500 pilots/s; update visible ≤ 1 s."


def summary(results: list[dict]) -> str:
    lines = ["## Summary", "", TARGETS, ""]
    for r in results:
        if "whoosh" not in r:
            f = r["fts5"]
            line = (
                f"- {_n(r['size'])} pilots, FTS5 only: full p95 {f['latency']['full'][1]:.0f} ms, search only p95 "
                f"{f['latency']['search only'][1]:.0f} ms, rebuild {_n(f['docs_per_s'])}/s."
            )
            measured = [x for x in results if "whoosh" in x and x["size"] < r["size"]]
            if measured:
                big = max(measured, key=lambda x: x["size"])
                rate, factor = big["whoosh"]["docs_per_s"], r["size"] / big["size"]
                line += (
                    f" Whoosh not run: at the {_n(big['size'])}-pilot rate ({_n(rate)}/s) its rebuild alone would take "
                    f"≈ {r['size'] / rate / 60:.0f} min (more if the rate keeps falling with size); if its query time "
                    f"grows with the matches, as it does from 1k to 10k, p50/p95 would be ≈ "
                    f"{big['whoosh']['latency']['full'][0] * factor:.0f} / {big['whoosh']['latency']['full'][1] * factor:.0f} ms."
                )
            lines.append(line)
            continue
        w = r["whoosh"]
        p95 = w["latency"]["full"][1]
        upd = float(np.median(w["update_visible_s"]))
        cpu95 = w["latency"]["full (CPU)"][1]
        checks = [f"search p95 {p95:.0f} ms, CPU {cpu95:.0f} ms ({'ok' if min(p95, cpu95) <= 40 else 'MISSES ≤ 40'})"]
        if "fts5" in r:
            p95_fts = r["fts5"]["latency"]["full"][1]
            p95_np = r["fts5"]["latency"].get("full, numpy facets", (0, p95_fts))[1]
            checks.append(
                f"{p95 / p95_fts:.1f}× FTS5 full with GROUP BY facets, {p95 / p95_np:.1f}× with numpy facets "
                f"({'ok' if p95 <= 1.5 * min(p95_fts, p95_np) else 'MISSES ≤ 1.5×'})"
            )
        checks += [
            f"rebuild {_n(w['docs_per_s'])}/s ({'ok' if w['docs_per_s'] >= 1500 else 'MISSES ≥ 1 500'})",
            f"update visible {upd * 1000:.0f} ms ({'ok' if upd <= 1 else 'MISSES ≤ 1 s'})",
        ]
        lines.append(f"- {_n(r['size'])} pilots, Whoosh: " + "; ".join(checks) + ".")
    return "\n".join(lines)


def method_notes(n_queries: int, results: list[dict]) -> str:
    loads = "; ".join(
        f"{_n(r['size'])} {e}: {r[e]['load'][0]:.1f} / {r[e]['load'][1]:.1f}"
        for r in results
        for e in ("whoosh", "fts5")
        if e in r
    )
    return f"""## How it was measured

- Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, Whoosh-Reloaded
  (search_index.FulltextIndex). One process per size; each engine in a forked child.
- Queries: {len(QUERIES)} fixed Dutch queries (single words, 2–3 words, phrases, prefixes, a field, facet filters, an
  empty query browsing a theme, sort by newest, two misspellings), page 1, 20 per page; {n_queries} timed searches per
  engine and mode (the set cycled), after one warm-up pass over every query. p50/p95 over all timed searches.
- Whoosh *full* = `FulltextIndex.search(SearchRequest(...))` as the site calls it, with its result cache emptied
  before each call (*full, repeated* = the same without emptying it: a cache hit). Our engine keeps each term's
  postings as numpy arrays (per segment, least recently used dropped) and the matches of phrases for the
  searcher's lifetime; *full* reuses them across queries as a running site does, *full, cold postings* empties
  them before each call too (every posting list read from disk again). *search only* = our
  QueryBuilder and Whoosh's own top-k `searcher.search(query, limit=20)` with the stored fields of the page: no exact
  total, snippets, facets or suggestion (since 2026-11-25 12:00 *full* no longer goes through Whoosh's collector). *facets only* = `docs_for_query` + `FacetCounter.count` (an unscored pass).
- FTS5: `fts5(title, summary, body, meta, …UNINDEXED facet columns, tokenize='unicode61 remove_diacritics 2')`,
  rank `bm25(4, 2, 1, 1.5)` (title, summary, body, meta as the Whoosh field boosts), on disk (WAL). Multi-valued
  facets live in a side table `facet(doc, name, value)` (filters: `rowid IN (SELECT doc …)`; counts:
  `GROUP BY name, value` over `doc IN (SELECT rowid … MATCH …)`), `pilot(id, updated)` indexed for browsing.
  Words AND'ed (OR when nothing matches), stop words dropped, no stemming or compound splitting (FTS5 has
  none for Dutch), no "Bedoelde u". *full* = `count(*)` + page with `snippet()` + facet counts by `GROUP BY`;
  *full, numpy facets* = the same with the facets counted as FacetCounter does (matched rowids → numpy mask →
  bincount over (doc, value) arrays loaded once).
- Update visible: one pilot changed (a new word in its title); Whoosh: `FulltextIndex.sync()` with that one
  document until `search()` finds the new word; FTS5: delete + insert + commit until a search finds it.
- Rebuild: Whoosh `FulltextIndex.rebuild` as it stands (lexicon, writer, commit, swap); FTS5: one transaction,
  facet and pilot tables, indexes, `optimize`. Both index the plain text of the Markdown body. "Per CPU second"
  counts the CPU time of the engine's process and of the writer processes it waited for.
- Peak RSS = `ru_maxrss` of the engine's child, or of a writer process if larger (includes the corpus in
  memory, see "RSS with the corpus").
- search_index measured: {code_version()}.
- The machine may be shared: the 1-minute load average before / after each engine was
  {loads}. With a load above the number of CPUs, absolute times are inflated; ratios from the same run hold better.
"""


def code_version() -> str:
    """search_index changes under us: name the version measured (the modules loaded) by a hash and file time."""
    import hashlib

    files = sorted(
        Path(m.__file__)
        for name, m in list(sys.modules.items())
        if name.startswith("search_index") and getattr(m, "__file__", None)
    )
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:12]
    newest = max(f.stat().st_mtime for f in files)
    names = ", ".join(f.name for f in files)
    return f"sha256 {digest} of {names}; newest {datetime.fromtimestamp(newest):%Y-%m-%d %H:%M}"


def report(results: list[dict], n_queries: int) -> str:
    head = f"# Search benchmark {datetime.now():%Y-%m-%d %H:%M}\n\nCommand: `.venv/bin/python bench/search_bench.py {' '.join(sys.argv[1:])}`\n"
    parts = [head, summary(results), "## Figures", *[size_table(r) for r in results]]
    parts += [
        "## Per query",
        query_table(max(results, key=lambda r: ("whoosh" in r, r["size"]))),
        method_notes(n_queries, results),
    ]
    return "\n\n".join(parts) + "\n"


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
        sys.exit(f"{DATA} not found: the texts are read from ../shared/data at run time")

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
