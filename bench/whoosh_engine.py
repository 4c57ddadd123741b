"""Our Whoosh index (search_index.FulltextIndex) on the benchmark corpus: rebuild, the three query forms
(full, search only, facets only), update visible. The engine measured by search_bench.py, beside fts5_engine.py."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from measure import _summarise, cpu_s, dir_size, peak_rss_mb, timed_rounds, update_visible  # noqa: E402
from search_corpus import QUERIES  # noqa: E402

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
