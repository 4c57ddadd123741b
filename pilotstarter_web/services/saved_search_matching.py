"""Matching new pilots against saved searches, after the publishing request, from an outbox.

Why after, not in the publishing transaction: the number of saved searches is other people's doing, and
no request's cost may depend on it. Publishing writes a ``NewPilotMatch`` row (follow_news.py); a *step*
then takes the oldest open row and

1. claims it: one UPDATE that moves its bookmark (``after_search_id``) on, conditional on the bookmark
   it read, so two workers never handle the same searches (the loser's UPDATE changes no row);
2. asks the database for the saved searches sharing a pre-filter key with the pilot (its analysed terms
   and facet values, ``search_index.saved_queries``), at most :data:`STEP_BUDGET` of them, after the
   bookmark, in id order (and stops after :data:`STEP_SECONDS`, moving the bookmark back to where it got);
3. checks each exactly with the search page's parser and analyzer, and notifies each owner once
   ("search.new_match"), skipping anyone already told of this pilot (notifications.told_of_new_pilot), the
   publisher and inactive accounts;
4. marks the row done when no candidates are left.

The notifications, the new bookmark and ``done_at`` commit together: a crash at any point repeats the
step, never half of it. After each publishing request (derived_data.after_commit) one step runs for the new
pilot and one for the oldest open row (a backlog drains as pilots are published);
``flask --app wsgi match-saved-searches`` drains whatever a crash or a burst left behind (cron, or by hand).
"""

from __future__ import annotations

import logging
import time
from itertools import islice

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from search_index.saved_queries import OneDocument

from ..extensions import db
from ..models import NewPilotMatch, SavedSearch, SavedSearchAnchor, User, utcnow
from .notifications import notify, register, told_of_new_pilot
from .pilot_documents import load_live, pilot_document
from .saved_searches import saved_query

log = logging.getLogger("pilotstarter.saved_search_matching")

STEP_BUDGET = 1_000  # exact checks per step (~25 µs each for word queries, 1-2 ms for phrases) …
STEP_SECONDS = 0.25  # … and at most this long (checked after each, so every step makes progress)
KEY_CHUNK = 500  # pre-filter keys per IN (...) query: a long pilot has thousands of distinct terms
register(
    "search.new_match",
    _l("Nieuwe pilot voor uw zoekopdracht %(search)s: %(pilot)s"),
    label=_l("Nieuwe pilot voor een zoekopdracht die u volgt"),
)


def _chunks(items: list[str], size: int):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _candidates(keys: set[str], after: int, limit: int) -> list[int]:
    """Ids of saved searches after ``after`` with an anchor among ``keys``: the first ``limit`` in id order."""
    found: set[int] = set()
    for chunk in _chunks(sorted(keys), KEY_CHUNK):
        found.update(
            db.session.scalars(
                select(SavedSearchAnchor.saved_search_id)
                .where(SavedSearchAnchor.key.in_(chunk), SavedSearchAnchor.saved_search_id > after)
                .distinct()
                .order_by(SavedSearchAnchor.saved_search_id)
                .limit(limit)
            )
        )
    return sorted(found)[:limit]


def match_step(budget: int = STEP_BUDGET, pilot_id: int | None = None) -> bool:
    """Handle the oldest open outbox row (of ``pilot_id`` when given) for at most ``budget`` candidate
    searches (flushes; the caller commits). :return: whether there was a row to work on."""
    stmt = select(NewPilotMatch).where(NewPilotMatch.done_at.is_(None))
    if pilot_id is not None:
        stmt = stmt.where(NewPilotMatch.pilot_id == pilot_id)
    row = db.session.scalar(stmt.order_by(NewPilotMatch.id).limit(1))
    if row is None:
        return False
    pilot = load_live([row.pilot_id]).get(row.pilot_id)
    if pilot is None:  # deleted before it was matched: nobody is told of it
        return _claim(row.id, row.after_search_id, row.after_search_id, done=True) or True
    with OneDocument(pilot_document(pilot)) as doc:
        candidates = _candidates(doc.keys(), row.after_search_id, budget + 1)
        batch, done = candidates[:budget], len(candidates) <= budget
        read_after, actor_id = row.after_search_id, row.actor_id
        if not _claim(row.id, read_after, batch[-1] if batch else read_after, done):
            return True  # another worker took this step
        told = told_of_new_pilot(pilot)
        if actor_id is not None:
            told.add(actor_id)
        searches = db.session.scalars(
            select(SavedSearch)
            .join(User, User.id == SavedSearch.user_id)
            .where(SavedSearch.id.in_(batch), User.active.is_(True))
            .order_by(SavedSearch.id)
        )
        deadline = time.monotonic() + STEP_SECONDS
        for search in searches:
            if search.user_id not in told and doc.matches(saved_query(search)):
                told.add(search.user_id)
                owner = db.session.get(User, search.user_id)
                notify([owner], "search.new_match", pilot=pilot, search=search.name, search_id=search.id)
            if time.monotonic() > deadline and search.id != batch[-1]:  # out of time: the rest next step
                _set_bookmark(row.id, search.id)
                break
    db.session.flush()
    return True


def _set_bookmark(row_id: int, after: int) -> None:
    """Move the bookmark of a row this transaction has claimed (and so holds) back to what it finished."""
    db.session.execute(
        update(NewPilotMatch)
        .where(NewPilotMatch.id == row_id)
        .values(after_search_id=after, done_at=None)
        .execution_options(synchronize_session="fetch")
    )


def _claim(row_id: int, read_after: int, new_after: int, done: bool) -> bool:
    """Move a row's bookmark from what this worker read; False when another worker moved it first."""
    result = db.session.execute(
        update(NewPilotMatch)
        .where(
            NewPilotMatch.id == row_id,
            NewPilotMatch.after_search_id == read_after,
            NewPilotMatch.done_at.is_(None),
        )
        .values(after_search_id=new_after, done_at=utcnow() if done else None)
        .execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)


def drain(max_steps: int | None = None) -> int:
    """Run steps, each committed on its own, until the outbox is empty (or ``max_steps``). Own transactions
    on purpose, like derived_data's after-commit tasks: for the CLI and tests. :return: steps run."""
    steps = 0
    while max_steps is None or steps < max_steps:
        try:
            worked = match_step()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        if not worked:
            break
        steps += 1
    return steps
