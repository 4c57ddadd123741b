"""Personal API tokens on /api/v1: ``Authorization: Bearer <token>`` makes the request that token's person's.

The token logs in this one request only: the user is put where Flask-Login caches it (``g._login_user``)
before the session check runs, so no session row is read or written and no cookie is set. A token that is
unknown, revoked, expired or whose account is blocked is refused with 401 (audited). Write endpoints
(:func:`writes`) need a token with the write scope (403 otherwise) or a logged-in browser session sending
JSON, which a cross-site form cannot do: the JSON API is exempt from CSRF form tokens, as before.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, abort, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse

from ..auth_session import write_now
from ..errors import audit_refusal, problem
from ..json_body import JsonBodyError
from ..models import User, utcnow
from ..rate_limits import configured, limiter
from ..services import api_tokens
from ..transactions import commits

API_PREFIX = "/api/v1/"
View = TypeVar("View", bound=Callable[..., object])


def init_app(app: Flask) -> None:
    """Register the token check; create_app calls this before the session check (auth_session.init_app)."""
    app.before_request(_load_token)


def _bearer() -> str | None:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def unauthorized(detail: str, error: str | None = None) -> Response:
    """401 problem+json with the challenge RFC 6750 asks for."""
    response = problem(401, detail)
    response.headers["WWW-Authenticate"] = 'Bearer realm="pilotstarter"' + (f', error="{error}"' if error else "")
    return response


def _load_token() -> Response | None:
    if not request.path.startswith(API_PREFIX) or (token := _bearer()) is None:
        return None
    try:
        row = api_tokens.authenticate(token)
    except api_tokens.TokenRejected as exc:
        if (wait := _rejections_exhausted()) is not None:
            response = problem(429, _("Te veel geweigerde API-tokens vanaf dit adres. Wacht even."))
            response.headers["Retry-After"] = str(wait)
            return response
        api_tokens.record_rejection(token, str(exc), request.remote_addr, request.path)
        return unauthorized(
            _(
                "Dit API-token werkt niet (meer): het is onbekend, ingetrokken of verlopen, of het account is geblokkeerd."
            ),
            "invalid_token",
        )
    g.api_token = row
    g._login_user = row.user  # Flask-Login's per-request cache: logged in for this request only
    now = utcnow()
    if api_tokens.needs_touch(row, now):
        write_now(lambda: api_tokens.touch(row.id, now))
    return None


def _rejections_exhausted() -> int | None:
    """Count a refused token against its address (the limiter's shared storage); the seconds to wait once the
    limit is spent, else None. Each refusal writes an audit row, so guessing must not be free."""
    item = parse(current_app.config["RATELIMIT_API_REJECTED"])
    key = request.remote_addr or ""
    if limiter.limiter.hit(item, "api-token-rejected", key):
        return None
    reset = limiter.limiter.get_window_stats(item, "api-token-rejected", key).reset_time
    return max(math.ceil(reset - time.time()), 1)


def require_api_user() -> User:
    """The request's person, by token or session. :raise 401: for anonymous requests."""
    if not current_user.is_authenticated:
        abort(unauthorized(_("Meld u aan met een API-token: Authorization: Bearer <token>.")))
    return current_user._get_current_object()


def require_api_writer() -> User:
    """The person for a write: a write-scoped token, or a session sending JSON (DELETE has no body).

    :raise 401: anonymous; :raise 403: a read-only token; :raise JsonBodyError: a session's form post (415).
    """
    user = require_api_user()
    token = g.get("api_token")
    if token is None:
        if request.method != "DELETE" and not request.is_json:
            raise JsonBodyError(415, _("Stuur JSON (Content-Type: application/json)."))
        return user
    if "write" not in token.scopes:
        audit_refusal("api_token.insufficient_scope")
        response = problem(403, _("Dit API-token mag alleen lezen. Maak een token met schrijfrechten."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="pilotstarter", error="insufficient_scope"'
        abort(response)
    return user


def _token_reads_exempt() -> bool:
    return g.get("api_token") is None


# Every token request counts against its token's read limit; write endpoints count against the write limit.
read_limit = limiter.limit(configured("RATELIMIT_API_READ"), exempt_when=_token_reads_exempt)
write_limit = limiter.shared_limit(configured("RATELIMIT_API_WRITE"), scope="api-write")


def writes(view: View) -> View:
    """A write endpoint: a writer (see :func:`require_api_writer`), the write limit, one commit."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        require_api_writer()
        return view(*args, **kwargs)

    return write_limit(commits(wrapper))  # type: ignore[return-value]
