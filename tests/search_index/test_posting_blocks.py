"""The fast paths at the sizes that matter: terms whose postings fill many of Whoosh's 128-posting blocks.

The other equivalence tests run on corpora of 49 and 127 documents, so no term ever filled a second
block: a writer or a reader that dropped every match after the 128th left them green. Here common terms
(*gemeente*, *inwoners*, a status) are in hundreds of documents, over several segments with deleted and
updated documents, and both the rebuild's writer and the numpy evaluator are compared with Whoosh's own.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from search_index.analysis import BASE_LEXICON, DutchAnalyzer
from search_index.documents import PilotDocument
from search_index.fulltext import FulltextIndex
from search_index.sync_state import SyncState
from search_index.whoosh_analyzer import register_lexicon

from .corpora import demo_documents
from .test_segments import LEXICON, _contents, _fast_index, _whoosh_index
from .test_vectors import _same

BLOCK = 128  # Whoosh's postings per block (whoosh.codec.whoosh3.W3Codec's default)
SIZE = 700


def scaled_documents(size: int = SIZE, seed: int = 11) -> list[PilotDocument]:
    """`size` pilots recombined from the demo pilots: each its own title, a demo text plus a paragraph of
    another, so every common word is in hundreds of documents and rare ones stay rare."""
    rng = random.Random(seed)
    demo = demo_documents()
    docs = []
    for n in range(1, size + 1):
        base, other = demo[n % len(demo)], rng.choice(demo)
        paragraphs = [p for p in other.body.split("\n\n") if p.strip()]
        docs.append(
            dataclasses.replace(
                base,
                id=n,
                slug=f"{base.slug}-{n}",
                title=f"{base.title} {n}",
                body=base.body + "\n\n" + rng.choice(paragraphs),
                status=rng.choice(("idee", "lopend", "afgerond")),
                updated_at=datetime(2024, 1, 1) + timedelta(hours=n * 7 % 5000),
            )
        )
    return docs


@pytest.fixture(scope="module")
def scaled() -> list[PilotDocument]:
    return scaled_documents()


def test_the_corpus_fills_many_posting_blocks(scaled, tmp_path: Path) -> None:
    """Guards the other tests' premise: without terms over several blocks they prove nothing."""
    index = FulltextIndex(tmp_path / "index")
    index.rebuild(scaled, SyncState())
    reader = index._searcher_now().reader()  # the index's own searcher: it closes it
    frequencies = sorted(reader.doc_frequency("content", term) for term in reader.lexicon("content"))
    index.close()
    assert frequencies[-1] > 4 * BLOCK
    assert sum(f > BLOCK for f in frequencies) >= 50


def test_rebuild_writes_what_whoosh_writes_across_blocks(scaled, tmp_path: Path) -> None:
    register_lexicon(LEXICON, DutchAnalyzer(BASE_LEXICON))
    (tmp_path / "whoosh").mkdir()
    _whoosh_index(tmp_path / "whoosh", scaled)
    reference = _contents(tmp_path / "whoosh")
    (tmp_path / "fast").mkdir()
    _fast_index(tmp_path / "fast", scaled, procs=1)
    found = _contents(tmp_path / "fast")
    assert found["count"] == reference["count"] == len(scaled)
    assert max(len(p) for p in reference["postings"].values()) > 4 * BLOCK
    assert found["stats"] == reference["stats"]
    assert found["postings"] == reference["postings"]


def test_vectors_match_whoosh_across_blocks_and_segments(scaled, tmp_path: Path) -> None:
    """Totals, pages, scores and facets equal after a rebuild, and again after incremental writes that add
    segments, update documents and delete others (deletions inside full blocks)."""
    index = FulltextIndex(tmp_path / "index")
    index.rebuild(scaled[:500], SyncState())
    _same(index)
    rng = random.Random(5)
    for batch in range(3):
        start = 500 + batch * 60
        added = scaled[start : start + 60]
        changed = [dataclasses.replace(d, title=d.title + " gemeente algoritme") for d in rng.sample(scaled[:500], 40)]
        deleted = [d.id for d in rng.sample(scaled[:500], 30)]
        assert index.sync(lambda state, a=added, c=changed, d=deleted: (a + c, d, [state.last_id + 1])) is True
    assert len(index._searcher_now().reader().leaf_readers()) > 1  # several segments
    _same(index)
    index.close()


def test_the_stock_whoosh_index_reads_the_same_through_whoosh(scaled, tmp_path: Path) -> None:
    """A fast-written index opens with Whoosh's own reader and every posting list has its full length."""
    register_lexicon(LEXICON, DutchAnalyzer(BASE_LEXICON))
    _fast_index(tmp_path, scaled, procs=1)
    ix = whoosh_index.open_dir(str(tmp_path))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term in (b"gemeent", b"inwoner"):
            ids = list(reader.postings("content", term).all_ids())
            assert len(ids) == reader.doc_frequency("content", term) > 2 * BLOCK
            assert ids == sorted(set(ids))
