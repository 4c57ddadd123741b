"""A request that writes holds SQLite's write lock from its first query; one that only reads never takes it.

(The race itself needs a fresh session per request, which this test client does not give: bench/load.py
shows it, 0 of the saves failing where 45 of 219 did.)

Found by bench/load.py: with 50 people on gunicorn, 45 of 219 saves answered 500 "database is locked".
The login check read the session row in a plain (deferred) transaction before the request declared its
writes, so when another worker committed in between, the save's write could not upgrade that read and
failed at once (SQLite's busy timeout does not cover a lock upgrade). And the similarity check and the
preview, POSTs that change nothing, held the write lock while they computed, queueing every save behind.
"""

from __future__ import annotations

import os

import pytest

from pilotstarter_web import database
from pilotstarter_web.services import sessions
from tests.factories import make_pilot, make_user
from tests.web.test_pilot_pages import BODY

pytestmark = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's locking only")


@pytest.fixture
def intent_at_login_check(monkeypatch):
    """The write intent in force when the login check reads the session row (the request's first query)."""
    seen: list[bool] = []
    real_find = sessions.find

    def find(login_id):
        seen.append(database._write_intent.get())
        return real_find(login_id)

    monkeypatch.setattr(sessions, "find", find)
    return seen


def test_a_save_declares_its_writes_before_the_login_check_reads(client, auth, intent_at_login_check):
    pilot = make_pilot(body=BODY)
    auth.login(make_user())
    client.get(f"/pilots/{pilot.slug}")
    client.post(f"/pilots/{pilot.slug}/follow")
    assert intent_at_login_check[-2:] == [False, True]


@pytest.mark.parametrize(
    "path,body",
    [
        ("/pilots/preview", {"body": "# Kop"}),
        ("/api/v1/similar", {"title": "Slimme lantaarnpalen", "body": "Sensoren in lantaarnpalen."}),
        ("/pilots/new/similar", {"title": "Slimme lantaarnpalen", "summary": "", "body": "Sensoren meten licht."}),
    ],
)
def test_posts_that_only_read_never_take_the_write_lock(client, auth, intent_at_login_check, path, body):
    auth.login(make_user())
    assert client.post(path, json=body).status_code == 200
    assert intent_at_login_check[-1] is False
