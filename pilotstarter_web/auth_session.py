"""Login sessions in the web layer: every request is checked against its server-side row (services/sessions.py).

Flask-Login's id is "<session row id>:<token>" (User.get_id), in the session cookie and in the remember-me
cookie alike, so a copied cookie stops working the moment its row ends. Idle and absolute timeouts are
enforced from the row, not from anything the client sends back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_login.config import COOKIE_NAME
from sqlalchemy.exc import OperationalError

from . import i18n
from .database import set_write_intent
from .extensions import db, login_manager
from .models import User, UserSession, utcnow
from .services import sessions, two_factor

log = logging.getLogger("pilotstarter.sessions")
_FLASK_LOGIN_KEYS = ("_user_id", "_fresh", "_id")
PENDING_KEY = "pending_login"  # "<row id>:<token>" of a login waiting for its two-factor code
# What staff who must still enrol in two-factor login may reach.
ENROLMENT_ENDPOINTS = frozenset(
    {"account.two_factor", "account.two_factor_start", "account.two_factor_confirm", "account.logout"}
)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_check_login)


def current_session() -> UserSession | None:
    """The session row of this request's login, if logged in."""
    return g.get("user_session") if current_user.is_authenticated else None


def write_now(work: Callable[[], None]) -> None:
    """A small write of its own (touch, expiry) before the request's work, begun as a write transaction.

    On SQLite a read transaction that turns into a write fails at once when another process wrote meanwhile
    (database.py), so the read so far is closed first and the write starts with BEGIN IMMEDIATE.
    """
    db.session.commit()
    before = set_write_intent(True)
    try:
        work()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        set_write_intent(before)


def _drop_remember_cookie() -> None:
    """Have Flask-Login delete this browser's remember-me cookie, if it sent one."""
    if current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies:
        session["_remember"] = "clear"


def _forget_login() -> None:
    """Drop a dead login from the cookie, and the remember-me cookie with it."""
    for key in _FLASK_LOGIN_KEYS:
        session.pop(key, None)
    _drop_remember_cookie()


@login_manager.user_loader
def _load_user(login_id: str) -> User | None:
    """Logged in only while the session row lives; ends a row whose idle or absolute limit has passed."""
    row = sessions.find(login_id)
    if row is None or row.pending_second_factor:
        _forget_login()
        return None
    now = utcnow()
    reason = sessions.ended_because(row, now)
    if reason is not None:
        if reason in sessions.TIMEOUTS:
            write_now(lambda: sessions.end(row, reason, ip=request.remote_addr))
            g.session_timed_out = True
        _forget_login()
        return None
    if sessions.needs_touch(row, now):
        try:
            write_now(lambda: sessions.touch(row.id, now))
        except OperationalError:  # a busy database must not fail the page: last_seen_at waits for the next request
            log.warning("last_seen_at of session %s not written: database busy", row.id)
    g.user_session = row
    user = row.user
    user.login_id = login_id
    return user


def _check_login() -> Response | None:
    """Load the login at the start of every request (one primary-key read), so no page sees a dead one;
    send staff without a second factor to enrolment, whatever they asked for."""
    if request.endpoint == "static" or g.get("api_token") is not None:  # a token request: api/auth.py checked it
        return None
    if not current_user.is_authenticated:
        if g.pop("session_timed_out", False):
            flash(_l("U bent automatisch uitgelogd. Log opnieuw in."), "info")
        return None
    if two_factor.must_enrol(current_user) and request.endpoint not in ENROLMENT_ENDPOINTS:
        flash(_l("Voor uw rol is tweestapsverificatie verplicht. Stel die eerst in."), "warning")
        return redirect(url_for("account.two_factor"))
    return None


def _clear_but_language() -> None:
    """Forget everything of the session but the visitor's language choice (not login data: it outlives both
    login and logout, so the page after either is in the language the visitor chose)."""
    lang = session.get(i18n.SESSION_KEY)
    session.clear()
    if lang:
        session[i18n.SESSION_KEY] = lang


def _keep_only_language() -> None:
    _clear_but_language()
    session.permanent = True  # the cookie's own expiry follows the idle limit; the row decides


def start_session(user: User, remember: bool) -> UserSession:
    """Log in with a fresh session row and cookie (no fixation: nothing from before login survives)."""
    end_session("replaced")
    _keep_only_language()
    row, user.login_id = sessions.start(
        user, remember=remember, ip=request.remote_addr, user_agent=request.user_agent.string
    )
    login_user(user, remember=remember)
    if not remember:
        _drop_remember_cookie()  # an older remember-me cookie in this browser must not outlive this login
    return row


def begin_second_step(user: User, remember: bool) -> None:
    """Password accepted, code still to come: a pending row that logs nobody in, named only in the cookie."""
    end_session("replaced")
    _keep_only_language()
    _drop_remember_cookie()
    _row, session[PENDING_KEY] = sessions.start(
        user,
        remember=remember,
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
        pending_second_factor=True,
    )


def pending_login() -> UserSession | None:
    """The half-finished login of this browser, while it may still be finished."""
    row = sessions.find(session.get(PENDING_KEY))
    if row is None or not row.pending_second_factor or two_factor.pending_expired(row):
        session.pop(PENDING_KEY, None)
        return None
    return row


def end_session(reason: str = "logout") -> None:
    """End this browser's login: its row first (so every copy of the cookie dies), then the cookie."""
    row = current_session()
    if row is not None:
        sessions.end(row, reason, ip=request.remote_addr)
    logout_user()
    _clear_but_language()
    _drop_remember_cookie()
