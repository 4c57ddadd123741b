"""The sessions page (/account/sessions): where you are logged in; end one, all others, or all."""

from __future__ import annotations

import re

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, UserSession
from tests.factories import PASSWORD, make_user
from tests.web.account_helpers import flashes, logged_in

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile Safari/604.1"


def device(app, user, user_agent: str, ip: str):
    """A browser of its own, logged in as `user`."""
    browser = app.test_client()
    browser.environ_base.update({"HTTP_USER_AGENT": user_agent, "REMOTE_ADDR": ip})
    assert browser.post("/account/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return browser


def rows(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", r)
        for r in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, re.S)[1:]
    ]


def audit_reasons(action: str) -> list[str]:
    return [e.data["reason"] for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))]


def test_the_page_lists_my_live_sessions_and_marks_this_device(app):
    user = make_user()
    laptop = device(app, user, FIREFOX, "203.0.113.7")
    device(app, user, PHONE, "198.51.100.20")
    device(app, make_user(), FIREFOX, "192.0.2.99")  # someone else
    device(app, user, PHONE, "198.51.100.21").post("/account/logout")  # ended: not listed

    profile = laptop.get("/account/profile").get_data(as_text=True)
    assert 'href="/account/sessions"' in profile
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "2 actieve sessies" in page
    [mine, phone] = sorted(rows(page), key=lambda r: "dit apparaat" not in r)
    assert "Firefox, Windows" in mine and "203.0.113.7" in mine and "dit apparaat" in mine
    assert "Safari, iOS" in phone and "198.51.100.20" in phone and "dit apparaat" not in phone
    assert "192.0.2.99" not in page and "198.51.100.21" not in page


def test_end_one_session_logs_that_device_out(app):
    user = make_user()
    laptop = device(app, user, FIREFOX, "203.0.113.7")
    phone = device(app, user, PHONE, "198.51.100.20")
    phone_row = db.session.scalar(select(UserSession).where(UserSession.ip == "198.51.100.20"))

    response = laptop.post(f"/account/sessions/{phone_row.id}/end")
    assert "De sessie is beëindigd" in flashes(laptop, response)
    assert not logged_in(phone) and logged_in(laptop)
    assert audit_reasons("session.ended") == ["ended_by_user"]
    assert laptop.post(f"/account/sessions/{phone_row.id}/end").status_code == 404  # already ended


def test_nobody_ends_someone_elses_session(app):
    victim = device(app, make_user(), PHONE, "198.51.100.20")
    row = db.session.scalar(select(UserSession))
    attacker = device(app, make_user(), FIREFOX, "203.0.113.7")
    assert attacker.post(f"/account/sessions/{row.id}/end").status_code == 404
    assert logged_in(victim)


def test_log_out_everywhere_but_here(app):
    user = make_user()
    laptop = device(app, user, FIREFOX, "203.0.113.7")
    others = [device(app, user, PHONE, f"198.51.100.{n}") for n in (1, 2)]
    bystander = device(app, make_user(), PHONE, "192.0.2.1")

    response = laptop.post("/account/sessions/end-others")
    assert "2 andere sessies zijn beëindigd." in flashes(laptop, response)
    assert logged_in(laptop) and logged_in(bystander)
    assert not any(logged_in(other) for other in others)
    assert audit_reasons("session.ended_all") == ["logout_everywhere"]


def test_log_out_everywhere_including_here(app):
    user = make_user()
    laptop = device(app, user, FIREFOX, "203.0.113.7")
    phone = device(app, user, PHONE, "198.51.100.20")
    response = laptop.post("/account/sessions/end-all")
    assert "U bent overal uitgelogd, ook hier." in flashes(laptop, response)
    assert not logged_in(laptop) and not logged_in(phone)


def test_ending_this_devices_own_row_is_logging_out(app):
    laptop = device(app, make_user(), FIREFOX, "203.0.113.7")
    row = db.session.scalar(select(UserSession))
    assert "U bent uitgelogd." in flashes(laptop, laptop.post(f"/account/sessions/{row.id}/end"))
    assert not logged_in(laptop)


def test_the_sessions_page_needs_a_login(client):
    assert client.get("/account/sessions").headers["Location"].startswith("/account/login")
    assert client.post("/account/sessions/end-others").headers["Location"].startswith("/account/login")
