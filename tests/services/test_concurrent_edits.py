"""Twenty editors save the same pilot at once, text and metadata, each from the same old form (M2).

Threads with their own app context, so their own database session and connection, as gunicorn workers
have. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL names one.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass

from sqlalchemy import func, select

from pilotstarter_web.database import set_write_intent
from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot, Revision, User
from pilotstarter_web.services.pilots import EditConflict, PilotText, edit_pilot
from pilotstarter_web.services.themes import THEMES
from tests.factories import make_pilot, make_user

EDITORS = 20
THEME_KEYS = list(THEMES)[:EDITORS]
STATUS_CHOICES = ["partners_gezocht", "lopend", "afgerond", "gestopt", "lopend"]  # editors 0, 4, 8, 12, 16
BODY = "".join(f"Regel {i}.\n\n" for i in range(EDITORS))


@dataclass
class Save:
    editor: int
    revision: int  # the revision number this accepted save wrote
    base: int  # the revision it was made on
    status: str | None  # the status it set, when it changed the status relative to its base
    base_status: str  # the status it was made on (what the editor saw)


def wanted(i: int, base: PilotText) -> PilotText:
    """Editor i's change: its own line, its own theme (editor 7 removes "data"), a tag (even editors), a
    status (every fourth editor)."""
    themes = [t for t in base.themes if t != "data"] if THEME_KEYS[i] == "data" else [*base.themes, THEME_KEYS[i]]
    return PilotText(
        title=base.title, summary=base.summary, body=base.body.replace(f"Regel {i}.", f"Regel {i}: editor {i}."),
        themes=themes, tags=[*base.tags, f"t{i}"] if i % 2 == 0 else list(base.tags),
        status=STATUS_CHOICES[i // 4] if i % 4 == 0 else base.status, edit_summary=f"editor {i}",
    )  # fmt: skip


def editor(app, i: int, slug: str, user_id: int, base: PilotText, start: threading.Barrier, saves: list, errors: list):
    """Save from revision 1; on a conflict do what a person does: keep the merged form, keep my status."""
    try:
        with app.app_context():
            set_write_intent(True)  # as a POST request does: SQLite begins with BEGIN IMMEDIATE
            text, base_number, base_status = wanted(i, base), 1, base.status
            start.wait()
            for _attempt in range(EDITORS + 1):
                pilot = db.session.scalar(select(Pilot).where(Pilot.slug == slug))
                user = db.session.get(User, user_id)
                my_status = text.status  # edit_pilot merges into `text`: what I asked for, before that
                try:
                    outcome = edit_pilot(user, pilot, text, base_number)
                except EditConflict as exc:
                    db.session.rollback()
                    assert set(exc.fields) <= {"status"} and not exc.conflicts - len(exc.fields), exc.fields
                    text, base_number, base_status = exc.text, exc.current.number, exc.current.status
                    continue
                number = outcome.revision.number
                db.session.commit()
                saves.append(Save(i, number, base_number, my_status if my_status != base_status else None, base_status))
                return
            errors.append(f"editor {i} never saved")
    except Exception as exc:  # reported by the test, not lost in a thread
        errors.append(f"editor {i}: {exc!r}")


def test_twenty_concurrent_editors_lose_no_accepted_change(app):
    pilot = make_pilot(body=BODY, themes=["data"], status="idee")
    users = [make_user("GM0363").id for _ in range(EDITORS)]
    base = PilotText(pilot.title, pilot.summary, BODY, ["data"], [], "idee")
    db.session.commit()
    saves: list[Save] = []
    errors: list[str] = []
    start = threading.Barrier(EDITORS)
    threads = [
        threading.Thread(target=editor, args=(app, i, pilot.slug, users[i], base, start, saves, errors))
        for i in range(EDITORS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    db.session.rollback()  # a fresh snapshot: see what the editors committed
    new_revisions = db.session.scalar(select(func.count(Revision.id)).where(Revision.pilot_id == pilot.id)) - 1
    assert len(saves) == new_revisions == EDITORS
    assert sorted(s.revision for s in saves) == list(range(2, EDITORS + 2))

    final = pilot.current_revision
    for i in range(EDITORS):
        assert f"Regel {i}: editor {i}." in final.body
    assert sorted(pilot.theme_keys) == sorted(t for t in THEME_KEYS if t != "data")
    assert sorted(pilot.tag_values) == sorted(f"t{i}" for i in range(0, EDITORS, 2))
    assert (final.status, sorted(final.theme_keys), final.tag_values) == (
        pilot.status, sorted(pilot.theme_keys), pilot.tag_values,
    )  # fmt: skip
    # A status is the one thing that can be replaced: only by someone who saw it. So each status save that
    # sets another value than the one before it was made on a form showing that value.
    status_saves = sorted((s for s in saves if s.status), key=lambda s: s.revision)
    assert status_saves and pilot.status == status_saves[-1].status
    for earlier, later in itertools.pairwise(status_saves):
        assert later.status == earlier.status or later.base_status == earlier.status, (earlier, later)
