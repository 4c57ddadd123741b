"""The path from a save to the derived data, in one place.

1. A service changes a pilot and calls ``change_log.record_change(pilot)``: a ``ChangeLog`` row in the same
   transaction (the outbox). Services only flush.
2. ``after_flush`` below notices new ``ChangeLog`` rows in the session and marks the session.
3. The request commits once, inside the view (``transactions.commits``; a few views still commit by hand,
   see transactions.py). ``after_commit`` moves the mark to ``flask.g``; ``after_rollback`` drops it, so a
   rolled-back save never reaches a follower.
4. ``after_request`` runs every registered follower's *after-write* callback once per request that
   committed change-log rows. The search index registers ``SearchService.sync`` (services/fulltext_search.py;
   without waiting: another process applying the log is fine), so a search right after a save sees it.
5. Independently of this hook, every follower catches up on read from the same log
   (``change_log.fetch_changes``): the search index before a search (``SearchService.catch_up``), the
   similarity model whenever it is asked (``SimilarityService.model``, services/matchmaking/similarity.py). A
   save made elsewhere (the CLI, another app host sharing the database) is therefore seen too; the hook only
   makes it immediate here.
6. Work that must read a follower's view of this request's change (announcing a new pilot to the
   organisations with the most similar pilots reads the similarity model) is queued by the service with
   :func:`after_commit` and runs after the followers, in a transaction of its own, committed at once.

A failing follower is logged and never fails the request: the save is committed and the next read catches
up. The change log is the truth; followers keep a bookmark (``search_index/sync_state.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, g, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ChangeLog

log = logging.getLogger("pilotstarter.derived_data")
_FLAG = "derived_data_dirty"
_FOLLOWERS = "pilotstarter_derived_data_followers"
_TASKS = "derived_data_after_commit"


def follow(app: Flask, name: str, after_write: Callable[[], object]) -> None:
    """Register ``after_write`` to run after each request that committed change-log rows."""
    app.extensions.setdefault(_FOLLOWERS, {})[name] = after_write


def after_commit(task: Callable[[], object]) -> None:
    """Run ``task`` once this request's change-log rows are committed and the followers have applied them.

    Only inside a request: a caller outside one (a command, a test) commits itself and then calls the task.
    A rollback before the commit drops the task with the change it was about.
    """
    if has_request_context():
        g.setdefault(_TASKS, []).append(task)


def init_app(app: Flask) -> None:
    """Install the one after-commit hook; followers register with :func:`follow`."""
    app.extensions.setdefault(_FOLLOWERS, {})

    @app.after_request
    def _apply_after_write(response: Response) -> Response:
        tasks = g.pop(_TASKS, [])
        if g.pop(_FLAG, False):
            for name, after_write in current_app.extensions[_FOLLOWERS].items():
                try:
                    after_write()
                except Exception:  # the write is saved; the next read catches up
                    log.exception("%s: applying the change log after a write failed", name)
            for task in tasks:
                _run_alone(task)
        return response


def _run_alone(task: Callable[[], object]) -> None:
    """One after-commit task in its own transaction: committed when it returns, rolled back if it fails."""
    try:
        task()
        db.session.commit()
    except Exception:  # the request's own change is saved; only this task's work is lost
        db.session.rollback()
        log.exception("after-commit task %r failed", task)


@event.listens_for(Session, "after_flush")
def _note_change_log(session: Session, _ctx) -> None:
    if any(isinstance(obj, ChangeLog) for obj in session.new):
        session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_FLAG, False) and has_app_context():
        setattr(g, _FLAG, True)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_FLAG, None)
    if has_request_context():
        g.pop(_TASKS, None)  # the change they were about is gone
