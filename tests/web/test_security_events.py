"""Secrets stay out of logs and the audit table; security events are audited (logout, profile, 403, CSRF)."""

from __future__ import annotations

import http.client
import logging
import stat
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from pilotstarter_web.extensions import db
from pilotstarter_web.log_redaction import redact
from pilotstarter_web.models import AuditEvent
from pilotstarter_web.services.accounts import make_reset_token
from pilotstarter_web.services.mail_queue import queue_account_mail
from tests.factories import make_user
from tests.web.account_helpers import Mailbox


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- mail and access logs -------------------------------------------------------------------------------


def test_without_mail_server_mail_is_a_private_file_and_the_log_names_only_the_file(app, caplog):
    piet = make_user(email="piet@example.nl")
    box = Mailbox(app)
    with caplog.at_level(logging.INFO):
        queue_account_mail(
            piet, "account.password_reset", "Nieuw wachtwoord", "Uw link: https://x/account/reset/GEHEIM-TOKEN"
        )
        db.session.commit()
        [mail] = box.new()
    assert mail["To"] == "piet@example.nl" and "GEHEIM-TOKEN" in mail.get_content()
    [path] = sorted(box.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime)[-1:]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(box.folder.stat().st_mode) == 0o700
    assert "GEHEIM-TOKEN" not in caplog.text and "Uw link" not in caplog.text
    assert f"mail to piet@example.nl written to file {path}" in caplog.text


def test_the_access_log_of_a_real_server_never_shows_a_reset_token(app, caplog):
    token = make_reset_token(make_user())
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            conn.request("GET", f"/account/reset/{token}")
            response = conn.getresponse()
            response.read()
            conn.close()
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
    assert response.status == 302 and response.getheader("Location") == "/account/reset/new"
    assert response.getheader("Referrer-Policy") == "no-referrer"
    access = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/account/reset/[verwijderd]" in line for line in access), access
    assert token not in caplog.text


@pytest.mark.parametrize(
    "line,expected",
    [
        ('"GET /account/reset/abc.DEF-1_2 HTTP/1.1" 302 -', '"GET /account/reset/[verwijderd] HTTP/1.1" 302 -'),
        ('"GET /account/reset/abc?x=1 HTTP/1.1"', '"GET /account/reset/[verwijderd]?x=1 HTTP/1.1"'),
        ('"POST /account/reset/new HTTP/1.1" 200', '"POST /account/reset/new HTTP/1.1" 200'),
        ('"POST /account/reset HTTP/1.1" 302', '"POST /account/reset HTTP/1.1" 302'),
    ],
)
def test_redaction_of_access_log_lines(line, expected):
    assert redact(line) == expected


# --- audited events -------------------------------------------------------------------------------------


def test_logout_is_audited(client, auth):
    user = make_user()
    auth.login(user)
    auth.logout()
    [event] = events("account.logout")
    assert event.actor_id == user.id and event.ip == "127.0.0.1"


def test_profile_changes_are_audited_with_old_and_new_values(client, auth):
    user = make_user(name="Oude Naam")
    auth.login(user)
    client.post("/account/profile", data={"name": "Nieuwe Naam", "locale": "nl"})
    client.post("/account/profile", data={"name": "Nieuwe Naam", "locale": "nl"})  # no change: no event
    [event] = events("account.profile_changed")
    assert event.actor_id == user.id and event.data == {"old": {"name": "Oude Naam"}, "new": {"name": "Nieuwe Naam"}}


def test_permission_denied_is_audited_with_actor_ip_and_path(client, auth):
    member = make_user()
    auth.login(member)
    assert client.get("/admin/accounts").status_code == 403
    assert client.post(f"/admin/accounts/{member.id}/verify").status_code == 403
    refused = events("permission.denied")
    assert [(e.actor_id, e.object_id, e.ip) for e in refused] == [
        (member.id, "/admin/accounts", "127.0.0.1"),
        (member.id, f"/admin/accounts/{member.id}/verify", "127.0.0.1"),
    ]


def test_a_csrf_failure_is_audited_without_the_form_data(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/account/login", data={"email": "a@example.nl", "password": "geheim-wachtwoord"})
    assert response.status_code == 400
    [event] = events("csrf.failed")
    assert event.object_id == "/account/login" and event.actor_id is None and event.ip == "127.0.0.1"
    assert "geheim" not in str(event.data)


def test_a_csrf_failure_on_the_pilot_form_is_audited_too(app, client, auth, monkeypatch):
    writer = make_user()
    auth.login(writer)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/pilots/new", data={"title": "Zonder token", "status": "idee", "themes": "data"})
    assert response.status_code == 200  # the form comes back with the text
    [event] = events("csrf.failed")
    assert event.object_id == "/pilots/new" and event.actor_id == writer.id
