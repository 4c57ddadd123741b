"""Rate limits on anonymous writes (Flask-Limiter), counted in our own database.

Why a `limits` storage on the database and not Redis or memory: memory counts per worker process, and the
database is the one store every worker and every app host already shares, so no new service is needed.
The storage is small because Flask-Limiter's default fixed-window strategy only needs an atomic
increment that starts a new window when the old one ran out (`services/throttle.hit_window`: one
INSERT … ON CONFLICT DO UPDATE … RETURNING on SQLite and PostgreSQL alike).

Each counter update runs in its own short transaction on its own connection, committed at once: a
request that is then refused or fails still counts, and the request's own transaction is untouched.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, current_app
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from .database import set_write_intent
from .errors import http_error_response
from .extensions import db
from .services import throttle


def client_key() -> str:
    """Whom a limit counts: an API token by token, a logged-in person by account, anyone else by address.

    Municipal staff often share one address (a town hall's NAT): counted by address, one busy office would
    use up its colleagues' previews and similarity checks. Anonymous requests have nothing else to go by.
    Each token counts apart, so one runaway script does not stop its owner's other scripts or the site.
    """
    from flask import g
    from flask_login import current_user

    if (token := g.get("api_token")) is not None:
        return f"token:{token.id}"
    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


limiter = Limiter(key_func=client_key)


@contextmanager
def _connection() -> Iterator[Connection]:
    """A short write transaction of its own (BEGIN IMMEDIATE on SQLite: no lock upgrade to fail).

    Limits are checked before the view touches the database. A transaction the request's session already
    holds at that point (one left open across requests, as in tests, or a session loader's read) is ended
    first: on SQLite its old snapshot could not write after our commit, and a write lock it held would
    make us wait for ourselves.
    """
    if db.session().in_transaction():
        db.session.commit()
    previous = set_write_intent(True)
    try:
        with db.engine.begin() as conn:
            yield conn
    finally:
        set_write_intent(previous)


@contextmanager
def _reading() -> Iterator[Connection]:
    """A read of its own with a plain BEGIN: the Retry-After and X-RateLimit headers are read after the view,
    while the request's session may hold SQLite's write lock (WAL readers never wait for it)."""
    previous = set_write_intent(False)
    try:
        with db.engine.connect() as conn:
            yield conn
    finally:
        set_write_intent(previous)


class DatabaseStorage(Storage):
    """A `limits` storage for the fixed-window strategy on the app's database (`pilotstarter-db://`).

    The engine is the current app's, so two apps (or hosts) on one database share their counts.
    """

    STORAGE_SCHEME = ["pilotstarter-db"]  # noqa: RUF012  (the base class declares it so)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with _connection() as conn:
            if secrets.randbelow(200) == 0:  # now and then: rows of windows long over
                throttle.purge_expired(conn)
            return throttle.hit_window(conn, key, expiry, amount)

    def get(self, key: str) -> int:
        with _reading() as conn:
            return throttle.window(conn, key)[0]

    def get_expiry(self, key: str) -> float:
        with _reading() as conn:
            return throttle.window(conn, key)[1]

    def check(self) -> bool:
        try:
            with _reading() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with _connection() as conn:
            return throttle.clear_window(conn)

    def clear(self, key: str) -> None:
        with _connection() as conn:
            throttle.clear_window(conn, key)


def configured(name: str):
    """A limit read from the config at request time (RATELIMIT_SIMILAR …), so tests and deployments set it."""
    return lambda: current_app.config[name]


def _too_many_requests(exc: RateLimitExceeded) -> Response:
    """The usual 429 page or problem+json, with Retry-After: the seconds until the breached window ends.

    (Flask-Limiter's own header option would put Retry-After on every response, even a 200.)
    """
    response = http_error_response(exc)
    current = limiter.current_limit
    wait = math.ceil(current.reset_at - time.time()) if current is not None else 60
    response.headers["Retry-After"] = str(max(wait, 1))
    return response


def init_app(app: Flask) -> None:
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
