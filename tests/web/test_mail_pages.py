"""Mail through the pages: the settings page, one-click unsubscribe (RFC 8058), the admin's outbox page, and
a request that fails sends nothing."""

# ruff: noqa: F811  (the SMTP fixtures are imported from tests/mail_server.py and named as arguments)
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, Notification, OutboxMail, User
from pilotstarter_web.services import mail_outbox, mail_preferences, notifications
from tests.factories import make_user
from tests.mail_server import smtp_port  # noqa: F401


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_the_profile_links_to_the_mail_settings_and_they_save_and_are_audited(client, auth):
    user = make_user()
    auth.login(user)
    assert 'href="/account/mail"' in client.get("/account/profile").get_data(as_text=True)
    page = client.get("/account/mail").get_data(as_text=True)
    assert "E-mailinstellingen" in page and "Een organisatie doet mee met uw pilot" in page
    selected = re.search(r'name="mail_pilot__joined".*?<option selected value="(\w+)"', page, re.S)
    assert selected and selected.group(1) == "immediately"
    response = client.post("/account/mail", data={"mail_pilot__joined": "weekly", "mail_pilot__edited": "never"})
    assert response.status_code == 302
    assert "Uw e-mailinstellingen zijn opgeslagen." in client.get(response.headers["Location"]).get_data(as_text=True)
    prefs = mail_preferences.for_user(user)
    assert (
        prefs["pilot.joined"] == "weekly"
        and prefs["pilot.edited"] == "never"
        and prefs["pilot.invited"] == "immediately"
    )
    [event] = events("mail.preferences_changed")
    assert event.data["new"] == {"pilot.joined": "weekly", "pilot.edited": "never"}


def test_an_unknown_choice_is_refused_with_a_message(client, auth):
    auth.login(make_user())
    response = client.post("/account/mail", data={"mail_pilot__joined": "elk-uur"})
    assert response.status_code == 200 and "Controleer het formulier" in response.get_data(as_text=True)
    assert events("mail.preferences_changed") == []


def test_the_settings_need_a_login(client):
    response = client.get("/account/mail")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_unsubscribe_asks_first_then_one_click_works_without_login_or_csrf_token(client, csrf_on):
    user = make_user(email="lezer@example.nl")
    token = mail_preferences.unsubscribe_token(user, "pilot.edited")
    page = client.get(f"/account/mail/unsubscribe/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "lezer@example.nl" in text and "Afmelden</button>" in text
    assert mail_preferences.for_user(user)["pilot.edited"] == "daily"  # a GET changes nothing (link scanners)
    done = client.post(f"/account/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "U bent afgemeld" in done.get_data(as_text=True)
    assert mail_preferences.for_user(user)["pilot.edited"] == "never"
    [event] = events("mail.unsubscribed")
    assert event.actor_id == user.id and event.data["kind"] == "pilot.edited"


def test_a_tampered_or_foreign_unsubscribe_link_is_refused_with_a_clear_page(app, client, csrf_on):
    user = make_user()
    token = mail_preferences.unsubscribe_token(user, "pilot.edited")
    other_id = make_user().id
    forged = mail_preferences.URLSafeSerializer("wrong-key", salt="mail-unsubscribe").dumps([other_id, "pilot.edited"])
    for bad in (token[:-2] + "xx", forged, "x" * 400, "abc"):
        for method in (client.get, client.post):
            response = method(f"/account/mail/unsubscribe/{bad}")
            assert response.status_code == 400
            assert "Deze afmeldlink is ongeldig of beschadigd" in response.get_data(as_text=True)
    assert events("mail.unsubscribed") == [] and mail_preferences.for_user(user)["pilot.edited"] == "daily"


def test_the_settings_form_itself_still_needs_its_csrf_token(client, auth, csrf_on):
    user = make_user()
    auth_page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', auth_page).group(1)
    client.post("/account/login", data={"email": user.email, "password": "correct-horse-battery", "csrf_token": token})
    response = client.post("/account/mail", data={"mail_pilot__joined": "never"})
    assert response.status_code in (400, 403)
    assert mail_preferences.for_user(user)["pilot.joined"] == "immediately"


def test_a_request_that_fails_after_notifying_mails_nothing(app, client, auth, monkeypatch):
    staff = make_user("vng", role="vng_staff")
    newcomer = make_user(verified=False)
    real_notify = notifications.notify

    def notify_then_fail(*args, **kwargs):
        real_notify(*args, **kwargs)
        raise RuntimeError("stop after queueing")

    monkeypatch.setattr(notifications, "notify", notify_then_fail)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    auth.login(staff)
    assert client.post(f"/admin/accounts/{newcomer.id}/verify").status_code == 500
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert db.session.get(User, newcomer.id).verified_at is None


def test_verifying_through_the_admin_page_queues_the_mail(client, auth):
    staff = make_user("vng", role="vng_staff")
    newcomer = make_user(verified=False)
    auth.login(staff)
    client.post(f"/admin/accounts/{newcomer.id}/verify")
    [mail] = db.session.scalars(select(OutboxMail))
    assert mail.to_address == newcomer.email and mail.kind == "account.verified"


def test_the_admin_sees_failed_mails_and_sends_them_again(app, client, auth, smtp_port, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    admin = make_user("vng", role="admin")
    newcomer = make_user(verified=False, email="wacht@example.nl")
    auth.login(admin)
    client.post(f"/admin/accounts/{newcomer.id}/verify")
    assert mail_outbox.drain().failed == 1
    assert 'href="/admin/mail"' in client.get("/admin/accounts").get_data(as_text=True)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "wacht@example.nl" in page and "ConnectionRefusedError" in page and "1 mislukte e-mail" in page
    [mail] = mail_outbox.failed_mails()
    response = client.post("/admin/mail/retry", data={"mail_id": mail.id})
    assert "1 e-mail staat weer in de wachtrij." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert mail_outbox.counts()["queued"] == 1 and len(events("mail.retried")) == 1


def test_members_cannot_see_or_retry_the_outbox(client, auth):
    auth.login(make_user())
    assert client.get("/admin/mail").status_code == 403
    assert client.post("/admin/mail/retry").status_code == 403
