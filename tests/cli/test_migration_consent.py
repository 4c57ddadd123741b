"""Migration 0013 turns partners listed without their consent into open invitations; agreed ones stay."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from pilotstarter_web.extensions import db
from tests.cli.conftest import fresh_app

NOW = "2026-12-01 09:00:00"


def test_partners_listed_by_another_organisation_become_open_invitations(tmp_path):
    with fresh_app(f"sqlite:///{tmp_path / 'old.db'}", tmp_path):
        upgrade(revision="0009activity")
        with db.engine.begin() as conn:
            for oid, code in ((1, "GM0344"), (2, "GM0599"), (3, "GM0363"), (4, "GM0014")):
                conn.execute(text(
                    "insert into organisations (id, code, name, aliases, kind, country, created_at) "
                    f"values ({oid}, '{code}', 'Org {oid}', '', 'municipality', 'NL', '{NOW}')"
                ))  # fmt: skip
            for uid, oid in ((1, 1), (2, 2)):
                conn.execute(text(
                    "insert into users (id, email, name, password_hash, organisation_id, role, locale, active, "
                    f"created_at) values ({uid}, 'u{uid}@example.nl', 'U', 'x', {oid}, 'member', 'nl', 1, '{NOW}')"
                ))  # fmt: skip
            conn.execute(text(
                "insert into pilots (id, slug, title, summary, owner_id, status, scale_up_state, created_at, "
                f"updated_at) values (1, 'p1', 'P', '', 1, 'idee', 'geen', '{NOW}', '{NOW}')"
            ))  # fmt: skip
            # initiator; Rotterdam joined itself; Amsterdam listed by Utrecht; Groningen imported (no author)
            for oid, role, by in ((1, "initiator", 1), (2, "partner", 2), (3, "partner", 1), (4, "partner", "null")):
                conn.execute(text(
                    "insert into participations (pilot_id, organisation_id, role, created_by_id, created_at) "
                    f"values (1, {oid}, '{role}', {by}, '{NOW}')"
                ))  # fmt: skip
        upgrade()
        with db.engine.connect() as conn:
            taking_part = conn.execute(text("select organisation_id from participations order by organisation_id"))
            invited = conn.execute(text("select organisation_id, invited_by_id, answered_at from invitations")).all()
            queued = conn.execute(text("select pilot_id from change_log")).scalars().all()
            assert list(taking_part.scalars()) == [1, 2, 4]
    assert invited == [(3, 1, None)]
    assert queued == [1]
