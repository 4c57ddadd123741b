"""Migration 0008 stores status, themes and tags per revision and fills them in for existing pilots."""

from __future__ import annotations

import json

from flask_migrate import upgrade
from sqlalchemy import text

from pilotstarter_web.extensions import db
from tests.cli.conftest import fresh_app

NOW = "2026-12-01 09:00:00"


def test_existing_revisions_get_their_pilots_current_metadata(tmp_path):
    with fresh_app(f"sqlite:///{tmp_path / 'old.db'}", tmp_path):
        upgrade(revision="0005")
        with db.engine.begin() as conn:
            conn.execute(text(
                "insert into organisations (id, code, name, aliases, kind, country, created_at) "
                f"values (1, 'GM0344', 'Utrecht', '', 'municipality', 'NL', '{NOW}')"
            ))  # fmt: skip
            for pid, status in ((1, "lopend"), (2, "idee")):
                conn.execute(text(
                    "insert into pilots (id, slug, title, summary, owner_id, status, scale_up_state, created_at, "
                    f"updated_at) values ({pid}, 'p{pid}', 'P', '', 1, '{status}', 'geen', '{NOW}', '{NOW}')"
                ))  # fmt: skip
                for number in (1, 2):
                    conn.execute(text(
                        "insert into revisions (pilot_id, number, title, summary, body, edit_summary, created_at) "
                        f"values ({pid}, {number}, 'P', '', 'tekst', '', '{NOW}')"
                    ))  # fmt: skip
            conn.execute(text("insert into pilot_themes (pilot_id, theme) values (1, 'zorg'), (1, 'data')"))
            conn.execute(text("insert into pilot_tags (pilot_id, tag) values (1, 'wmo')"))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("select pilot_id, status, themes, tags from revisions order by id")).all()
    got = [(pid, status, json.loads(themes), json.loads(tags)) for pid, status, themes, tags in rows]
    assert got == [
        (1, "lopend", ["data", "zorg"], ["wmo"]), (1, "lopend", ["data", "zorg"], ["wmo"]),
        (2, "idee", [], []), (2, "idee", [], []),
    ]  # fmt: skip
