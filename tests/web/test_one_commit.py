"""transactions.commits: a view's work commits once when it returns, and not at all when it raises."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot
from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.transactions import commits
from tests.factories import make_pilot


def _summary(pilot_id: int) -> str:
    db.session.rollback()  # forget anything uncommitted: read what the database holds
    return db.session.scalar(select(Pilot.summary).where(Pilot.id == pilot_id))


def test_a_view_that_returns_commits_its_work(app):
    pilot = make_pilot()

    @commits
    def view():
        pilot.summary = "Opgeslagen."
        db.session.flush()
        return "ok"

    with app.test_request_context("/", method="POST"):
        assert view() == "ok"
    assert _summary(pilot.id) == "Opgeslagen."


def test_a_view_that_raises_commits_nothing(app):
    pilot = make_pilot()

    @commits
    def view():
        pilot.summary = "Half gedaan."
        db.session.flush()
        raise InvalidInput("geweigerd")

    with app.test_request_context("/", method="POST"), pytest.raises(InvalidInput):
        view()
    assert _summary(pilot.id) == "Een korte samenvatting."


def test_deleting_through_the_page_is_saved_once(client, auth):
    pilot = make_pilot()
    auth.login(pilot.current_revision.author)
    assert client.post(f"/pilots/{pilot.slug}/delete", data={"reason": "test"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Pilot, pilot.id).deleted_at is not None
