"""Shared fixtures: an app on a fresh database (SQLite, or PostgreSQL via TEST_DATABASE_URL), a client,
a CLI runner, an `auth` helper, and a guard that forbids real e-mail and outside network."""

from __future__ import annotations

import os
import smtplib
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask, g, request_started
from sqlalchemy import delete, select

from pilotstarter_web import create_app
from pilotstarter_web.database import set_write_intent
from pilotstarter_web.extensions import db
from pilotstarter_web.models import (
    Organisation,
    Pilot,
    User,
)
from pilotstarter_web.services.accounts import user_by_email
from pilotstarter_web.services.fulltext_search import search_service
from pilotstarter_web.services.matchmaking.similarity import similarity_service
from pilotstarter_web.services.organisations import load_reference_organisations
from tests.factories import totp_code

CONTENT = Path(__file__).resolve().parent.parent / "content"
REFERENCE_CODES: set[str] = set()


def database_url(tmp_dir: Path) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set (CI sets it), else a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_dir / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATA_DIR": str(data_dir),
            "SQLALCHEMY_DATABASE_URI": database_url(data_dir),
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "MAIL_SERVER": "",
            "PUBLIC_URL": "http://localhost",  # links in mails, as the test client's requests see the site
            "ARGON2_PROFILE": "CHEAPEST",
            "SEARCH_REBUILD_INLINE": True,
            # Staff log in with a password alone here, so every test of staff pages (and the browser tests,
            # which serve this app) needs no authenticator. The requirement itself is tested with it on:
            # tests/web/test_two_factor_pages.py (fixture `two_factor_required`).
            "TWO_FACTOR_REQUIRED_ROLES": (),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_reference_organisations(CONTENT / "organisations")
        db.session.commit()
        REFERENCE_CODES.update(db.session.scalars(select(Organisation.code)))
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()  # close pooled connections before the interpreter does (ResourceWarning)


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each test starts with only the reference organisations (and no write intent left over from the last
    request of the previous test: test code outside a request would start BEGIN IMMEDIATE and lock out a
    second connection, as in test_pilot_documents.py)."""
    set_write_intent(False)
    with app.app_context():
        yield
        wipe_database()
        db.session.remove()


def wipe_database() -> None:
    """Back to only the reference organisations: every other row of every table goes, children first (new
    tables are cleaned without touching this function), and the derived data with them."""
    db.session.rollback()
    db.session.execute(Pilot.__table__.update().values(current_revision_id=None))
    db.session.execute(User.__table__.update().values(verified_by_id=None))
    for table in reversed(db.metadata.sorted_tables):
        if table is Organisation.__table__:
            db.session.execute(delete(Organisation).where(Organisation.code.not_in(REFERENCE_CODES)))
        else:
            db.session.execute(table.delete())
    db.session.commit()
    search_service().drop()  # derived data: rebuilt from the (now empty) database when next needed
    similarity_service().drop()


@contextmanager
def fresh_g(app: Flask):
    """Give every request of `app` an empty flask.g, as a real server does.

    tests/conftest.py keeps an app context pushed for the whole test and the test client's requests reuse it,
    so flask.g lives as long as the test: Flask-Login's cached user (g._login_user) and Flask-Babel's locale
    carry over from one request, or one client, to the next, and a test of logging out, cookies or other
    sessions would still see the old user."""

    def empty_g(sender, **extra):
        for key in list(g):
            g.pop(key)

    request_started.connect(empty_g, app)
    try:
        yield
    finally:
        request_started.disconnect(empty_g, app)


@pytest.fixture(autouse=True)
def _fresh_g_per_request(app):
    with fresh_g(app):
        yield


@pytest.fixture(autouse=True)
def _no_mail_or_network(monkeypatch, request):
    """Tests never send real e-mail or reach outside hosts (loopback is allowed for browser tests)."""

    def refuse_smtp(*args, **kwargs):
        raise AssertionError("a test tried to send real e-mail")

    monkeypatch.setattr(smtplib, "SMTP", refuse_smtp)
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
            raise AssertionError(f"a test tried to reach {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def two_factor_required(app):
    """The production default: VNG staff and admins must use two-factor login (the test app turns it off)."""
    before = app.config["TWO_FACTOR_REQUIRED_ROLES"]
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = ("vng_staff", "admin")
    yield
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = before


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log in through the real login form (flaskr's AuthActions); for an account with two-factor login it
    fills in the second step too, with a code computed from the account's secret."""

    def __init__(self, client) -> None:
        self._client = client

    def login(self, user_or_email, password: str = "correct-horse-battery"):
        email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
        response = self._client.post("/account/login", data={"email": email, "password": password})
        if response.status_code == 302 and response.headers["Location"].startswith("/account/login/code"):
            user = user_by_email(email)
            response = self._client.post(response.headers["Location"], data={"code": totp_code(user)})
        return response

    def logout(self):
        return self._client.post("/account/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def still_clock(monkeypatch):
    """Stop the throttle's clock (services/throttle.py), so a test's back-off waits cannot run out meanwhile."""
    from pilotstarter_web.services import throttle

    monkeypatch.setattr(throttle, "clock", lambda: 1_900_000_000.0)
