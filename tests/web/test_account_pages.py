"""Accounts through the pages: register, log in and out, verification by VNG, cookies. Password reset and
profile: test_password_pages.py."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from pilotstarter_web.config import from_environment
from pilotstarter_web.extensions import db
from pilotstarter_web.models import Organisation, Pilot, User, UserSession
from pilotstarter_web.services import accounts, sessions, throttle
from pilotstarter_web.services.accounts import user_by_email
from tests.factories import PASSWORD, make_user
from tests.web.account_helpers import Mailbox, alert, flashes, logged_in, register, set_cookie_headers


def alert_free(page: str) -> str:
    """A page without the parts that differ between two requests (the CSRF token)."""
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


# --- registration ---------------------------------------------------------------------------------------


def test_register_with_the_picker_label_makes_an_unverified_account_that_cannot_write(client):
    page = client.get("/account/register").get_data(as_text=True)
    label = html.unescape(re.search(r'<option value="([^"]*\[GM0518\])"', page).group(1))
    assert label == "'s-Gravenhage (Den Haag) [GM0518]"

    response = register(client, organisation=label, email="Nieuw@Example.nl")

    assert response.status_code == 302 and response.headers["Location"] == "/account/login"
    assert "Controleer uw e-mail" in flashes(client, response)
    user = user_by_email("nieuw@example.nl")
    assert user.organisation.code == "GM0518" and user.role == "member" and not user.verified
    assert client.post("/account/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    profile = client.get("/account/profile").get_data(as_text=True)
    assert "niet geverifieerd" in profile
    assert 'href="/pilots/new"' not in profile
    refused = client.get("/pilots/new")
    assert refused.status_code == 403
    assert "Uw account is nog niet geverifieerd" in refused.get_data(as_text=True)
    assert client.post("/pilots/new", data={"title": "Stiekem", "status": "idee"}).status_code == 403
    assert db.session.scalar(select(func.count(Pilot.id))) == 0


@pytest.mark.parametrize(
    "typed,code",
    [("Utrecht [GM0344]", "GM0344"), ("Rotterdam", "GM0599"), ("den haag", "GM0518"), ("vng", "vng")],
)
def test_register_finds_the_organisation_by_label_name_alias_or_code(client, typed, code):
    assert register(client, organisation=typed).status_code == 302
    assert user_by_email("nieuw@example.nl").organisation.code == code


def test_register_with_an_unlisted_organisation_name_creates_a_supplier(client):
    assert register(client, organisation="", new_organisation="Datalab Zuid").status_code == 302
    org = user_by_email("nieuw@example.nl").organisation
    assert org.name == "Datalab Zuid" and org.kind == "supplier"


def test_unknown_organisation_is_a_form_error_in_dutch(client):
    before = db.session.scalar(select(func.count(Organisation.id)))
    response = register(client, organisation="Atlantis")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies uw organisatie uit de lijst, of vul hieronder de naam van uw organisatie in." in page
    assert 'value="Atlantis"' in page  # what the user typed stays in the field
    assert user_by_email("nieuw@example.nl") is None
    assert db.session.scalar(select(func.count(Organisation.id))) == before
    assert not logged_in(client)


def test_register_answers_the_same_for_a_known_address_and_mails_its_owner(app, client):
    make_user(email="bestaand@example.nl", name="Eerste")
    box = Mailbox(app)
    known = register(client, email="Bestaand@Example.nl", name="Indringer")
    known_page = flashes(client, known)
    new = register(client, email="nieuw@example.nl")
    assert known.status_code == new.status_code == 302
    assert known.headers["Location"] == new.headers["Location"] == "/account/login"
    assert alert_free(known_page) == alert_free(flashes(client, new))
    assert "Dit e-mailadres is al in gebruik" not in known_page and "Controleer uw e-mail" in known_page
    assert db.session.scalar(select(func.count(User.id))) == 2
    assert user_by_email("bestaand@example.nl").name == "Eerste"
    assert not logged_in(client)
    owner_mail, welcome = box.new()
    assert owner_mail["To"] == "bestaand@example.nl" and welcome["To"] == "nieuw@example.nl"
    assert "Iemand probeerde" in owner_mail.get_content() and "/account/reset/" in owner_mail.get_content()
    assert "Uw account is aangemaakt" in welcome.get_content()


def test_register_with_a_known_address_hashes_a_password_too(app, client, monkeypatch):
    """Roughly the same time: one Argon2 hash either way."""
    make_user(email="bestaand@example.nl")
    hashed = []
    real = accounts.hash_password
    monkeypatch.setattr(accounts, "hash_password", lambda pw: hashed.append(pw) or real(pw))
    register(client, email="bestaand@example.nl")
    register(client, email="nieuw@example.nl")
    assert len(hashed) == 2


@pytest.mark.parametrize(
    "password,confirm,message",
    [
        ("kort12345", "kort12345", "Minstens 10 tekens."),
        (PASSWORD, PASSWORD + "x", "De wachtwoorden zijn niet gelijk."),
        ("", "", "Dit veld is verplicht."),
    ],
    ids=["too-short", "not-equal", "empty"],
)
def test_register_refuses_a_weak_or_mistyped_password(client, password, confirm, message):
    response = register(client, password=password, password_confirm=confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_by_email("nieuw@example.nl") is None


# --- logging in and out ---------------------------------------------------------------------------------


def test_login_and_logout_which_needs_a_post(client, auth):
    user = make_user(name="Anna Bos")
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Anna Bos" in client.get("/").get_data(as_text=True)
    assert client.get("/account/logout").status_code == 405
    assert logged_in(client)
    response = auth.logout()
    assert "U bent uitgelogd." in flashes(client, response)
    assert not logged_in(client)
    assert "Anna Bos" not in client.get("/").get_data(as_text=True)


def test_a_wrong_password_does_not_reveal_whether_the_address_exists(client, auth):
    make_user(email="bekend@example.nl")
    known = auth.login("bekend@example.nl", "niet-het-wachtwoord")
    unknown = auth.login("onbekend@example.nl", "niet-het-wachtwoord")
    assert known.status_code == unknown.status_code == 401
    assert alert(known.get_data(as_text=True)) == alert(unknown.get_data(as_text=True))
    assert alert(known.get_data(as_text=True)) == "E-mailadres of wachtwoord klopt niet."
    assert not logged_in(client)


def test_login_backs_off_after_repeated_failures_with_retry_after(app, client, auth, monkeypatch):
    now = [1_900_000_000.0]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    user = make_user(email="doelwit@example.nl")
    for _ in range(app.config["LOGIN_PAIR_FREE_FAILURES"]):
        assert (
            alert(auth.login(user, "fout-fout-fout").get_data(as_text=True)) == "E-mailadres of wachtwoord klopt niet."
        )
    blocked = auth.login(user, PASSWORD)  # even the right password waits its turn
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "1"
    assert "Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw." in alert(blocked.get_data(as_text=True))
    assert not logged_in(client)

    other = make_user()
    assert auth.login(other).status_code == 302  # the strict back-off is per address and IP
    auth.logout()

    now[0] += 1
    assert auth.login(user).status_code == 302


def test_remember_me_sets_a_lasting_cookie_and_without_it_there_is_none(app, client):
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    [cookie] = set_cookie_headers(response, "remember_token")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    client.delete_cookie("session")
    assert logged_in(client)  # a new browser session is logged in again from the remember cookie

    forgetful = app.test_client()
    response = forgetful.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert set_cookie_headers(response, "remember_token") == []
    assert forgetful.get_cookie("remember_token") is None
    forgetful.delete_cookie("session")
    assert not logged_in(forgetful)


def test_login_starts_a_new_session(client, auth):
    user = make_user()
    client.get("/account/login")
    with client.session_transaction() as session:
        session["planted"] = "door een aanvaller"
    before = client.get_cookie("session").value
    auth.login(user)
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        row = sessions.find(session["_user_id"])  # the login names a live server-side session of this user
    assert row is not None and row.user_id == user.id and row.live


def test_sessions_end_after_the_absolute_lifetime(app, client, auth):
    auth.login(make_user())
    limit = app.config["SESSION_ABSOLUTE_LIFETIME"]
    started = datetime.now(UTC).replace(tzinfo=None) - limit - timedelta(minutes=1)
    db.session.execute(update(UserSession).values(created_at=started))  # the server's record, not the cookie
    db.session.commit()
    response = client.get("/account/profile")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert "U bent automatisch uitgelogd." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "/\t/evil.example", "///evil.example", "http:/x"],
)
def test_login_never_redirects_to_another_site(client, target):
    user = make_user()
    response = client.post(
        "/account/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_local_page_it_came_from(client, auth):
    user = make_user()
    response = client.post(
        "/account/login", query_string={"next": "/pilots?theme=data"}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/pilots?theme=data"
    auth.logout()
    asked = client.get("/account/profile")
    assert asked.status_code == 302
    login_url = asked.headers["Location"]
    assert login_url.startswith("/account/login?next=")
    response = client.post(login_url, data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account/profile"


# --- verification by VNG --------------------------------------------------------------------------------


def test_admin_page_lists_only_pending_accounts(client, auth):
    make_user(verified=False, email="wacht@example.nl", name="Wacht Even")
    make_user(email="klaar@example.nl")
    blocked = make_user(verified=False, email="weg@example.nl")
    blocked.active = False
    db.session.commit()
    auth.login(make_user("vng", role="vng_staff"))
    page = client.get("/admin/accounts").get_data(as_text=True)
    page = page[page.index('id="verifieren-kop"') : page.index('id="alle-kop"')]  # the queue; all accounts follow
    assert "wacht@example.nl" in page and "Wacht Even" in page
    assert "klaar@example.nl" not in page and "weg@example.nl" not in page
    assert "1 account wacht op verificatie" in page


@pytest.mark.parametrize("role", ["admin", "vng_staff"])
def test_staff_verify_an_account_which_can_then_write(app, client, auth, role):
    pending = make_user(verified=False, email="wacht@example.nl", name="Wacht Even")
    auth.login(make_user("vng", role=role))
    response = client.post(f"/admin/accounts/{pending.id}/verify")
    assert response.headers["Location"] == "/admin/accounts"
    page = flashes(client, response)
    assert "Wacht Even (wacht@example.nl) is geverifieerd en kan nu schrijven." in page
    assert "wacht@example.nl</td>" not in page
    newcomer = app.test_client()
    newcomer.post("/account/login", data={"email": "wacht@example.nl", "password": PASSWORD})
    assert newcomer.get("/pilots/new").status_code == 200


@pytest.mark.parametrize("role", ["admin", "vng_staff"])
def test_staff_reject_an_account_which_can_then_not_log_in(app, client, auth, role):
    pending = make_user(verified=False, email="spam@example.nl")
    auth.login(make_user("vng", role=role))
    response = client.post(f"/admin/accounts/{pending.id}/reject")
    assert "Het account van spam@example.nl is geblokkeerd." in flashes(client, response)
    db.session.expire_all()
    assert not pending.active and not pending.verified
    rejected = app.test_client()
    answer = rejected.post("/account/login", data={"email": "spam@example.nl", "password": PASSWORD})
    assert answer.status_code == 401 and alert(answer.get_data(as_text=True)) == "E-mailadres of wachtwoord klopt niet."


def test_a_verified_account_cannot_be_rejected(client, auth):
    member = make_user(email="lid@example.nl")
    auth.login(make_user("vng", role="admin"))
    response = client.post(f"/admin/accounts/{member.id}/reject")
    assert response.status_code == 422
    assert "Dit account is al geverifieerd." in response.get_data(as_text=True)
    db.session.expire_all()
    assert member.active


def test_members_cannot_list_verify_or_reject_accounts(client, auth):
    pending = make_user(verified=False)
    auth.login(make_user("GM0344"))
    assert client.get("/admin/accounts").status_code == 403
    assert client.post(f"/admin/accounts/{pending.id}/verify").status_code == 403
    assert client.post(f"/admin/accounts/{pending.id}/reject").status_code == 403
    db.session.expire_all()
    assert not pending.verified and pending.active


# --- cookies --------------------------------------------------------------------------------------------


def test_session_cookie_is_http_only_and_same_site_lax(client):
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    [cookie] = set_cookie_headers(response, "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_outside_local_development(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("PILOTSTARTER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PILOTSTARTER_DEV", raising=False)
    production = from_environment()
    assert production["SESSION_COOKIE_SECURE"] and production["REMEMBER_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_SAMESITE"] == production["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    monkeypatch.setenv("PILOTSTARTER_DEV", "1")
    development = from_environment()
    assert not development["SESSION_COOKIE_SECURE"] and not development["REMEMBER_COOKIE_SECURE"]
