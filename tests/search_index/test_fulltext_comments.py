"""The discussion's text in the engine: a pilot is found by a comment's words, the snippet shows them, and an
index written in an older format (without comments) does not open, so the app rebuilds it."""

from __future__ import annotations

import pytest

from search_index.documents import PilotDocument
from search_index.fulltext import FORMAT, FulltextIndex, IndexUnavailable, SearchRequest
from search_index.sync_state import SyncState

DOCS = [
    PilotDocument(1, "lantaarnpalen", "Slimme lantaarnpalen", "Minder stroom.", "Sensoren in palen.",
                  comments="Hebben jullie ook naar zonnepanelen gekeken?"),
    PilotDocument(2, "balie", "Digitale balie", "Vragen aan de balie.", "Een chatbot."),
]  # fmt: skip


def test_a_comment_word_finds_its_pilot_with_a_snippet(tmp_path):
    index = FulltextIndex(tmp_path)
    index.rebuild(DOCS, SyncState())
    result = index.search(SearchRequest(query="zonnepaneel"))
    assert [h.slug for h in result.hits] == ["lantaarnpalen"]
    assert "<mark>zonnepanelen</mark>" in result.hits[0].snippet
    index.close()


def test_an_index_of_another_format_does_not_open(tmp_path):
    index = FulltextIndex(tmp_path)
    index.rebuild(DOCS, SyncState())
    assert (index.directory / "format.txt").read_text() == FORMAT
    (index.directory / "format.txt").unlink()  # as written before comments were indexed
    index.close()
    with pytest.raises(IndexUnavailable, match="index format 1"):
        FulltextIndex(tmp_path).doc_count()
