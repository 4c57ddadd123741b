"""Passwords and profile through the pages: reset by mail link, other sessions ended, profile edits."""

from __future__ import annotations

import logging
import re

from pilotstarter_web.extensions import db
from pilotstarter_web.services import sessions
from pilotstarter_web.services.accounts import make_reset_token
from tests.factories import PASSWORD, make_user
from tests.web.account_helpers import NEW_PASSWORD, Mailbox, flashes, logged_in

# --- password reset -------------------------------------------------------------------------------------


def request_reset(client, caplog, email: str):
    """Ask for a reset link; returns (response, the mails written, as text). The log never holds the link."""
    caplog.clear()
    box = Mailbox(client.application)
    with caplog.at_level(logging.INFO):
        response = client.post("/account/reset", data={"email": email})
    assert "/account/reset/" not in caplog.text
    return response, [m.get_content() for m in box.new()]


def open_link(client, link: str):
    """Follow the e-mailed link: it must land on a token-free page at once, without a Referer to leak."""
    landing = client.get(link)
    assert landing.status_code == 302 and landing.headers["Location"] == "/account/reset/new"
    assert landing.headers["Referrer-Policy"] == "no-referrer"
    return client.get("/account/reset/new")


def test_password_reset_mail_link_sets_a_new_password_once(app, client, auth, caplog):
    assert app.config["MAIL_SERVER"] == ""
    user = make_user(email="vergeten@example.nl", name="Piet Vergeet")
    response, mails = request_reset(client, caplog, "Vergeten@Example.nl")
    assert response.status_code == 302 and response.headers["Location"] == "/account/login"
    assert "Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail" in flashes(client, response)
    [mail] = mails
    assert "Beste Piet Vergeet" in mail
    link = re.search(r"http://localhost(/account/reset/\S+)", mail).group(1)

    assert "Nieuw wachtwoord kiezen" in open_link(client, link).get_data(as_text=True)
    form = "/account/reset/new"
    weak = client.post(form, data={"password": "kort", "password_confirm": "kort"})
    assert weak.status_code == 200 and "Minstens 10 tekens." in weak.get_data(as_text=True)
    done = client.post(form, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert "Uw wachtwoord is gewijzigd." in flashes(client, done)
    assert auth.login(user, PASSWORD).status_code == 401
    assert auth.login(user, NEW_PASSWORD).status_code == 302
    auth.logout()

    again = open_link(client, link)  # the token was bound to the old password hash
    assert again.headers["Location"] == "/account/reset"
    assert "Deze link is al gebruikt of ongeldig." in flashes(client, again)
    client.get(link)
    reuse = client.post(
        form, data={"password": "nog-een-ander-wachtwoord", "password_confirm": "nog-een-ander-wachtwoord"}
    )
    assert reuse.status_code == 302 and reuse.headers["Location"] == "/account/reset"
    assert auth.login(user, NEW_PASSWORD).status_code == 302


def test_password_reset_answers_the_same_for_unknown_and_blocked_addresses(client, caplog):
    make_user(email="bekend@example.nl")
    blocked = make_user(email="geblokkeerd@example.nl", verified=False)
    blocked.active = False
    db.session.commit()
    known, known_mails = request_reset(client, caplog, "bekend@example.nl")
    known_page = flashes(client, known)
    for email in ("onbekend@example.nl", "geblokkeerd@example.nl"):
        response, mails = request_reset(client, caplog, email)
        assert mails == []
        assert response.headers["Location"] == known.headers["Location"]
        assert "Als dit adres bij ons bekend is" in flashes(client, response)
    assert len(known_mails) == 1 and "Als dit adres bij ons bekend is" in known_page


def test_a_tampered_reset_link_is_refused(client):
    user = make_user()
    response = open_link(client, f"/account/reset/{make_reset_token(user)}x")
    assert response.headers["Location"] == "/account/reset"
    assert "Deze link is ongeldig." in flashes(client, response)


def test_changing_the_password_ends_every_other_session(app, client):
    user = make_user()
    client.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert logged_in(client)
    other_device = app.test_client()
    link = f"/account/reset/{make_reset_token(user)}"
    open_link(other_device, link)
    done = other_device.post("/account/reset/new", data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert done.status_code == 302
    db.session.expire_all()
    assert sessions.active_sessions(user) == []
    assert not logged_in(client)  # neither the session nor the remember cookie of the old password works
    client.delete_cookie("session")
    assert not logged_in(client)


# --- profile --------------------------------------------------------------------------------------------


def test_profile_edits_name_and_language(client, auth):
    user = make_user(name="Oude Naam")
    auth.login(user)
    response = client.post("/account/profile", data={"name": "  Nieuwe Naam ", "locale": "en"})
    assert response.headers["Location"] == "/account/profile"
    page = flashes(client, response)
    assert "Your profile has been saved." in page and "Nieuwe Naam" in page and '<html lang="en"' in page
    db.session.expire_all()
    assert (user.name, user.locale) == ("Nieuwe Naam", "en")

    empty = client.post("/account/profile", data={"name": "", "locale": "nl"})
    assert empty.status_code == 200 and "This field is required." in empty.get_data(as_text=True)  # now in English
    assert client.post("/account/profile", data={"name": "X", "locale": "xx"}).status_code == 200
    db.session.expire_all()
    assert (user.name, user.locale) == ("Nieuwe Naam", "en")


# --- changing the password while logged in --------------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, auth):
    user = make_user()
    auth.login(user)
    other = app.test_client()
    other.post("/account/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert 'href="/account/password"' in client.get("/account/profile").get_data(as_text=True)

    wrong = client.post(
        "/account/password",
        data={"current_password": "niet-het-wachtwoord", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "Uw huidige wachtwoord klopt niet." in wrong.get_data(as_text=True)
    assert logged_in(other)

    done = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert "Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd." in flashes(client, done)
    assert logged_in(client)
    assert not logged_in(other)
    other.delete_cookie("session")
    assert not logged_in(other)  # nor from its remember-me cookie
    auth.logout()
    assert auth.login(user, NEW_PASSWORD).status_code == 302


def test_guessing_the_current_password_is_throttled(app, client, auth, still_clock):
    user = make_user()
    auth.login(user)
    change = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    for _ in range(app.config["PASSWORD_CHECK_FREE_FAILURES"]):
        assert client.post("/account/password", data={"current_password": "geraden-123", **change}).status_code == 200
    blocked = client.post("/account/password", data={"current_password": PASSWORD, **change})
    assert blocked.status_code == 429 and "Te veel mislukte pogingen." in blocked.get_data(as_text=True)
    auth.logout()
    assert auth.login(user, PASSWORD).status_code == 302  # unchanged
