"""Helpers for tests that build their own app on an empty database (`flask init`, migrations)."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from alembic.script import ScriptDirectory
from flask import current_app

from pilotstarter_web import create_app
from pilotstarter_web.database import set_write_intent
from pilotstarter_web.extensions import db


@contextmanager
def fresh_app(database_url: str, data_dir):
    """An app on an empty database, with its app context pushed (so CLI commands and Alembic use it,
    not the session-wide test app); its connections are closed afterwards."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATA_DIR": str(data_dir),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SERVER": "",
            "ARGON2_PROFILE": "CHEAPEST",
            "SEARCH_REBUILD_INLINE": True,  # no background indexing thread in tests
        }
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def head_revision() -> str:
    """The newest migration in migrations/versions."""
    return ScriptDirectory(current_app.extensions["migrate"].directory).get_current_head()


@pytest.fixture(autouse=True)
def _keep_logging():
    """Alembic's env.py calls logging.config.fileConfig, which disables every existing logger (the app's
    pilotstarter.* ones too) and replaces the root handlers. Put logging back so later tests still see
    log records (caplog)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {
        name: lg.disabled for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)
    }
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, lg in logging.root.manager.loggerDict.items():
        if isinstance(lg, logging.Logger):
            lg.disabled = loggers.get(name, False)


@pytest.fixture(autouse=True)
def _reset_write_intent():
    """CLI commands declare write intent for the rest of the thread (SQLite BEGIN IMMEDIATE); a test
    process runs many commands and requests, so go back to the default afterwards."""
    yield
    set_write_intent(False)
