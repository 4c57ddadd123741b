"""A test client that talks to /api/v1 with only a personal API token (no session cookie, ever)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from pilotstarter_web.extensions import db
from pilotstarter_web.models import User
from pilotstarter_web.services.api_tokens import create_token


def new_token(user: User, scope: str = "write", days: int | None = None) -> str:
    """A token made through the service, committed; returns the token itself."""
    _row, token = create_token(user, f"script {scope}", scope, days)
    db.session.commit()
    return token


class TokenClient:
    """Every request carries ``Authorization: Bearer``; cookies are never kept (use_cookies=False)."""

    def __init__(self, app: Flask, token: str) -> None:
        self.token = token
        self._client: FlaskClient = app.test_client(use_cookies=False)

    def _headers(self, headers: dict | None) -> dict:
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def open(self, method: str, url: str, headers: dict | None = None, **kwargs):
        return self._client.open(url, method=method, headers=self._headers(headers), **kwargs)

    def get(self, url: str, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.open("POST", url, **kwargs)

    def put(self, url: str, **kwargs):
        return self.open("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs):
        return self.open("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs):
        return self.open("DELETE", url, **kwargs)
