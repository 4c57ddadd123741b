"""The numpy evaluation (vectors.py) gives exactly what Whoosh's own search over every match gives:
the same total, page (same pilots, same order, same scores), facet counts (FacetCounter's against Whoosh's
grouping) and broadening."""

from __future__ import annotations

import dataclasses

import pytest

from search_index.fulltext import FACETS, FulltextIndex, SearchRequest
from search_index.matching import Page, vector_matches, whoosh_matches
from search_index.sync_state import SyncState

from .corpora import demo_documents, innovatiebudget_documents, require_shared_data

QUERIES = [
    "", "algoritme", "parkeren", "vergunning", "gemeente", "jeugdhulp", "schuldhulp", "open data",
    "digitale dienstverlening", "algoritme NOT privacy", "open OR data", "(chatbot OR afval) AND inwoners",
    '"open data"', "parkeer*", "algo*", "titel:algoritme", "thema:jeugd", "status:lopend data",
    "privasy beleid", "algoritme xqzt", "xqzt", "a AND (", "NOT gemeente",
]  # fmt: skip
VARIANTS = [
    dict(),
    dict(page=2, per_page=5),
    dict(sort="changed", page=2, per_page=3),
    dict(filters={"status": ("lopend", "idee")}),
]


def _both(index: FulltextIndex, request: SearchRequest):
    searcher = index._searcher_now()
    builder = index._helpers[0]
    parsed = builder.parse(request.query)
    filter_q = builder.filter_query(request.filters)
    by_change = request.sort == "changed" or parsed.empty
    start = (request.page - 1) * request.per_page
    page = Page(parsed, filter_q, by_change, start, request.per_page)
    facets = index._helpers[1]
    old = whoosh_matches(searcher, FACETS, page)  # facet counts from Whoosh's own grouping
    new = vector_matches(searcher, index._leaves_for(searcher), facets, page)
    return (
        (old.total, old.page, old.facets, old.broadened),
        (new.total, new.page, new.facets, new.broadened),
        by_change,
    )


def _same(index: FulltextIndex) -> None:
    for text in QUERIES:
        for variant in VARIANTS:
            request = SearchRequest(text, **variant)
            try:
                old, new, by_change = _both(index, request)
            except Exception as exc:
                assert type(exc).__name__ == "Unsupported", (request, exc)
                continue
            assert new[0] == old[0], request
            assert new[2] == old[2], request
            assert new[3] == old[3], request
            assert [h["id"] for h, _s in new[1]] == [h["id"] for h, _s in old[1]], request
            if not by_change:
                assert [round(s, 9) for _h, s in new[1]] == [round(s, 9) for _h, s in old[1]], request


def test_vectors_match_whoosh_on_demo_content(demo_index: FulltextIndex) -> None:
    _same(demo_index)


def test_vectors_match_whoosh_on_innovatiebudget(innovatiebudget_index: FulltextIndex) -> None:
    _same(innovatiebudget_index)


def test_vectors_match_whoosh_after_updates_and_deletes(tmp_path) -> None:
    """Several segments, with deleted documents in the old one."""
    try:
        require_shared_data()
        docs = innovatiebudget_documents()
    except pytest.skip.Exception:
        docs = demo_documents()
    index = FulltextIndex(tmp_path / "index")
    index.rebuild(docs, SyncState())
    changed = [dataclasses.replace(d, title=d.title + " algoritme gemeente") for d in docs[:5]]
    deleted = [d.id for d in docs[10:14]]
    assert index.sync(lambda state: (changed, deleted, [state.last_id + 1])) is True
    _same(index)
    index.close()
