"""Engine set-up per dialect: SQLite in WAL mode with BEGIN IMMEDIATE for writes.

Two SQLite processes that begin, read and then write fail at once with "database is locked" under a
plain BEGIN (the busy timeout does not cover the lock upgrade). Write transactions therefore start with
BEGIN IMMEDIATE; read-only requests keep a deferred BEGIN so readers never queue behind writers.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)
View = TypeVar("View", bound=Callable[..., Any])
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_only(view: View) -> View:
    """Mark a POST view that changes nothing (a preview, a similarity check of unsaved text).

    Its transactions begin as reads, so it never holds SQLite's write lock while it computes: otherwise
    every such request would queue every save on the site behind its Markdown or its vectors. Put it
    right under the route decorator, so the mark is on the function the app calls."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def declares_writes(method: str, view: Callable[..., Any] | None) -> bool:
    """Whether a request will write: any method but GET, HEAD and OPTIONS, unless its view reads only."""
    return method not in READING_METHODS and not getattr(view, "reads_only", False)


def set_write_intent(value: bool) -> bool:
    """Declare that the transactions that follow (this request or command) will write; returns the old value."""
    old = _write_intent.get()
    _write_intent.set(value)
    return old


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")
