"""A rebuild written by whoosh_fast/writer.py holds exactly what Whoosh's own writer makes of the same documents:
every term, every posting (document, weight, positions), every term's statistics, the field lengths and
the stored fields — in one process and in forked writer processes."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import TEXT
from whoosh.formats import Positions

from search_index import fulltext, segments
from search_index.analysis import BASE_LEXICON, DutchAnalyzer
from search_index.forked import forks_by_default
from search_index.schema import document_fields, make_schema
from search_index.sync_state import SyncState
from search_index.whoosh_analyzer import DutchTokenizer, ZonedText, register_lexicon
from search_index.whoosh_fast import writer as fast_writer

from .corpora import demo_documents

LEXICON = "test-segments"


def _whoosh_index(path: Path, docs) -> None:
    """The reference: Whoosh's Positions format, sorting pool and posting-at-a-time writer (the stock writer
    the engine uses with its fast paths off)."""
    schema = make_schema(LEXICON)
    for name in ("title", "content"):
        schema[name].format = Positions(field_boost=schema[name].format.field_boost)
    ix = whoosh_index.create_in(str(path), schema)
    segments.write_documents(ix, docs, document_fields, fast=False)


def _fast_index(path: Path, docs, procs: int) -> None:
    ix = whoosh_index.create_in(str(path), make_schema(LEXICON))
    segments.write_documents(ix, docs, document_fields, procs=procs, fast=True)


def _contents(path: Path) -> dict:
    """Everything a search reads, keyed by the pilots' ids (forked writers number documents differently)."""
    ix = whoosh_index.open_dir(str(path))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        pilot = {d: reader.stored_fields(d)["id"] for d in range(reader.doc_count_all())}
        postings, stats = {}, {}
        for field, term in reader.all_terms():
            m = reader.postings(field, term)
            found = []
            while m.is_active():
                found.append((pilot[m.id()], m.weight(), m.value()))
                m.next()
            postings[(field, term)] = sorted(found)
            info = reader.term_info(field, term)
            stats[(field, term)] = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
        per_pilot = {
            pilot[d]: (
                reader.stored_fields(d),
                reader.doc_field_length(d, "title"),
                reader.doc_field_length(d, "content"),
            )
            for d in range(reader.doc_count_all())
        }
        return {"postings": postings, "stats": stats, "pilots": per_pilot, "count": reader.doc_count()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    register_lexicon(LEXICON, DutchAnalyzer(BASE_LEXICON))
    path = tmp_path_factory.mktemp("whoosh-writer")
    _whoosh_index(path, demo_documents())
    return _contents(path)


def test_one_process_writes_what_whoosh_writes(reference: dict, tmp_path: Path) -> None:
    _fast_index(tmp_path, demo_documents(), procs=1)
    found = _contents(tmp_path)
    assert found["count"] == len(demo_documents())
    assert found["postings"] == reference["postings"]
    assert found["stats"] == reference["stats"]
    assert found["pilots"] == reference["pilots"]


@pytest.mark.skipif(not forks_by_default(), reason="forked writers need the fork start method")
def test_forked_writers_write_what_whoosh_writes(reference: dict, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fast_writer, "SLICE", 7)  # several jobs per process
    _fast_index(tmp_path, demo_documents(), procs=2)
    with whoosh_index.open_dir(str(tmp_path)).reader() as reader:
        assert len(reader.leaf_readers()) == 2  # one segment per process
    found = _contents(tmp_path)
    assert found["postings"] == reference["postings"]
    assert found["pilots"] == reference["pilots"]
    assert found["count"] == reference["count"]


def test_dutch_text_indexes_as_whoosh_does() -> None:
    """Index items of a Dutch text (compound parts at the word's position, stop words skipped, repeats)."""
    register_lexicon(LEXICON, DutchAnalyzer(BASE_LEXICON))
    field = make_schema(LEXICON)["content"]
    whoosh_field = TEXT(analyzer=field.analyzer)
    text = "De parkeervergunning en de parkeervergunning: parkeren bij het Stadskantoor, privé-ideeën 2026."
    ours = sorted(field.index(text))
    assert ours == sorted(whoosh_field.index(text))
    assert any(term == b"vergunn" for term, *_ in ours)  # the compound's part is indexed


def test_rebuild_in_forked_processes_finds_every_pilot_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fulltext, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fast_writer, "SLICE", 5)
    steps: list[int] = []
    index = fulltext.FulltextIndex(tmp_path)  # in either mode (SEARCH_FAST_PATHS): forked writers, or Whoosh's
    docs = demo_documents()
    assert index.rebuild(docs, SyncState(), progress=steps.append) == len(docs)
    assert steps[-1] == len(docs)
    result = index.search(fulltext.SearchRequest("", per_page=100))
    assert sorted(h.id for h in result.hits) == sorted(d.id for d in docs)
    index.close()


@pytest.mark.skipif(not forks_by_default(), reason="forked writers need the fork start method")
def test_a_writer_process_that_dies_fails_the_rebuild_and_keeps_the_live_index(tmp_path: Path, monkeypatch) -> None:
    docs = demo_documents()
    index = fulltext.FulltextIndex(tmp_path, fast_paths=True)  # the forked writers (stock: one process)
    if not index.fast:
        pytest.skip("the fast paths are off on this Whoosh version")
    index.rebuild(docs[:10], SyncState())
    live = index.directory
    monkeypatch.setattr(fulltext, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fast_writer, "SLICE", 5)
    victim = docs[30].id

    def fields(doc):
        if doc.id == victim:
            os._exit(3)  # this writer process dies as from the OOM killer
        return document_fields(doc)

    monkeypatch.setattr(fulltext, "document_fields", fields)
    with pytest.raises(RuntimeError, match="documents"):
        index.rebuild(docs, SyncState())
    assert index.directory == live
    assert sorted(p.name for p in tmp_path.glob("index-*")) == [live.name]  # nothing half-built left
    assert index.search(fulltext.SearchRequest("", per_page=100)).total == 10
    index.close()


def test_zoned_text_tokens_carry_their_part_weight_and_point_into_the_whole_text():
    register_lexicon(LEXICON, DutchAnalyzer(BASE_LEXICON))
    text = ZonedText((("Parkeren in de stad", 1.0), ("Vergunning online", 1.5), ("Parkeren", 1.0)))
    assert text == "Parkeren in de stad\nVergunning online\nParkeren"
    assert pickle.loads(pickle.dumps(text)).parts == text.parts
    tokens = [(t.text, t.pos, t.boost, text[t.startchar : t.endchar]) for t in
              DutchTokenizer(LEXICON)(text, positions=True, chars=True)]  # fmt: skip
    assert tokens == [
        ("parker", 0, 1.0, "Parkeren"), ("stad", 1, 1.0, "stad"), ("vergunn", 2, 1.5, "Vergunning"),
        ("onlin", 3, 1.5, "online"), ("parker", 4, 1.0, "Parkeren"),
    ]  # fmt: skip
    found, extra = DutchTokenizer(LEXICON).index_positions(text)
    assert found == {"parker": [0, 4], "stad": [1], "vergunn": [2], "onlin": [3]}
    assert extra == {"vergunn": 0.5, "onlin": 0.5}
