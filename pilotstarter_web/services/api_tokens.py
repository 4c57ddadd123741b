"""Personal API tokens: create (shown once), list, revoke, and check one sent with a request.

A token is ``pst_`` plus 32 random bytes (URL-safe base64); only its SHA-256 is stored, as for calendar links
(meeting_calendar.py): the token is high-entropy, so a slow password hash would add nothing but cost on every
request. Creating and revoking are audited, and so is every token the API refuses (without the token itself).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import ApiToken, User, utcnow
from ..models.api_tokens import SCOPES
from . import audit
from .errors import InvalidInput, NotFound

PREFIX = "pst_"
MAX_TOKENS = 10  # live tokens per account
MAX_NAME = 100
MAX_TOKEN = 100  # longer header values are not ours: refused before hashing
EXPIRY_DAYS = (30, 90, 365)  # the choices offered; None (no expiry) too
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often (no write per request)
SHOWN_PREFIX = len(PREFIX) + 6  # "pst_" and six characters: enough to tell one's tokens apart


class TokenRejected(Exception):
    """The token is unknown, revoked, expired, or its account blocked: the API answers 401."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_tokens(user: User) -> list[ApiToken]:
    """The person's tokens that still work, newest first."""
    now = utcnow()
    return [t for t in _all_tokens(user) if t.live(now)]


def _all_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create_token(
    user: User, name: str, scope: str, expires_in_days: int | None, ip: str | None = None
) -> tuple[ApiToken, str]:
    """A new token for the person; returns the row and the token itself, which is never shown again.

    :raise InvalidInput: for a missing or too long name, an unknown scope or expiry, or too many tokens.
    """
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Geef het token een naam, bijvoorbeeld het systeem dat het gebruikt.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_("Een naam heeft hooguit %(n)d tekens.", n=MAX_NAME)]
    if scope not in SCOPES:
        errors["scope"] = [_("Kies lezen of lezen en schrijven.")]
    if expires_in_days is not None and expires_in_days not in EXPIRY_DAYS:
        errors["expires"] = [_("Kies een geldigheidsduur uit de lijst.")]
    if errors:
        raise InvalidInput(_("Controleer de gemarkeerde velden."), errors)
    if len(live_tokens(user)) >= MAX_TOKENS:
        raise InvalidInput(
            _("U heeft al %(n)d tokens. Trek er eerst een in.", n=MAX_TOKENS),
            {"name": [_("U heeft al %(n)d tokens. Trek er eerst een in.", n=MAX_TOKENS)]},
        )
    token = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id, name=name, prefix=token[:SHOWN_PREFIX], token_hash=digest(token), scope=scope,
        created_at=now, expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    audit.record("api_token.created", user, "api_token", row.id, ip, name=name, scope=scope, prefix=row.prefix)
    return row, token


def own_token(user: User, token_id: int) -> ApiToken:
    """:raise NotFound: for a token that is not the person's or no longer works."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or not row.live(utcnow()):
        raise NotFound(_("Dit token bestaat niet (meer)."))
    return row


def revoke_token(user: User, token_id: int, ip: str | None = None) -> ApiToken:
    """Stop a token at once (the row stays, so the audit log can name it). :raise NotFound: as own_token."""
    row = own_token(user, token_id)
    row.revoked_at = utcnow()
    audit.record("api_token.revoked", user, "api_token", row.id, ip, name=row.name, prefix=row.prefix)
    return row


def authenticate(token: str) -> ApiToken:
    """The live token of an active account this is. :raise TokenRejected: otherwise."""
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN:
        raise TokenRejected("malformed")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None:
        raise TokenRejected("unknown")
    if not row.live(utcnow()):
        raise TokenRejected("revoked" if row.revoked_at else "expired")
    if not row.user.active:
        raise TokenRejected("blocked")
    return row


def record_rejection(token: str, reason: str, ip: str | None, path: str) -> None:
    """Audit a refused token by its shown prefix only (a mistyped real token must not land in the log)."""
    known = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token))) if token else None
    audit.record(
        "api_token.rejected", known.user if known else None, "api_token", known.id if known else None, ip,
        commit=True, reason=reason, path=path[:254],
    )  # fmt: skip


def needs_touch(row: ApiToken, now: datetime) -> bool:
    return row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY


def touch(token_id: int, now: datetime) -> None:
    """Record use; the condition makes concurrent requests of one token write once per minute at most."""
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            func.coalesce(ApiToken.last_used_at, datetime(1970, 1, 1)) <= now - TOUCH_EVERY,
        )
        .values(last_used_at=now)
    )
