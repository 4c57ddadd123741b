"""Login sessions: user loading, idle and absolute timeouts, session renewal at login."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, flash, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from .extensions import db, login_manager
from .models import User


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_absolute_timeout)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The id carries the session version: a changed password logs out every old session."""
    try:
        uid, version = (int(x) for x in user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def start_session(user: User, remember: bool) -> None:
    """Log in with a fresh session (no fixation: nothing from before login survives)."""
    next_locale = session.get("lang")
    session.clear()
    session.permanent = True  # idle timeout = PERMANENT_SESSION_LIFETIME, refreshed each request
    session["login_at"] = datetime.now(UTC).timestamp()
    if next_locale:
        session["lang"] = next_locale
    login_user(user, remember=remember)


def end_session() -> None:
    logout_user()
    session.clear()


def _enforce_absolute_timeout() -> None:
    login_at = session.get("login_at")
    if login_at is None or "_user_id" not in session:
        return
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if datetime.now(UTC).timestamp() - login_at > limit:
        end_session()
        flash(_l("U bent automatisch uitgelogd. Log opnieuw in."), "info")
