"""The language switch (/taal/<lang>), the order in which a request's language is chosen, and Dutch user text
marked lang="nl" on an English page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from babel.dates import format_date
from flask_babel import force_locale

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent
from tests.factories import make_pilot, make_user


def page(client, path: str, **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_anonymous_visitor_switches_to_english_and_back_on_the_same_page(client):
    response = client.get("/taal/en?next=/pilots?status=lopend")
    assert response.status_code == 302 and response.headers["Location"] == "/pilots?status=lopend"
    english = page(client, "/pilots?status=lopend")
    assert '<html lang="en"' in english and ">Organisations</a>" in english and "Filter pilots" in english
    # the way back is named in its own language, and says so
    assert 'href="/taal/nl?next=/pilots?status%3Dlopend" hreflang="nl" lang="nl">Nederlands</a>' in english
    assert client.get("/taal/nl?next=/").headers["Location"] == "/"
    dutch = page(client, "/")
    assert '<html lang="nl"' in dutch and "Deel pilots, vind partners, schaal samen op" in dutch
    assert 'hreflang="en" lang="en">English</a>' in dutch


def test_the_home_page_and_its_navigation_in_english(client):
    client.get("/taal/en")
    home = page(client, "/")
    assert '<h1 class="utrecht-heading-1">Share pilots, find partners, scale up together</h1>' in home
    for label in ("Pilots", "Organisations", "Activity", "Themes", "Log in", "Register", "Skip to content"):
        assert f">{label}<" in home, label
    assert "Organisaties" not in home and "Inloggen" not in home


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "pilots"],
)
def test_the_switch_never_leaves_the_site(client, target):
    response = client.get("/taal/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_only_offered_languages_can_be_chosen(client):
    assert client.get("/taal/de?next=/pilots").status_code == 404
    assert '<html lang="nl"' in page(client, "/")


def test_the_choice_comes_first_then_the_account_then_the_browser(client, auth):
    assert '<html lang="en"' in page(client, "/", **{"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="nl"' in page(client, "/", **{"Accept-Language": "fr, de"})
    client.get("/taal/nl")
    assert '<html lang="nl"' in page(client, "/", **{"Accept-Language": "en"})  # an explicit choice wins

    with client.session_transaction() as session:
        session.clear()
    user = make_user(email="engels@example.nl")
    user.locale = "en"
    db.session.commit()
    auth.login(user)
    assert '<html lang="en"' in page(client, "/", **{"Accept-Language": "nl"})  # the account's language


def test_a_logged_in_switch_is_stored_on_the_account_and_audited(client, auth):
    user = make_user(email="wissel@example.nl")
    auth.login(user)
    response = client.post("/taal/en", data={"next": "/account/profile"})
    assert response.headers["Location"] == "/account/profile"
    db.session.expire_all()
    assert user.locale == "en"
    event = db.session.query(AuditEvent).filter_by(action="account.profile_changed", object_id=str(user.id)).one()
    assert event.data["new"] == {"locale": "en"}
    profile = page(client, "/account/profile")
    assert '<html lang="en"' in profile and ">Language</label>" in profile
    # the logged-in header posts a form (CSRF-protected) with the way back
    assert (
        '<button type="submit" class="utrecht-link-button utrecht-link-button--html-button" lang="nl">Nederlands'
        in profile
    )


def test_saving_the_profile_language_is_the_latest_choice(client, auth):
    user = make_user(email="profiel@example.nl", name="Profiel")
    auth.login(user)
    client.get("/taal/en")
    client.post("/account/profile", data={"name": "Profiel", "locale": "nl"})
    assert '<html lang="nl"' in page(client, "/")


def test_pilot_text_inside_an_english_page_is_marked_dutch(client):
    pilot = make_pilot(make_user("GM0344"), title="Slimme lantaarnpalen", summary="Licht als het nodig is.")
    make_pilot(make_user("GM0599"), title="Digitale balie")
    db.session.commit()
    dutch = page(client, f"/pilots/{pilot.slug}")
    assert 'lang="nl"' not in dutch.split("<html", 1)[1].split(">", 1)[1]  # on a Dutch page only <html> says it

    client.get("/taal/en")
    english = page(client, f"/pilots/{pilot.slug}")
    assert '<h1 class="utrecht-heading-1" lang="nl">Slimme lantaarnpalen</h1>' in english
    assert '<p class="utrecht-paragraph lead" lang="nl">Licht als het nodig is.</p>' in english
    assert '<div class="markdown-body" lang="nl">' in english
    assert '<span lang="nl">Rotterdam</span>' in english  # the owner, a Dutch organisation name
    assert "Participants" in english and "Deelnemers" not in english

    listing = page(client, "/pilots")
    assert 'lang="nl">Digitale balie</a>' in listing
    assert '<p class="utrecht-paragraph" lang="nl">Een korte samenvatting.</p>' in listing
    assert '<span lang="nl">Rotterdam</span>' in page(client, "/organisations")


def test_dates_and_numbers_follow_the_language(client, app):
    make_pilot(make_user("GM0344"), title="Datumproef")
    db.session.commit()
    today = datetime.now(UTC)
    assert format_date(today, "d MMMM y", locale="nl") in page(client, "/pilots/datumproef")
    client.get("/taal/en")
    assert format_date(today, "d MMMM y", locale="en") in page(client, "/pilots/datumproef")
    number = app.jinja_env.filters["number"]
    with app.test_request_context("/"):
        with force_locale("en"):
            assert number(12345) == "12,345"
        with force_locale("nl"):
            assert number(12345) == "12.345"


def test_error_pages_and_api_problems_are_in_the_chosen_language(client):
    client.get("/taal/en")
    missing = client.get("/bestaat-niet")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    problem = client.get("/api/v1/pilots?page=0").get_json()
    assert problem["title"] == "Bad request" and problem["detail"].startswith("'page' must be between 1 and")


def test_the_choice_survives_login_and_logout(client, auth):
    client.get("/taal/en")
    auth.login(make_user(email="blijft@example.nl"))
    assert '<html lang="en"' in page(client, "/")
    auth.logout()
    assert '<html lang="en"' in page(client, "/")
