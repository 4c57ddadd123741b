"""The switch changes nothing a user sees: with SEARCH_FAST_PATHS off (Whoosh's own writer, search and facet
grouping) the fixed query set gives the same totals, pages, scores (to 9 decimals), facets, snippets and
suggestions as with the fast paths, on the demo pilots and on the 700-pilot corpus whose common terms fill
many 128-posting blocks over several segments with updates and deletions."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from .corpora import demo_documents
from .differential import Change, build, requests, same_answers
from .test_posting_blocks import scaled_documents
from .test_vectors import QUERIES, VARIANTS

MORE_QUERIES = [
    "gemeente inwoners", "gemeente NOT algoritme", '"gemeente inwoners"', "inwon*", "titel:gemeente",
    "thema:data gemeente", "gemeente xqzt", "algoritme OR afval OR parkeren",
]  # fmt: skip
MORE_VARIANTS = [dict(sort="changed"), dict(page=3, per_page=10, filters={"theme": ("data", "jeugd")})]


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory):
    docs = demo_documents()
    changes = [Change((dataclasses.replace(docs[3], title=docs[3].title + " gemeente"),), (docs[5].id,))]
    pair = [build(tmp_path_factory.mktemp(f"demo-{fast}"), fast, docs, changes) for fast in (True, False)]
    yield pair
    for index in pair:
        index.close()


@pytest.mark.slow  # both modes are built here whatever SEARCH_FAST_PATHS says: the stock CI run leaves it out
def test_the_switch_changes_no_answer_on_the_demo_pilots(demo_pair) -> None:
    fast, stock = demo_pair
    assert same_answers(fast, stock, requests(QUERIES + MORE_QUERIES, VARIANTS + MORE_VARIANTS)) > 100


def block_corpus_changes(docs: list) -> list[Change]:
    """As test_posting_blocks: three syncs that add 60 pilots each, update 40 and delete 30."""
    rng = random.Random(5)
    out = []
    for batch in range(3):
        start = 500 + batch * 60
        changed = [dataclasses.replace(d, title=d.title + " gemeente algoritme") for d in rng.sample(docs[:500], 40)]
        deleted = tuple(d.id for d in rng.sample(docs[:500], 30))
        out.append(Change(tuple(docs[start : start + 60] + changed), deleted))
    return out


@pytest.mark.slow
def test_the_switch_changes_no_answer_across_posting_blocks(tmp_path: Path) -> None:
    docs = scaled_documents()
    changes = block_corpus_changes(docs)
    fast, stock = (build(tmp_path / str(mode), mode, docs[:500], changes) for mode in (True, False))
    assert same_answers(fast, stock, requests(QUERIES + MORE_QUERIES, VARIANTS + MORE_VARIANTS)) > 100
    assert fast.matches(requests(["gemeente"], [{}])[0]).total > 4 * 128
    fast.close()
    stock.close()
