"""The index under real processes: a worker killed with SIGKILL while indexing loses nothing, and
several workers writing at once never see a LockError. Every pilot is then found exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot
from pilotstarter_web.services.fulltext_search import search_service
from pilotstarter_web.services.organisations import load_reference_organisations
from search_index.fulltext import SearchRequest
from tests.search_sync.worker import make_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sync_app(tmp_path):
    app = make_app(str(tmp_path))
    with app.app_context():
        db.create_all()
        load_reference_organisations(ROOT / "content" / "organisations")
        db.session.commit()
        yield app
        search_service().index.close()
        db.session.remove()
        db.engine.dispose()


def start_worker(data_dir: Path, mode: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.search_sync.worker", str(data_dir), mode, str(count)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def assert_every_pilot_found_once() -> None:
    service = search_service()
    while service.sync(timeout=10.0):
        pass
    ids = list(db.session.scalars(select(Pilot.id)))
    searcher = service.index._searcher_now()
    for pilot_id in ids:
        assert len(list(searcher.documents(id=str(pilot_id)))) == 1, pilot_id
    assert searcher.doc_count() == len(ids)
    result = service.index.search(SearchRequest("kiwi", per_page=1))
    assert result.total == len(ids)


@pytest.mark.slow
def test_sigkill_while_indexing_loses_nothing(sync_app, tmp_path):
    search_service().rebuild()  # an (empty) index exists, as on a running site
    worker = start_worker(tmp_path, "bulk", 120)
    assert worker.stdout.readline().strip() == "indexing", worker.stderr.read()
    time.sleep(random.uniform(0.05, 0.4))
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    worker.stdout.close()
    worker.stderr.close()
    assert worker.returncode == -signal.SIGKILL
    assert len(list(db.session.scalars(select(Pilot.id)))) == 120
    assert_every_pilot_found_once()


@pytest.mark.slow
def test_workers_writing_at_once_never_see_a_lock_error(sync_app, tmp_path):
    search_service().rebuild()
    workers = [start_worker(tmp_path, "write", 8) for _ in range(3)]
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert "done" in out
        assert "LockError" not in err and "database is locked" not in err, err
    assert len(list(db.session.scalars(select(Pilot.id)))) == 24
    assert_every_pilot_found_once()
