"""Pilotstarter: the Flask app factory. No side effects: setup lives in CLI commands."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from . import i18n
from .extensions import babel, csrf, db, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment, overridden by `config` (tests pass their own)."""
    app = Flask(__name__)
    app.config.from_mapping(config_module.from_environment())
    if config:
        app.config.update(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from . import log_redaction

    log_redaction.install()

    db.init_app(app)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", _migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    if app.config.get("PROXY_FIX_X_FOR"):  # behind a proxy, remote_addr is the proxy: per-IP limits need this
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])  # type: ignore[method-assign]
    babel.init_app(app, locale_selector=i18n.select_locale)

    from .database import configure_engine, declares_writes, set_write_intent

    with app.app_context():
        configure_engine(db.engine)

    @app.before_request  # first of all hooks: the login check's read must already begin as the request's write
    def _declare_writes() -> None:
        set_write_intent(declares_writes(request.method, app.view_functions.get(request.endpoint or "")))

    from . import auth_session
    from .api import auth as api_auth

    api_auth.init_app(app)  # before the session check: a Bearer token logs in its request only
    auth_session.init_app(app)

    @app.teardown_request
    def _forget_writes(_exc: BaseException | None) -> None:
        """Work after the request (a CLI command, a test's own queries in this thread) must not inherit it."""
        set_write_intent(False)

    from . import rate_limits

    rate_limits.init_app(app)

    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .main import bp as main_bp
    from .matchmaking import bp as matchmaking_bp
    from .notifications import bp as notifications_bp
    from .organisations import bp as organisations_bp
    from .pilots import bp as pilots_bp
    from .search import bp as search_bp
    from .themes import bp as themes_bp

    for bp in (main_bp, account_bp, pilots_bp, search_bp, organisations_bp, admin_bp, api_bp, matchmaking_bp):
        app.register_blueprint(bp)
    app.register_blueprint(themes_bp)
    app.register_blueprint(notifications_bp)
    from .portfolio import bp as portfolio_bp

    app.register_blueprint(portfolio_bp)
    from .discussion import bp as discussion_bp

    app.register_blueprint(discussion_bp)
    from .activity import bp as activity_bp

    app.register_blueprint(activity_bp)
    from .adoptions import bp as adoptions_bp

    app.register_blueprint(adoptions_bp)
    from .open_data import bp as open_data_bp

    app.register_blueprint(open_data_bp)
    from .maps import bp as maps_bp

    app.register_blueprint(maps_bp)
    from .calls import bp as calls_bp

    app.register_blueprint(calls_bp)
    from .statistics import bp as statistics_bp

    app.register_blueprint(statistics_bp)
    from .attachments import bp as attachments_bp

    app.register_blueprint(attachments_bp)

    from . import errors, security_headers, templating, uploads
    from .cli import register_cli

    uploads.init_app(app)  # after every other before_request hook is in place: it puts itself first
    errors.init_app(app)
    security_headers.init_app(app)
    templating.init_app(app)
    register_cli(app)
    from .services import derived_data, fulltext_search

    derived_data.init_app(app)  # the one after-commit hook; search follows it
    fulltext_search.init_app(app)
    from .services.matchmaking import similarity

    similarity.init_app(app)
    return app


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")
