"""The path from a save to the derived data, in one place.

1. A service changes a pilot and calls ``change_log.record_change(pilot)``: a ``ChangeLog`` row in the same
   transaction (the outbox). Services only flush.
2. ``after_flush`` below notices new ``ChangeLog`` rows in the session and marks the session.
3. The request commits once (``database.py``: the request's one commit). ``after_commit`` moves the mark
   to ``flask.g``; ``after_rollback`` drops it, so a rolled-back save never reaches a follower.
4. ``after_request`` runs every registered follower's *after-write* callback once per request that
   committed change-log rows. The search index registers ``SearchService.sync`` (without waiting: another
   process applying the log is fine), so a search right after a save sees it.
5. Independently of this hook, every follower catches up on read from the same log
   (``change_log.fetch_changes``): the search index before a search (``SearchService.catch_up``), the
   similarity model whenever it is asked (``SimilarityService.model``). A save made elsewhere (the CLI,
   another app host sharing the database) is therefore seen too; the hook only makes it immediate here.

A failing follower is logged and never fails the request: the save is committed and the next read catches
up. The change log is the truth; followers keep a bookmark (``search_index/sync_state.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..models import ChangeLog

log = logging.getLogger("pilotstarter.derived_data")
_FLAG = "derived_data_dirty"
_FOLLOWERS = "pilotstarter_derived_data_followers"


def follow(app: Flask, name: str, after_write: Callable[[], object]) -> None:
    """Register ``after_write`` to run after each request that committed change-log rows."""
    app.extensions.setdefault(_FOLLOWERS, {})[name] = after_write


def init_app(app: Flask) -> None:
    """Install the one after-commit hook; followers register with :func:`follow`."""
    app.extensions.setdefault(_FOLLOWERS, {})

    @app.after_request
    def _apply_after_write(response: Response) -> Response:
        if g.pop(_FLAG, False):
            for name, after_write in current_app.extensions[_FOLLOWERS].items():
                try:
                    after_write()
                except Exception:  # the write is saved; the next read catches up
                    log.exception("%s: applying the change log after a write failed", name)
        return response


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
