"""Sessions end on the server: a copied cookie dies with logout, a new password, a blocked account or a
timeout (M1: Flask's signed cookies alone could not be revoked)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, UserSession, utcnow
from pilotstarter_web.services.accounts import make_reset_token
from tests.factories import PASSWORD, make_user
from tests.web.account_helpers import NEW_PASSWORD, logged_in


def log_in(client, user, remember: bool = False):
    data = {"email": user.email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    assert client.post("/account/login", data=data).status_code == 302
    return client


def browser_with(app, **cookies):
    """A new client holding only copies of the given cookies (what an attacker copied)."""
    copy = app.test_client()
    for name, value in cookies.items():
        copy.set_cookie(name, value)
    return copy


def test_after_logout_a_copy_of_the_session_cookie_can_neither_read_nor_write(app, client):
    user = make_user(name="Echte Naam")
    log_in(client, user)
    stolen = client.get_cookie("session").value
    assert logged_in(browser_with(app, session=stolen))  # the copy works while the login lives
    client.post("/account/logout")

    copy = browser_with(app, session=stolen)
    response = copy.get("/account/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/login")
    write = copy.post("/account/profile", data={"name": "Overgenomen", "locale": "nl"})
    assert write.status_code == 302 and write.headers["Location"].startswith("/account/login")
    db.session.expire_all()
    assert user.name == "Echte Naam"


def test_after_logout_the_old_remember_me_cookie_no_longer_logs_in(app, client):
    user = make_user()
    log_in(client, user, remember=True)
    remembered = client.get_cookie("remember_token").value
    assert logged_in(browser_with(app, remember_token=remembered))
    logout = client.post("/account/logout")
    assert any(h.startswith("remember_token=;") for h in logout.headers.getlist("Set-Cookie"))  # deleted here too

    assert not logged_in(browser_with(app, remember_token=remembered))


def test_a_new_password_ends_the_other_sessions_but_not_the_one_that_changed_it(app, client):
    user = make_user()
    log_in(client, user)
    other = log_in(app.test_client(), user, remember=True)
    other_remember = other.get_cookie("remember_token").value
    client.get(f"/account/reset/{make_reset_token(user)}")  # the e-mailed link: the token moves into the session
    done = client.post("/account/reset/new", data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 302

    assert logged_in(client)
    assert not logged_in(other)
    assert not logged_in(browser_with(app, remember_token=other_remember))
    ended = db.session.scalars(select(UserSession.end_reason).where(UserSession.ended_at.is_not(None))).all()
    assert ended == ["password_changed"]


def test_blocking_an_account_ends_its_sessions(app, client, auth):
    newcomer = make_user(verified=False, email="spam@example.nl")
    spammer = log_in(app.test_client(), newcomer, remember=True)
    remembered = spammer.get_cookie("remember_token").value
    assert logged_in(spammer)
    auth.login(make_user("vng", role="vng_staff"))
    assert client.post(f"/admin/accounts/{newcomer.id}/reject").status_code == 302

    assert not logged_in(spammer)
    assert not logged_in(browser_with(app, remember_token=remembered))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session.ended_all"))
    assert event.data["reason"] == "account_disabled" and event.data["count"] == 1


def test_idle_sessions_end_on_the_server(app, client):
    log_in(client, make_user())
    idle = app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle - timedelta(minutes=1)))
    db.session.commit()
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert "U bent automatisch uitgelogd." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(UserSession.end_reason)) == "idle"


def test_remembered_sessions_last_the_remember_period_and_no_longer(app, client):
    log_in(client, make_user(), remember=True)
    remembered = client.get_cookie("remember_token").value
    past_session_limits = app.config["SESSION_ABSOLUTE_LIFETIME"] + timedelta(hours=1)
    db.session.execute(update(UserSession).values(created_at=utcnow() - past_session_limits))
    db.session.commit()
    assert logged_in(client)

    remember_period = app.config["REMEMBER_COOKIE_DURATION"]
    db.session.execute(update(UserSession).values(created_at=utcnow() - remember_period - timedelta(minutes=1)))
    db.session.commit()
    assert not logged_in(client)
    assert not logged_in(browser_with(app, remember_token=remembered))
    assert db.session.scalar(select(UserSession.end_reason)) == "absolute"


def test_last_seen_is_written_at_most_once_a_minute(client):
    log_in(client, make_user())
    row = db.session.scalar(select(UserSession))
    first = row.last_seen_at
    client.get("/account/profile")
    db.session.refresh(row)
    assert row.last_seen_at == first  # a request within the minute writes nothing

    db.session.execute(update(UserSession).values(last_seen_at=first - timedelta(minutes=2)))
    db.session.commit()
    client.get("/account/profile")
    db.session.refresh(row)
    assert row.last_seen_at > first - timedelta(minutes=1)


def test_the_cookie_token_is_stored_only_as_a_hash_and_a_wrong_token_fails(app, client):
    user = make_user()
    log_in(client, user)
    with client.session_transaction() as session:
        login_id = session["_user_id"]
    row_id, token = login_id.split(":")
    row = db.session.get(UserSession, int(row_id))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash

    forged = app.test_client()
    log_in(forged, make_user())
    with forged.session_transaction() as session:
        session["_user_id"] = f"{row_id}:{token[:-1]}A" if token[-1] != "A" else f"{row_id}:{token[:-1]}B"
    assert not logged_in(forged)


def test_a_busy_database_does_not_fail_the_page_when_last_seen_cannot_be_written(client, monkeypatch):
    log_in(client, make_user())
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE user_sessions", {}, Exception("database is locked"))

    monkeypatch.setattr("pilotstarter_web.services.sessions.touch", locked)
    assert client.get("/account/profile").status_code == 200
