"""Security headers on public pages, private pages, exports, API answers and errors (M4)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import pilotstarter_web
from pilotstarter_web.extensions import db
from pilotstarter_web.security_headers import CONTENT_SECURITY_POLICY
from pilotstarter_web.services import portfolio
from tests.factories import make_pilot, make_user

TEMPLATES = sorted(Path(pilotstarter_web.__file__).parent.rglob("templates/**/*.html"))


def assert_always(response) -> None:
    """The headers every response carries."""
    h = response.headers
    assert h["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"):
        assert directive in h["Content-Security-Policy"]
    assert "unsafe-inline" not in h["Content-Security-Policy"]
    assert h["X-Frame-Options"] == "DENY"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in h["Permissions-Policy"]
    assert "Strict-Transport-Security" not in h  # the tests run as development (SESSION_COOKIE_SECURE off)


def test_a_public_page_has_the_headers_and_stays_cacheable(client):
    pilot = make_pilot()
    response = client.get(f"/pilots/{pilot.slug}")
    assert response.status_code == 200
    assert_always(response)
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_logged_in_users_pages_are_not_stored(client, auth):
    pilot = make_pilot()
    auth.login(make_user())
    for url in ("/account/", f"/pilots/{pilot.slug}", "/notifications"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        assert_always(response)
        assert response.headers["Cache-Control"] == "no-store", url


def test_an_export_is_not_stored(client, auth):
    staff = make_user("vng", role="vng_staff")
    meeting = portfolio.create_meeting(staff, dt.date.today() + dt.timedelta(days=30), "Overleg")
    db.session.commit()
    auth.login(staff)
    for ext in ("md", "csv"):
        response = client.get(f"/portfolio/meetings/{meeting.id}/agenda.{ext}")
        assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
        assert_always(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_public_ones_cacheable_personal_ones_not(client, auth):
    public = client.get("/api/v1/pilots")
    assert public.status_code == 200
    assert_always(public)
    assert "no-store" not in public.headers.get("Cache-Control", "")
    auth.login(make_user())
    personal = client.get("/api/v1/notifications")
    assert personal.status_code == 200 and personal.mimetype == "application/json"
    assert_always(personal)
    assert personal.headers["Cache-Control"] == "no-store"


def test_a_personal_api_answer_is_not_stored_even_without_a_session(client):
    response = client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert_always(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_errors_carry_the_headers_too(client):
    response = client.get("/pilots/bestaat-niet")
    assert response.status_code == 404
    assert_always(response)


def test_a_page_with_a_token_in_its_url_sends_no_referrer(client):
    response = client.get("/account/reset/niet-geldig")
    assert_always(response)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_only_outside_development(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    response = client.get("/pilots")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_static_files_keep_their_caching_for_logged_in_users(client, auth):
    auth.login(make_user())
    with client.get("/static/js/app.js") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_templates_need_no_unsafe_inline(template):
    """The policy allows no inline script or style: a template that adds one breaks in the browser."""
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "inline <script>: move it to static/js"
    assert not re.search(r"<style[\s>]", html), "<style>: move it to static/css"
    assert not re.search(r"\sstyle\s*=", html), "style= attribute: use a class"
    assert not re.search(r"\son[a-z]+\s*=", html), "event-handler attribute: use addEventListener in static/js"
    assert "javascript:" not in html
