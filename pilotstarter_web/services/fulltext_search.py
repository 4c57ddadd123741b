"""Full-text search: keeps the Whoosh index in step with the database (the change log) and answers searches.

The database is the source of truth. After every write the index applies the new change-log rows
(without waiting when another process is applying them; the hook is services/derived_data.py); before a
search it catches up if it is behind. An index that will not open is rebuilt in the background while searches fall back to a
simple database query, so the site keeps working.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app
from markupsafe import escape
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from search_index.fulltext import FulltextIndex, Hit, IndexUnavailable, SearchRequest, SearchResult
from search_index.sync_state import SyncState

from ..database import set_write_intent
from ..extensions import db
from ..models import ChangeLog, Pilot
from . import derived_data
from .change_log import fetch_changes, newest_change_id
from .pilot_documents import documents_in_bulk

log = logging.getLogger("pilotstarter.search")
GAP_WINDOW = 50  # change-log ids below the newest that may still be uncommitted while a rebuild reads
GAP_RECHECK_S = 1.0


class SearchService:
    """One per app and process: the index handle, sync, rebuild, and the fallback when it is broken."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.root = Path(app.config["DATA_DIR"]) / "search"
        self.index = FulltextIndex(self.root, fast_paths=app.config.get("SEARCH_FAST_PATHS"))  # None: environment
        self._rebuild_thread: threading.Thread | None = None
        self._guard = threading.Lock()
        self._last_gap_check = 0.0

    # -- keeping in step ------------------------------------------------------------------------------
    def sync(self, timeout: float = 0.0) -> bool | None:
        """Apply pending change-log rows. False: another process is applying, or a rebuild was started."""
        if not self.index.exists():
            self.start_rebuild()
            return False
        token = set_write_intent(False)  # reading the change log needs no write lock
        try:
            result: bool | None = None
            for _ in range(1000):  # in batches, until caught up
                step = self.index.sync(fetch_changes, timeout=timeout)
                if step is not True:
                    return result if step is None else step
                result = True
            return result
        except IndexUnavailable as exc:
            self._heal(exc)
            return False
        finally:
            set_write_intent(token)

    def catch_up(self) -> bool:
        """Before answering a search: apply what is pending (waiting briefly for another process).
        Returns False when the index cannot answer (missing, broken, being rebuilt)."""
        if not self.index.exists():
            self.start_rebuild()
            return self.index.exists()
        newest = newest_change_id()
        try:
            state = self.index.state()
        except IndexUnavailable as exc:  # sync.json damaged: heal like any other damage
            self._heal(exc)
            return False
        if newest < state.last_id:  # the database was replaced underneath us (a restore)
            self.start_rebuild()
            return False
        gaps_due = state.gaps and time.monotonic() - self._last_gap_check > GAP_RECHECK_S
        if state.behind(newest) or gaps_due:
            self._last_gap_check = time.monotonic()
            self.sync(timeout=2.0)
        return self.index.exists()

    def up_to_date(self) -> bool:
        """The index exists, opens, and has applied every change-log row (``flask reindex --if-needed``)."""
        if not self.index.exists():
            return False
        try:
            state = self.index.state()
        except IndexUnavailable:
            return False
        return state.last_id == newest_change_id()

    def _heal(self, exc: IndexUnavailable) -> None:
        """Log and rebuild in the background. Logs the text, not the exception: a log record kept (by a
        handler) would keep its traceback and with it the damaged index files open."""
        log.error("search index unavailable, rebuilding: %s", str(exc))
        self.start_rebuild()

    # -- rebuilding -----------------------------------------------------------------------------------
    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild from the database into a fresh folder and swap it in. Returns the number of pilots."""
        token = set_write_intent(False)  # only reads: never queue behind (or block) a writer
        try:
            return self._rebuild(progress)
        finally:
            set_write_intent(token)

    def _rebuild(self, progress: Callable[[int, int], None] | None) -> int:
        newest = newest_change_id()
        with Session(db.engine) as session:
            recent = set(session.scalars(select(ChangeLog.id).where(ChangeLog.id > newest - GAP_WINDOW)))
            ids = list(session.scalars(select(Pilot.id).where(Pilot.deleted_at.is_(None)).order_by(Pilot.id)))
        now = time.time()
        gaps = {i: now for i in range(max(1, newest - GAP_WINDOW + 1), newest + 1) if i not in recent}
        state = SyncState(newest, gaps)  # read before the documents: later changes are applied again
        total = len(ids)

        def documents():
            with Session(db.engine) as session:  # its own session: batches are dropped, callers' objects kept
                yield from documents_in_bulk(ids, session)

        count = self.index.rebuild(documents(), state, progress=(lambda n: progress(n, total)) if progress else None)
        log.info("search index rebuilt: %d pilots", count)
        return count

    def start_rebuild(self) -> None:
        """Rebuild in a background thread, once per process, and only one process at a time."""
        with self._guard:
            if self._rebuild_thread is not None and self._rebuild_thread.is_alive():
                return
            if self.app.config.get("SEARCH_REBUILD_INLINE"):  # tests: deterministic
                self._rebuild_locked()
                return
            self._rebuild_thread = threading.Thread(target=self._rebuild_in_app, name="search-rebuild", daemon=True)
            self._rebuild_thread.start()

    def _rebuild_in_app(self) -> None:
        with self.app.app_context():
            try:
                self._rebuild_locked()
            except Exception:  # a background thread must log, not die silently
                log.exception("search index rebuild failed")
            finally:
                db.session.remove()

    def _rebuild_locked(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "rebuild.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another process is rebuilding
            self.rebuild()
            self.index.close()
        finally:
            os.close(fd)

    def wait_for_rebuild(self, timeout: float = 60.0) -> None:
        thread = self._rebuild_thread
        if thread is not None:
            thread.join(timeout)

    def drop(self) -> None:
        """Forget the index (tests; a fresh database)."""
        self.wait_for_rebuild()
        self.index.close()
        with contextlib.suppress(FileNotFoundError):
            (self.root / "CURRENT").unlink()

    # -- answering ------------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> tuple[SearchResult, bool]:
        """(result, from_index). When the index cannot answer, a plain database search stands in."""
        if self.catch_up():
            try:
                return self.index.search(request), True
            except IndexUnavailable as exc:
                self._heal(exc)
        return _database_search(request), False

    def autocomplete(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        if not self.catch_up():
            return []
        try:
            return self.index.autocomplete(prefix, limit)
        except IndexUnavailable as exc:
            self._heal(exc)
            return []


def _database_search(request: SearchRequest) -> SearchResult:
    """Stand-in while the index is rebuilt: every word in the title or summary, newest first."""
    from search_index.analysis import words

    stmt = select(Pilot).where(Pilot.deleted_at.is_(None))
    if types := request.filters.get("type"):  # the cheapest facet to honour here, and what a list by type needs
        stmt = stmt.where(Pilot.entry_type.in_(types))
    for word in words(request.query)[:8]:
        like = f"%{word}%"
        stmt = stmt.where(or_(func.lower(Pilot.title).like(like), func.lower(Pilot.summary).like(like)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    per_page = max(1, min(request.per_page, 100))
    page = max(1, request.page)
    pilots = db.session.scalars(
        stmt.order_by(Pilot.updated_at.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    hits = [
        Hit(
            p.id,
            p.slug,
            p.title,
            str(escape(p.summary)),
            0.0,
            p.status,
            tuple(p.theme_keys),
            (p.owner.code,),
            p.updated_at,
            p.entry_type,
        )
        for p in pilots
    ]
    return SearchResult(total=total, page=page, per_page=per_page, hits=hits, facets={})


def search_service() -> SearchService:
    return current_app.extensions["pilotstarter_search"]


def init_app(app: Flask) -> None:
    """One SearchService per app, following the change log after every write (services/derived_data.py)."""
    service = SearchService(app)
    app.extensions["pilotstarter_search"] = service
    derived_data.follow(app, "search index", lambda: service.sync(timeout=0.0))
