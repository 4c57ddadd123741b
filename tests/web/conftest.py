"""Fixtures for page tests; they opt in with `pytestmark = pytest.mark.usefixtures("fresh_g_per_request")`."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask import Flask, g, request_started


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


@pytest.fixture
def fresh_g_per_request(app):
    with fresh_g(app):
        yield
