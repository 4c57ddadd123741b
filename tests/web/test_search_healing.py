"""A damaged index folder, sync.json included, heals by itself while search keeps answering (M5).

The rebuild runs in a background thread here, as in production, so the first answer after the damage
comes from the database fallback and a later one from the rebuilt index.
"""

from __future__ import annotations

import fnmatch
import gc
import re
import shutil
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from pilotstarter_web.services.fulltext_search import search_service
from tests.factories import make_pilot

PARKING = "## Aanleiding\n\nBewoners willen hun parkeervergunning online aanvragen.\n"
HEAL_WITHIN_S = 60.0


def _replace_with_dir(path: Path) -> None:
    path.unlink()
    path.mkdir()


SYNC_DAMAGE: dict[str, Callable[[Path], None]] = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:7]),
    "not an object": lambda p: p.write_text("[1, 2, 3]"),
    "wrong types": lambda p: p.write_text('{"last_id": "zeven", "gaps": []}'),
    "negative id": lambda p: p.write_text('{"last_id": -5, "gaps": {}}'),
    "gap time not a number": lambda p: p.write_text('{"last_id": 5, "gaps": {"3": "gisteren"}}'),
    "binary garbage": lambda p: p.write_bytes(b"\x00\xff\xfe garbage \x80" * 20),
    "missing": lambda p: p.unlink(),
    "a directory in its place": _replace_with_dir,
}


@pytest.fixture
def indexed(client, app, monkeypatch):
    """A pilot in a built index; from here on rebuilds run in the background, as in production."""
    make_pilot(title="Parkeervergunning online aanvragen", body=PARKING)
    assert client.get("/api/v1/search?q=parkeervergunning").get_json()["degraded"] is False
    monkeypatch.setitem(app.config, "SEARCH_REBUILD_INLINE", False)
    yield search_service()
    search_service().wait_for_rebuild()


def answers_meanwhile(client, total: int = 1) -> dict:
    """Every search endpoint answers at once, with the fallback where the index cannot; the API's answer."""
    with warnings.catch_warnings():  # Whoosh may leave a damaged file's handle to the garbage collector
        warnings.simplefilter("ignore", ResourceWarning)
        api = client.get("/api/v1/search?q=parkeervergunning")
        page = client.get("/search?q=parkeervergunning")
        suggest = client.get("/search/suggest?q=park")
        gc.collect()
    assert (api.status_code, page.status_code, suggest.status_code) == (200, 200, 200)
    assert api.get_json()["total"] == total and "Parkeervergunning online aanvragen" in page.get_data(as_text=True)
    return api.get_json()


def assert_healed(client, service, total: int = 1) -> int:
    """Within the wait, without any manual step, the index answers again and follows a new save (made
    here: the number of pilots found afterwards is returned)."""
    deadline = time.monotonic() + HEAL_WITHIN_S
    while True:
        service.wait_for_rebuild(timeout=max(deadline - time.monotonic(), 0.1))
        answer = client.get("/api/v1/search?q=parkeervergunning").get_json()
        if not answer["degraded"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert answer["degraded"] is False and answer["total"] == total
    make_pilot(title=f"Parkeervergunning voor bezoekers {total}", body=PARKING)
    assert client.get("/api/v1/search?q=parkeervergunning").get_json()["total"] == total + 1
    assert service.index.state().last_id >= 1  # a readable sync.json again
    return total + 1


@pytest.mark.parametrize("damage", SYNC_DAMAGE.values(), ids=SYNC_DAMAGE.keys())
def test_a_damaged_sync_state_falls_back_at_once_and_heals(client, indexed, damage):
    damage(indexed.index.directory / "sync.json")
    assert answers_meanwhile(client)["degraded"] is True  # the database fallback, not a 500
    assert_healed(client, indexed)


def _roles(folder: Path) -> list[str]:
    """The index's kinds of file as patterns (a rebuild names its segments and table of contents anew)."""
    return sorted(
        {re.sub(r"_MAIN_\d+\.toc$", "_MAIN_*.toc", re.sub(r"_[a-z0-9]{16}", "_*", p.name)) for p in folder.iterdir()}
    )


FILE_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "emptied": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: b"\x00\xffgarbage\x80" * 64,
}


@pytest.mark.slow
# Whoosh leaves the handle of a file it could not read to the garbage collector (not our handle)
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("kind", FILE_DAMAGE)
def test_damaging_any_file_of_the_index_never_breaks_search(client, indexed, kind):
    roles = _roles(indexed.index.directory)
    assert {"sync.json", "lexicon.txt", "_MAIN_*.toc", "MAIN_*.seg"} <= set(roles)
    total = 1
    for role in roles:
        paths = [p for p in indexed.index.directory.iterdir() if fnmatch.fnmatch(p.name, role)]
        assert paths, role
        for path in paths:
            path.write_bytes(FILE_DAMAGE[kind](path.read_bytes()))
        indexed.index.close()  # as a worker that starts now would open it
        answers_meanwhile(client, total)
        total = assert_healed(client, indexed, total)
        for extra in indexed.index.directory.parent.glob("index-*"):
            if extra != indexed.index.directory:  # keep the next round's folder listing clean
                shutil.rmtree(extra, ignore_errors=True)
