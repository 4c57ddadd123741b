"""The change log has one writer (record_change) and one after-commit hook (derived_data): a committed
change runs every follower once, a rolled-back one runs none, and no service writes ChangeLog rows by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Response
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import ChangeLog, Pilot
from pilotstarter_web.services import derived_data
from pilotstarter_web.services.change_log import record_change
from tests.factories import make_pilot

PACKAGE = Path(__file__).resolve().parents[2] / "pilotstarter_web"


def _rows(pilot: Pilot) -> list[tuple[int, str]]:
    return [
        (r.pilot_id, r.operation) for r in db.session.scalars(select(ChangeLog).where(ChangeLog.pilot_id == pilot.id))
    ]


def test_record_change_commits_with_the_change_or_not_at_all():
    pilot = make_pilot()
    before = _rows(pilot)
    record_change(pilot, "delete")
    db.session.rollback()
    assert _rows(pilot) == before
    record_change(pilot)
    db.session.commit()
    assert _rows(pilot) == [*before, (pilot.id, "upsert")]


def test_record_change_refuses_an_unknown_operation():
    with pytest.raises(ValueError):
        record_change(make_pilot(), "rename")


def test_no_service_writes_change_log_rows_by_hand():
    """Derived data has one entry: a ChangeLog row built anywhere but change_log.py would bypass it."""
    by_hand = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "change_log.py" and re.search(r"\bChangeLog\(", path.read_text("utf-8"))
    ]
    assert by_hand == ["models/pilots.py"]  # the class definition itself


@pytest.fixture
def pilot():
    return make_pilot()


@pytest.fixture
def follower(app, pilot):
    """A follower that records its calls; the factories' own commits are drained first."""
    with app.test_request_context("/"):
        app.process_response(Response())
    calls: list[str] = []
    derived_data.follow(app, "test follower", lambda: calls.append("applied"))
    yield calls
    del app.extensions["pilotstarter_derived_data_followers"]["test follower"]


def test_a_committed_change_runs_each_follower_once_after_the_request(app, pilot, follower):
    with app.test_request_context("/", method="POST"):
        record_change(pilot)
        db.session.flush()
        record_change(pilot)
        db.session.commit()
        assert follower == []  # not before the response: the view may still be running
        app.process_response(Response())
    assert follower == ["applied"]


def test_a_rolled_back_change_runs_no_follower(app, pilot, follower):
    with app.test_request_context("/", method="POST"):
        record_change(pilot)
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # a later, empty commit in the same request
        app.process_response(Response())
    assert follower == []


def test_an_after_commit_task_runs_after_the_followers_and_is_committed(app, pilot, follower):
    seen: list[str] = []

    def task():
        seen.append(f"task after {follower}")
        pilot.summary = "Aangekondigd."  # a write of its own: committed by the hook

    with app.test_request_context("/", method="POST"):
        record_change(pilot)
        derived_data.after_commit(task)
        db.session.commit()
        app.process_response(Response())
    assert seen == ["task after ['applied']"]
    db.session.expire_all()
    assert pilot.summary == "Aangekondigd."


def test_a_rollback_drops_the_after_commit_task(app, pilot, follower):
    seen: list[str] = []
    with app.test_request_context("/", method="POST"):
        record_change(pilot)
        derived_data.after_commit(lambda: seen.append("ran"))
        db.session.flush()
        db.session.rollback()
        app.process_response(Response())
    assert seen == [] and follower == []
