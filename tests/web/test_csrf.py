"""CSRF protection on a second app with WTF_CSRF_ENABLED (the shared test app turns it off)."""

from __future__ import annotations

import html
import re
import time

import pytest
from flask import session
from flask_wtf.csrf import validate_csrf
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from wtforms import ValidationError

from pilotstarter_web import create_app
from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot, Revision
from pilotstarter_web.services import follows
from pilotstarter_web.services.organisations import load_reference_organisations
from tests.conftest import CONTENT, fresh_g
from tests.factories import PASSWORD, make_pilot, make_user

CSRF_PAGE = "Het formulier was verlopen of ongeldig (beveiligingscode)"
EXPIRED_FORM = "Het formulier was te lang open en is verlopen. Uw tekst staat er nog"
BODY = "## Aanleiding\n\nDe eerste versie.\n"


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("csrf")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "csrf-test-secret",
            "DATA_DIR": str(data_dir),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'csrf.db'}",
            "WTF_CSRF_ENABLED": True,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "MAIL_SERVER": "",
            "ARGON2_PROFILE": "CHEAPEST",
            "SEARCH_REBUILD_INLINE": True,  # no background indexing thread in tests
        }
    )
    with app.app_context():
        db.create_all()
        load_reference_organisations(CONTENT / "organisations")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def csrf_client(csrf_app):
    """A client of the CSRF app; the app's context is pushed so factories write to its database."""
    with csrf_app.app_context(), fresh_g(csrf_app):
        yield csrf_app.test_client()
        db.session.rollback()


def form_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def field(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def login(client, user) -> None:
    token = form_token(client.get("/account/login").get_data(as_text=True))
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def assert_refused(response) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ongeldig verzoek" in page and CSRF_PAGE in page


def test_login_without_a_token_is_refused(csrf_client):
    user = make_user()
    assert_refused(csrf_client.post("/account/login", data={"email": user.email, "password": PASSWORD}))
    assert csrf_client.get("/account/profile").status_code == 302
    assert_refused(
        csrf_client.post("/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "vals"})
    )
    login(csrf_client, user)  # with the token from the form it works
    assert csrf_client.get("/account/profile").status_code == 200


def test_logout_without_a_token_is_refused(csrf_client):
    login(csrf_client, make_user())
    assert_refused(csrf_client.post("/account/logout"))
    page = csrf_client.get("/account/profile")
    assert page.status_code == 200
    token = form_token(page.get_data(as_text=True))  # the logout button in the header carries one
    assert csrf_client.post("/account/logout", data={"csrf_token": token}).status_code == 302
    assert csrf_client.get("/account/profile").status_code == 302


def test_ending_sessions_without_a_token_is_refused(csrf_app, csrf_client):
    user = make_user()
    login(csrf_client, user)
    phone = csrf_app.test_client()
    login(phone, user)
    assert_refused(csrf_client.post("/account/sessions/end-others"))
    assert_refused(csrf_client.post("/account/sessions/end-all"))
    assert phone.get("/account/profile").status_code == 200 and csrf_client.get("/account/profile").status_code == 200


def test_join_without_a_token_is_refused(csrf_client):
    pilot = make_pilot(make_user("GM0599"))
    login(csrf_client, make_user("GM0363"))
    assert_refused(csrf_client.post(f"/pilots/{pilot.slug}/join", data={"interest": "1"}))
    db.session.expire_all()
    assert [p.organisation.code for p in pilot.participations] == ["GM0599"]


def test_preview_needs_the_token_from_the_page_header(csrf_client):
    page = csrf_client.get("/pilots").get_data(as_text=True)
    header_token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    assert csrf_client.post("/pilots/preview", json={"body": "**vet**"}).status_code == 400
    answer = csrf_client.post("/pilots/preview", json={"body": "**vet**"}, headers={"X-CSRFToken": header_token})
    assert answer.status_code == 200 and "<strong>vet</strong>" in answer.get_json()["html"]


def expired_token(client, app, monkeypatch) -> str:
    """A token for this browser session, signed two hours ago (the limit is one hour)."""
    with client.session_transaction() as browser_session:
        raw = browser_session["csrf_token"]
    limit = app.config["WTF_CSRF_TIME_LIMIT"]
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 2 * limit)
        token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    with app.test_request_context():  # a well-made token whose only fault is its age
        session["csrf_token"] = raw
        validate_csrf(token, time_limit=3 * limit)
        with pytest.raises(ValidationError, match="expired"):
            validate_csrf(token)
    return token


@pytest.mark.parametrize("token", ["missing", "expired"])
def test_edit_with_a_bad_token_comes_back_with_the_text_and_a_warning(csrf_app, csrf_client, monkeypatch, token):
    pilot = make_pilot(make_user("GM0599"), title="Lange bewerking", body=BODY)
    login(csrf_client, make_user("GM0363"))
    form = csrf_client.get(f"/pilots/{pilot.slug}/edit").get_data(as_text=True)
    my_text = BODY + "\nEen uur werk van mij: resultaten & lessen.\n"
    data = {
        "title": "Lange bewerking (bijgewerkt)",
        "summary": "Nieuwe samenvatting",
        "body": my_text,
        "themes": ["data"],
        "status": "lopend",
        "edit_summary": "resultaten",
        "base_revision": field(form, "base_revision"),
        "token": field(form, "token"),
    }
    if token == "expired":
        data["csrf_token"] = expired_token(csrf_client, csrf_app, monkeypatch)

    response = csrf_client.post(f"/pilots/{pilot.slug}/edit", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert EXPIRED_FORM in page and "utrecht-alert--warning" in page
    assert html.escape(my_text, quote=False) in page
    assert field(page, "title") == "Lange bewerking (bijgewerkt)" and field(page, "edit_summary") == "resultaten"
    assert db.session.scalar(select(func.count(Revision.id)).where(Revision.pilot_id == pilot.id)) == 1

    data["csrf_token"] = form_token(page)  # the returned form carries a fresh token: saving again works
    assert csrf_client.post(f"/pilots/{pilot.slug}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert pilot.current_revision.number == 2 and pilot.current_revision.body == my_text


def test_new_pilot_without_a_token_comes_back_with_the_text(csrf_client):
    login(csrf_client, make_user())
    response = csrf_client.post(
        "/pilots/new", data={"title": "Mijn idee", "body": "Veel tekst.", "status": "idee", "themes": ["data"]}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and EXPIRED_FORM in page
    assert field(page, "title") == "Mijn idee" and "Veel tekst." in page
    assert db.session.scalar(select(func.count(Pilot.id)).where(Pilot.title == "Mijn idee")) == 0


def test_follow_buttons_and_saved_searches_need_the_token(csrf_client):
    user = make_user()
    login(csrf_client, user)
    for url in ("/themas/jeugd/volgen", "/organisations/GM0599/volgen", "/account/volgt/zoekopdrachten"):
        assert_refused(csrf_client.post(url, data={"q": "jeugd"}))
    page = csrf_client.get("/themas/jeugd").get_data(as_text=True)
    token = (
        form_token(page)
        if 'name="csrf_token" type="hidden"' in page
        else re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    )
    assert csrf_client.post("/themas/jeugd/volgen", data={"csrf_token": token}).status_code == 302
    assert follows.is_following_theme(user, "jeugd")
