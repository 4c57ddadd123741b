"""The search benchmark's report: a table per corpus size, the per-query table, the summary against the
targets and how it was measured (Markdown, as written to bench/results/search_<date>.md)."""

# ruff: noqa: S608 -- the method notes quote FTS5's SQL in Markdown; nothing here runs a query

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search_corpus import QUERIES  # noqa: E402


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
