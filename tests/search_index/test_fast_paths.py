"""The switch and the version guard of the fast paths (search_index/whoosh_fast): off means Whoosh's own
writer and searcher, and the index still builds, searches and syncs as it does with them on."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import whoosh

from search_index import whoosh_fast
from search_index.fulltext import FulltextIndex, SearchRequest
from search_index.sync_state import SyncState

from .hand import HAND, ids, search

REPO = Path(__file__).resolve().parents[2]


def test_the_setting_switches_the_fast_paths(monkeypatch) -> None:
    monkeypatch.delenv(whoosh_fast.SETTING, raising=False)
    assert whoosh_fast.fast_paths() is True  # default on (this is the verified Whoosh version)
    monkeypatch.setenv(whoosh_fast.SETTING, "0")
    assert whoosh_fast.fast_paths() is False
    assert whoosh_fast.fast_paths(True) is True  # the constructor's argument wins over the environment
    monkeypatch.setenv(whoosh_fast.SETTING, "1")
    assert whoosh_fast.fast_paths("off") is False
    assert whoosh_fast.fast_paths(False) is False


def _fake_version(monkeypatch, version: str) -> None:
    monkeypatch.setattr(whoosh, "versionstring", lambda build=True, extra=True: version)
    monkeypatch.setattr(whoosh_fast, "_warned", set())


def _changes(index: FulltextIndex) -> None:
    """Pilot 2 gets a new word in its title, pilot 7 goes."""
    changed = dataclasses.replace(HAND[1], title="Pleegzorgdata en een scanauto")
    assert index.sync(lambda state: ([changed], [7], [state.last_id + 1])) is True


def test_another_whoosh_version_switches_them_off_once_and_the_index_still_works(
    monkeypatch, caplog, tmp_path: Path
) -> None:
    reference = FulltextIndex(tmp_path / "fast", fast_paths=True)
    assert reference.fast
    reference.rebuild(HAND, SyncState())
    _fake_version(monkeypatch, "2.7.6")
    with caplog.at_level(logging.WARNING, logger="search_index"):
        index = FulltextIndex(tmp_path / "stock", fast_paths=True)
        FulltextIndex(tmp_path / "other")  # a second handle: no second warning
    assert not index.fast
    assert [r.getMessage() for r in caplog.records if "2.7.6" in r.getMessage()] == [
        "Whoosh 2.7.6 is not 2.7.5, the version search_index's fast paths are verified for: using Whoosh's own "
        "writer and searcher (slower rebuilds and broad searches)"
    ]
    index.rebuild(HAND, SyncState())
    for query, filters in (("parkeren", {}), ("jeugd OR data", {"status": ("lopend",)}), ("", {})):
        assert search(index, query, filters=filters) == search(reference, query, filters=filters)
    assert sorted(ids(search(index, "parkeren"))) == [1, 5, 7]  # by hand: the pilots that say parkeren
    _changes(index)
    _changes(reference)
    assert ids(search(index, "scanauto")) == [2]
    assert 7 not in ids(search(index, "parkeren"))
    assert search(index, "parkeren") == search(reference, "parkeren")
    index.close()
    reference.close()


def test_switched_off_the_private_state_modules_are_never_imported(tmp_path: Path) -> None:
    """On another Whoosh version they may not even import: a rebuild, a search and a sync do without them."""
    script = f"""
import sys, whoosh
whoosh.versionstring = lambda build=True, extra=True: "3.0.0"
from search_index.fulltext import FulltextIndex, SearchRequest
from search_index.sync_state import SyncState
from tests.search_index.hand import HAND, search
index = FulltextIndex({str(tmp_path)!r})
index.rebuild(HAND, SyncState())
assert search(index, "parkeren").total == 3
assert index.sync(lambda state: (HAND[:1], [2], [state.last_id + 1])) is True
assert search(index, "pleegzorg").total == 0
print(sorted(m for m in sys.modules if m.startswith("search_index.whoosh_fast")))
"""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SEARCH_FAST_PATHS": "1"}  # asked for, refused by the guard
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['search_index.whoosh_fast', 'search_index.whoosh_fast.scoring']"
    assert "Whoosh 3.0.0 is not 2.7.5" in done.stderr


@pytest.mark.parametrize("fast", [True, False])
def test_a_rebuild_in_either_mode_finds_every_pilot(tmp_path: Path, fast: bool) -> None:
    index = FulltextIndex(tmp_path, fast_paths=fast)
    assert index.rebuild(HAND, SyncState()) == len(HAND)
    assert sorted(ids(search(index))) == [d.id for d in HAND]
    found = index.matches(SearchRequest("vergunning"))
    assert (found.total, found.facets["status"]) == (2, {"afgerond": 1, "idee": 1})  # pilots 1 and 4
    index.close()


def test_the_fast_writer_changes_no_other_writer(tmp_path: Path) -> None:
    """Importing and using the fast writer leaves Whoosh's own writer (the sync after a save) as it was."""
    from whoosh.writing import SegmentWriter

    from search_index.whoosh_fast import writer

    index = FulltextIndex(tmp_path, fast_paths=True)
    index.rebuild(HAND, SyncState())
    assert writer.FastSegmentWriter._flush_segment.__module__ == "search_index.whoosh_fast.writer"
    assert SegmentWriter._flush_segment.__module__ == SegmentWriter.add_document.__module__ == "whoosh.writing"
    index.close()
