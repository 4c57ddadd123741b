"""Migration 0014 adds the entry type in place: a database whose pilots other rows point at upgrades (rebuilding
the pilots table, as a batch operation does on SQLite, failed there with foreign keys on), and every existing
entry becomes a pilot."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from pilotstarter_web.extensions import db
from tests.cli.conftest import fresh_app

NOW = "2026-12-01 09:00:00"


def test_existing_entries_become_pilots_and_their_rows_stay(tmp_path):
    with fresh_app(f"sqlite:///{tmp_path / 'old.db'}", tmp_path):
        upgrade(revision="0013consent")
        with db.engine.begin() as conn:
            conn.execute(text(
                "insert into organisations (id, code, name, aliases, kind, country, created_at) "
                f"values (1, 'GM0344', 'Utrecht', '', 'municipality', 'NL', '{NOW}')"
            ))  # fmt: skip
            conn.execute(text(
                "insert into pilots (id, slug, title, summary, owner_id, status, scale_up_state, created_at, "
                f"updated_at) values (1, 'p1', 'P', '', 1, 'lopend', 'geen', '{NOW}', '{NOW}')"
            ))  # fmt: skip
            conn.execute(text(
                "insert into participations (pilot_id, organisation_id, role, created_at) "
                f"values (1, 1, 'initiator', '{NOW}')"
            ))  # fmt: skip
        upgrade(revision="0014entrytype")
        with db.engine.connect() as conn:
            rows = conn.execute(text("select slug, entry_type, status from pilots")).all()
            kept = conn.execute(text("select count(*) from participations")).scalar()
    assert rows == [("p1", "pilot", "lopend")] and kept == 1
