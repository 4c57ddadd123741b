"""Every match of a parsed query at once: the total, one page of stored fields with scores, and the facet
counts over all matches; with the broader query (any of the words) when the query itself matched nothing.

:func:`vector_matches` evaluates on numpy arrays of the postings (vectors.py): exact, and no per-posting
Python loop (the fast paths, see ``whoosh_fast``). :func:`whoosh_matches` is Whoosh's own search over all
matches, with the fast paths off and for query shapes the vectors do not evaluate;
``tests/search_index/test_vectors.py`` and ``test_fast_vs_stock.py`` check that both give the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.query import Query
from whoosh.sorting import Count, FieldFacet

from .facets import FacetCounter
from .postings import Leaves
from .queries import ParsedQuery
from .vectors import Evaluator, Vec


@dataclass(frozen=True)
class Page:
    """What to match and which page of it to return."""

    parsed: ParsedQuery
    filter_q: Query | None
    by_change: bool  # newest first instead of best first
    start: int
    per_page: int


@dataclass
class Matches:
    total: int
    page: list[tuple[dict, float | None]]  # (stored fields, score; None when sorted by change)
    facets: dict[str, dict[str, int]]
    broadened: bool  # the query matched nothing, these match the broader query


def vector_matches(searcher, leaves: Leaves, facets: FacetCounter, page: Page) -> Matches:
    """:raise vectors.Unsupported: for a query shape the vectors do not evaluate."""
    ev = Evaluator(searcher, leaves, searcher.weighting)
    allowed = ev.docs(page.filter_q) if page.filter_q is not None else None

    def run(query) -> Vec:
        vec = Vec(ev.docs(query), None) if page.by_change else ev.scored(query)
        if allowed is not None and len(vec.docs):
            keep = np.isin(vec.docs, allowed, assume_unique=True)
            vec = Vec(vec.docs[keep], None if vec.scores is None else vec.scores[keep])
        return vec

    vec, broadened = run(page.parsed.query), False
    if not len(vec.docs) and page.parsed.broader is not None:
        vec, broadened = run(page.parsed.broader), True
    docs, start, end = vec.docs, page.start, page.start + page.per_page
    if page.by_change:  # newest first; equal times last indexed first (as Whoosh's reversed sort on the column)
        keys, ties = -leaves.column("updated")[docs], -docs
    else:  # best first; equal scores in index order (as Whoosh's collector)
        keys, ties = -vec.scores, docs
    if end < len(docs):  # only the candidates for this page are sorted
        cut = np.partition(keys, end - 1)[end - 1]
        candidates = np.flatnonzero(keys <= cut)
    else:
        candidates = np.arange(len(docs))
    order = candidates[np.lexsort((ties[candidates], keys[candidates]))][start:end]
    hits = [(searcher.stored_fields(int(docs[i])), None if page.by_change else float(vec.scores[i])) for i in order]
    return Matches(len(docs), hits, facets.count(searcher, docs), broadened)


def whoosh_matches(searcher, fields: tuple[str, ...], page: Page, counter: FacetCounter | None = None) -> Matches:
    """The same from Whoosh's search over all matches (every match scored in Python: slow when broad); the
    facet counts of ``fields`` from Whoosh's grouping, or from ``counter`` when given."""
    options: dict = {"sortedby": "updated", "reverse": True} if page.by_change else {}
    if counter is None:  # a document with several values (themes) counts once under each
        options["groupedby"] = {name: FieldFacet(name, allow_overlap=True, maptype=Count) for name in fields}
    results = searcher.search(page.parsed.query, limit=None, filter=page.filter_q, **options)
    broadened = False
    if results.scored_length() == 0 and page.parsed.broader is not None:
        results = searcher.search(page.parsed.broader, limit=None, filter=page.filter_q, **options)
        broadened = True
    hits = [(hit.fields(), hit.score) for hit in results[page.start : page.start + page.per_page]]
    if counter is not None:
        counts = counter.count(searcher, results.docs())
    else:
        counts = {name: _by_count(results.groups(name)) for name in fields}
    return Matches(results.scored_length(), hits, counts, broadened)


def _by_count(groups: dict) -> dict[str, int]:
    """Whoosh's {value: count} (None: documents without a value) as FacetCounter orders it."""
    return dict(sorted(((v, n) for v, n in groups.items() if v is not None), key=lambda kv: (-kv[1], kv[0])))
