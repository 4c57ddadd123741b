"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from pilotstarter_web.extensions import db
from tests.cli.conftest import fresh_app, head_revision


def schema_differences() -> list:
    """What `flask db migrate` would generate now: must be nothing."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def check_upgrade_matches_models() -> None:
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables, set(db.metadata.tables) - tables
    assert "alembic_version" in tables
    with db.engine.connect() as conn:
        assert conn.scalar(text("select version_num from alembic_version")) == head_revision()
    assert schema_differences() == []
    # Upgrading again is a no-op, and the way back works too.
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []


def test_migrations_build_the_model_schema_on_sqlite(tmp_path):
    with fresh_app(f"sqlite:///{tmp_path / 'migrated.db'}", tmp_path):
        assert inspect(db.engine).get_table_names() == []
        check_upgrade_matches_models()


@pytest.fixture
def postgres_scratch_url():
    """A throw-away database `<test db>_migrations` next to the shared test database, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url or make_url(url).get_backend_name() != "postgresql":
        pytest.skip("TEST_DATABASE_URL does not name a PostgreSQL database")
    base = make_url(url)
    scratch = base.set(database=f"{base.database}_migrations")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch.database}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{scratch.database}"')
    except (ProgrammingError, OperationalError) as exc:
        admin.dispose()
        pytest.skip(f"cannot create a scratch database for the migration test: {exc.orig}")
    try:
        yield scratch.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')
        admin.dispose()


def test_migrations_build_the_model_schema_on_postgresql(postgres_scratch_url, tmp_path):
    with fresh_app(postgres_scratch_url, tmp_path):
        assert inspect(db.engine).get_table_names() == []
        check_upgrade_matches_models()


def test_0006_keeps_the_accounts_of_a_filled_database(tmp_path):
    """0006 drops users.session_version and adds the two-factor columns on a table others reference: accounts
    and what points at them survive the way up and down (SQLite: plain ALTER TABLE, no batch rebuild)."""
    with fresh_app(f"sqlite:///{tmp_path / 'filled.db'}", tmp_path):
        upgrade(revision="0005")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "insert into organisations (id, code, name, aliases, kind, province, country, created_at) values (1, 'GM0344', 'Utrecht', '', 'municipality', 'Utrecht', 'NL', '2026-12-01 10:00:00')"
                )
            )
            conn.execute(
                text(
                    "insert into users (id, email, name, password_hash, organisation_id, role, locale, active, session_version, created_at) "
                    "values (1, 'a@example.nl', 'A', 'x', 1, 'admin', 'nl', true, 3, '2026-12-01 10:00:00')"
                )
            )
            conn.execute(
                text(
                    "insert into audit_events (id, created_at, actor_id, action, data) values (1, '2026-12-01 10:00:00', 1, 'login.succeeded', '{}')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("select email, totp_secret, totp_enabled_at from users")).all() == [
                ("a@example.nl", None, None)
            ]
            assert conn.scalar(text("select actor_id from audit_events")) == 1
        assert "session_version" not in {c["name"] for c in inspect(db.engine).get_columns("users")}
        downgrade(revision="0005")
        with db.engine.connect() as conn:
            assert conn.execute(text("select email, session_version from users")).all() == [("a@example.nl", 1)]
