"""The change log: the one entry to derived data (the search index, the similarity model).

A service that changes anything a pilot's search document or similarity vector is built from (its text,
status, themes, organisations, scale-up state, deletion or merge) calls :func:`record_change` in the same
transaction as the change. Nothing else writes ``ChangeLog`` rows, and nothing else tells the derived data
that something changed: the row commits with the change or not at all, so an index never misses an update
and never sees one that was rolled back. How a committed row reaches the index is described in
``services/derived_data.py``.

The read side lives here too, because search and similarity both follow the same log.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from search_index.documents import PilotDocument
from search_index.sync_state import SyncState

from ..extensions import db
from ..models import ChangeLog, Pilot
from .pilot_documents import BATCH, load_live, pilot_document

OPERATIONS = ("upsert", "delete")


def record_change(pilot: Pilot, operation: str = "upsert") -> ChangeLog:
    """Queue ``pilot`` for re-indexing (``"upsert"``) or removal (``"delete"``) when the transaction commits.

    Flushes first when the pilot is new, since the row needs its id. The services only flush; the request
    commits, and with it the row.
    """
    _check(operation)
    if pilot.id is None:
        db.session.flush()
    row = ChangeLog(pilot_id=pilot.id, operation=operation)
    db.session.add(row)
    return row


def record_changes(pilot_ids: Iterable[int], operation: str = "upsert") -> None:
    """:func:`record_change` for pilots known by id only (the pilots of a renamed organisation)."""
    _check(operation)
    db.session.add_all(ChangeLog(pilot_id=pilot_id, operation=operation) for pilot_id in pilot_ids)


def _check(operation: str) -> None:
    if operation not in OPERATIONS:
        raise ValueError(f"unknown change-log operation {operation!r}")


def fetch_changes(state: SyncState) -> tuple[list[PilotDocument], list[int], list[int]]:
    """The rows after the follower's last id (and its gaps), resolved against the current database:
    (documents to upsert, pilot ids to delete, change-log ids applied).

    In a session of its own, closed at once: the caller's session must not be left inside a read
    transaction (on SQLite a later write in it could not upgrade its lock and fails as "locked").
    """
    cond = ChangeLog.id > state.last_id
    if state.gaps:
        cond = or_(cond, ChangeLog.id.in_(list(state.gaps)))
    with Session(db.engine) as session:
        stmt = select(ChangeLog.id, ChangeLog.pilot_id).where(cond).order_by(ChangeLog.id).limit(BATCH)
        rows = session.execute(stmt).all()
        if not rows:  # the usual answer: every follower asks on every read
            return [], [], []
        pilot_ids = list(dict.fromkeys(r.pilot_id for r in rows))
        live = load_live(pilot_ids, session)
        upserts = [pilot_document(live[i]) for i in pilot_ids if i in live]
    deletes = [i for i in pilot_ids if i not in live]
    return upserts, deletes, [r.id for r in rows]


def newest_change_id() -> int:
    """The highest committed change-log id: how far a follower must get to be current."""
    with Session(db.engine) as session:  # see fetch_changes
        return session.scalar(select(func.max(ChangeLog.id))) or 0
