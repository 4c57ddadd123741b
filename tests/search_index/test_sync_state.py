"""SyncState: the last change-log id applied, plus gaps (ids that may still commit) until they age out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from search_index import sync_state
from search_index.sync_state import GAP_MAX_AGE_S, SyncState, SyncStateError

T0 = 1_700_000_000.0


def test_empty_state():
    state = SyncState()
    assert state.last_id == 0
    assert state.gaps == {}
    assert state.behind(1)
    assert not state.behind(0)


def test_advance_in_order_leaves_no_gaps():
    state = SyncState().advance([1, 2, 3], now=T0)
    assert state == SyncState(3, {})


def test_advance_out_of_order_remembers_the_missing_ids():
    state = SyncState().advance([1, 2, 5, 4], now=T0)
    assert state.last_id == 5
    assert state.gaps == {3: T0}
    assert not state.behind(5)
    assert state.behind(6)


def test_advance_returns_a_new_state():
    before = SyncState(2, {1: T0})
    after = before.advance([3], now=T0)
    assert before == SyncState(2, {1: T0})
    assert after == SyncState(3, {1: T0})


def test_a_late_id_fills_its_gap():
    state = SyncState().advance([1, 4], now=T0)
    assert state.gaps == {2: T0, 3: T0}
    state = state.advance([3], now=T0 + 5)
    assert state == SyncState(4, {2: T0})
    state = state.advance([2, 5], now=T0 + 6)
    assert state == SyncState(5, {})


def test_gaps_keep_the_time_they_were_first_seen():
    state = SyncState().advance([1, 3], now=T0)
    state = state.advance([4], now=T0 + 100)
    assert state.gaps == {2: T0}
    state = state.advance([7], now=T0 + 200)
    assert state.gaps == {2: T0, 5: T0 + 200, 6: T0 + 200}


def test_gaps_age_out():
    state = SyncState().advance([1, 3], now=T0)
    assert state.advance([], now=T0 + GAP_MAX_AGE_S - 1).gaps == {2: T0}
    assert state.advance([], now=T0 + GAP_MAX_AGE_S).gaps == {}
    assert state.advance([4], now=T0 + GAP_MAX_AGE_S + 1) == SyncState(4, {})


def test_reapplying_old_ids_does_not_move_back():
    state = SyncState(10, {8: T0}).advance([3, 8], now=T0)
    assert state == SyncState(10, {})


def test_advance_with_nothing_applied_keeps_the_state():
    assert SyncState(4, {2: T0}).advance([], now=T0 + 1) == SyncState(4, {2: T0})


def test_json_roundtrip():
    state = SyncState(42, {40: T0, 41: T0 + 0.5})
    assert SyncState.from_json(state.to_json()) == state
    data = json.loads(state.to_json())
    assert data == {"last_id": 42, "gaps": {"40": T0, "41": T0 + 0.5}}


def test_save_load_roundtrip(tmp_path):
    path = tmp_path / "sync.json"
    state = SyncState(7, {5: T0})
    state.save(path)
    assert SyncState.load(path) == state
    assert [p.name for p in tmp_path.iterdir()] == ["sync.json"], "no temporary file is left behind"


def test_load_missing_file_is_the_empty_state(tmp_path):
    assert SyncState.load(tmp_path / "nothing.json") == SyncState()


def test_save_replaces_the_previous_state(tmp_path):
    path = tmp_path / "sync.json"
    SyncState(1).save(path)
    SyncState(2, {1: T0}).save(path)
    assert SyncState.load(path) == SyncState(2, {1: T0})


def test_save_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    """A crash while writing leaves the old state whole (never a half-written file)."""
    path = tmp_path / "sync.json"
    SyncState(1).save(path)

    def crash(fd):
        raise OSError("disk full")

    monkeypatch.setattr(sync_state.os, "fsync", crash)  # the new text is written, not yet on disk
    with pytest.raises(OSError, match="disk full"):
        SyncState(99, {98: T0}).save(path)
    monkeypatch.undo()
    assert SyncState.load(path) == SyncState(1)
    assert [p.name for p in tmp_path.iterdir()] == ["sync.json"], "the temporary file is removed"


def test_save_is_atomic_when_the_rename_fails(tmp_path, monkeypatch):
    path = tmp_path / "sync.json"
    SyncState(1).save(path)

    def refuse(*args, **kwargs):
        raise OSError("rename refused")

    monkeypatch.setattr(sync_state.os, "replace", refuse)
    with pytest.raises(OSError, match="rename refused"):
        SyncState(2).save(path)
    monkeypatch.undo()
    assert SyncState.load(path) == SyncState(1)


def test_save_goes_through_a_rename(tmp_path, monkeypatch):
    """The new state appears in one step: written to a temporary file in the same folder, then renamed."""
    path = tmp_path / "sync.json"
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src), Path(dst)))
        assert Path(src).parent == Path(dst).parent
        assert SyncState.from_json(Path(src).read_text("utf-8")) == SyncState(3)
        real_replace(src, dst)

    monkeypatch.setattr(sync_state.os, "replace", spy)
    SyncState(3).save(path)
    assert len(calls) == 1
    assert calls[0][1] == path


@pytest.mark.parametrize(
    "text",
    ["", '{"last_id": 3', "[1]", "null", '{"gaps": {}}', '{"last_id": "3"}', '{"last_id": true}', '{"last_id": -1}',
     '{"last_id": 3.5}', '{"last_id": 3, "gaps": []}', '{"last_id": 3, "gaps": {"x": 1}}',
     '{"last_id": 3, "gaps": {"2": "gisteren"}}', '{"last_id": 3, "gaps": {"2": NaN}}'],
)  # fmt: skip
def test_anything_but_a_state_is_refused(text):
    with pytest.raises(SyncStateError):
        SyncState.from_json(text)


def test_an_unreadable_file_is_refused_and_a_missing_one_only_when_asked(tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\xff\xfe\x80" * 8)
    (tmp_path / "dir.json").mkdir()
    for path in (garbage, tmp_path / "dir.json"):
        with pytest.raises(SyncStateError):
            SyncState.load(path)
    assert SyncState.load(tmp_path / "none.json") == SyncState()
    with pytest.raises(SyncStateError):
        SyncState.load(tmp_path / "none.json", missing_ok=False)


def test_save_syncs_the_file_and_the_folder_before_and_after_the_rename(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(sync_state.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(sync_state.os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    SyncState(3).save(tmp_path / "sync.json")
    assert calls == ["fsync", "replace", "fsync"]
