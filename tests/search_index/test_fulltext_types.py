"""The entry type in the engine: a ``type`` facet with counts and a filter, ``soort:`` in the query syntax, and an
index of the format before types (2) does not open, so the app rebuilds it."""

from __future__ import annotations

import pytest

from search_index.documents import PilotDocument
from search_index.fulltext import FORMAT, FulltextIndex, IndexUnavailable, SearchRequest
from search_index.sync_state import SyncState

DOCS = [
    PilotDocument(1, "palen", "Slimme lantaarnpalen", "Minder stroom.", "Sensoren in palen."),
    PilotDocument(2, "palen-overal", "Lantaarnpalen overal slim", "In gebruik.", "Sensoren.", status="in_gebruik",
                  entry_type="best_practice"),
    PilotDocument(3, "donkere-straten", "Donkere straten", "Hoe verlichten we?", "Lantaarnpalen?", status="open",
                  entry_type="challenge"),
]  # fmt: skip


def test_the_type_is_a_facet_with_counts_a_filter_and_a_query_field(tmp_path):
    index = FulltextIndex(tmp_path)
    index.rebuild(DOCS, SyncState())
    every = index.search(SearchRequest(query="lantaarnpaal"))
    assert every.facets["type"] == {"pilot": 1, "best_practice": 1, "challenge": 1}
    challenges = index.search(SearchRequest(query="lantaarnpaal", filters={"type": ("challenge",)}))
    assert [(h.slug, h.entry_type) for h in challenges.hits] == [("donkere-straten", "challenge")]
    assert [h.slug for h in index.search(SearchRequest(query="soort:best_practice")).hits] == ["palen-overal"]
    index.close()


def test_an_index_written_before_types_does_not_open(tmp_path):
    index = FulltextIndex(tmp_path)
    index.rebuild(DOCS, SyncState())
    assert FORMAT == "4"
    (index.directory / "format.txt").write_text("2")
    index.close()
    with pytest.raises(IndexUnavailable, match="index format 2"):
        FulltextIndex(tmp_path).doc_count()
