"""Server-side login sessions: start, find, expire, list and end them.

A login is a `UserSession` row. The cookie (Flask's session and the remember-me cookie alike) carries
"<row id>:<token>"; the row keeps only the token's SHA-256 (the token has 256 random bits, so a fast hash
is enough), so a database leak does not hand out logins. Ending the row ends the login on every device
that holds a copy of the cookie: logout, "overal uitloggen", a new password, a blocked account.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from ..extensions import db
from ..models import User, UserSession, utcnow
from . import audit
from .errors import NotFound

# last_seen_at is written at most this often, so an active user costs one write a minute, not one a request.
TOUCH_INTERVAL = timedelta(minutes=1)
TIMEOUTS = ("idle", "absolute")
RETENTION = timedelta(days=30)  # ended sessions stay listed in the database this long
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))  # fmt: skip


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def summarise_user_agent(user_agent: str) -> str:
    """A summary like "Firefox, Windows": enough to recognise a device on the sessions page, without storing the whole string."""
    user_agent = (user_agent or "")[:512]  # bounded: the header is the client's to choose
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    summary = ", ".join(part for part in (browser, system) if part)
    return summary or re.sub(r"\s+", " ", user_agent)[:120]


def start(
    user: User, *, remember: bool, ip: str | None, user_agent: str, pending_second_factor: bool = False
) -> tuple[UserSession, str]:
    """Make a session row; returns it with the login id for the cookie ("<row id>:<token>")."""
    _purge_old(user)
    token = secrets.token_urlsafe(32)
    row = UserSession(
        user=user,
        token_hash=_digest(token),
        ip=ip,
        user_agent=summarise_user_agent(user_agent),
        remember=remember,
        pending_second_factor=pending_second_factor,
        failed_codes=0,
    )
    db.session.add(row)
    db.session.flush()
    return row, f"{row.id}:{token}"


def _purge_old(user: User) -> None:
    """Forget this user's sessions that ended, or went unused, long ago (the audit log keeps their history)."""
    keep_for = max(RETENTION, current_app.config["REMEMBER_COOKIE_DURATION"] + timedelta(days=1))
    cutoff = utcnow() - keep_for
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, or_(UserSession.ended_at < cutoff, UserSession.last_seen_at < cutoff)
        )
    )


def find(login_id: str | None) -> UserSession | None:
    """The row a login id names when its token matches: one primary-key read. Ended rows are returned too."""
    row_id, _sep, token = (login_id or "").partition(":")
    if not row_id.isdigit() or not token:
        return None
    row = db.session.get(UserSession, int(row_id))
    if row is None or not hmac.compare_digest(row.token_hash, _digest(token)):
        return None
    return row


def limits(row: UserSession) -> tuple[timedelta, timedelta]:
    """(idle, absolute) for this row: "ingelogd blijven" lasts the remember-me period, otherwise the session limits."""
    cfg = current_app.config
    if row.remember:
        return cfg["REMEMBER_COOKIE_DURATION"], cfg["REMEMBER_COOKIE_DURATION"]
    return cfg["PERMANENT_SESSION_LIFETIME"], cfg["SESSION_ABSOLUTE_LIFETIME"]


def ended_because(row: UserSession, now: datetime) -> str | None:
    """Why this row no longer logs anyone in ("ended", "idle", "absolute"), or None while it does."""
    if row.ended_at is not None or not row.user.active:
        return "ended"
    idle, absolute = limits(row)
    if now - row.created_at > absolute:
        return "absolute"
    if now - row.last_seen_at > idle:
        return "idle"
    return None


def needs_touch(row: UserSession, now: datetime) -> bool:
    return now - row.last_seen_at >= TOUCH_INTERVAL


def touch(row_id: int, now: datetime) -> None:
    """Record activity; the condition keeps concurrent requests of one session to one write a minute."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == row_id, UserSession.last_seen_at <= now - TOUCH_INTERVAL)
        .values(last_seen_at=now)
    )


def end(row: UserSession, reason: str, actor: User | None = None, ip: str | None = None) -> None:
    """End one session (idempotent) and audit it."""
    if row.ended_at is not None:
        return
    row.ended_at = utcnow()
    row.end_reason = reason
    audit.record("session.ended", actor or row.user, "user_session", row.id, ip, reason=reason, user_id=row.user_id)
    db.session.flush()


def end_all(
    user: User, reason: str, keep: UserSession | None = None, actor: User | None = None, ip: str | None = None
) -> int:
    """End every live session of `user` (pending second steps too), except `keep`; returns how many ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    count = db.session.execute(
        query.values(ended_at=utcnow(), end_reason=reason), execution_options={"synchronize_session": "fetch"}
    ).rowcount
    audit.record(
        "session.ended_all", actor or user, "user", user.id, ip, reason=reason, count=count, kept=keep and keep.id
    )
    db.session.flush()
    return count


def active_sessions(user: User) -> list[UserSession]:
    """The user's logged-in sessions that still work, most recently used first."""
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.pending_second_factor.is_(False),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [row for row in rows if ended_because(row, now) is None]


def end_own(user: User, session_id: int, ip: str | None = None) -> UserSession:
    """End one of your own sessions from the sessions page. :raise NotFound: for anyone else's or an ended one."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id or row.ended_at is not None or row.pending_second_factor:
        raise NotFound(_("Deze sessie bestaat niet (meer)."))
    end(row, "ended_by_user", actor=user, ip=ip)
    return row
