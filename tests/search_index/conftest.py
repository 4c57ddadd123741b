"""Shared, read-only indexes: built once per session because Whoosh needs about a second per build.

Tests that change an index (sync, rebuild, corruption) build their own small one in ``tmp_path``.
"""

from __future__ import annotations

import pytest

from search_index.fulltext import FulltextIndex
from search_index.sync_state import SyncState

from .corpora import demo_documents, innovatiebudget_documents, require_shared_data
from .hand import HAND


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory) -> FulltextIndex:
    """The demo pilots of content/pilots; always available (they are part of the repo)."""
    index = FulltextIndex(tmp_path_factory.mktemp("demo-index"))
    index.rebuild(demo_documents(), SyncState())
    yield index
    index.close()


@pytest.fixture(scope="session")
def innovatiebudget_index(tmp_path_factory) -> FulltextIndex:
    """The 127 Innovatiebudget projects from ../shared/data; skips when that folder is missing."""
    require_shared_data()
    index = FulltextIndex(tmp_path_factory.mktemp("innovatiebudget-index"))
    index.rebuild(innovatiebudget_documents(), SyncState())
    yield index
    index.close()


@pytest.fixture(scope="module")
def hand_index(tmp_path_factory):
    index = FulltextIndex(tmp_path_factory.mktemp("hand"))
    index.rebuild(HAND, SyncState())
    yield index
    index.close()


@pytest.fixture
def handles(tmp_path):
    """Index handles on ``tmp_path``, closed after the test (an open Whoosh searcher holds files)."""
    opened: list[FulltextIndex] = []

    def open_handle() -> FulltextIndex:
        opened.append(FulltextIndex(tmp_path / "index"))
        return opened[-1]

    yield open_handle
    for index in opened:
        index.close()


@pytest.fixture
def small_index(handles):
    index = handles()
    index.rebuild(HAND[:4], SyncState(3))
    return index
