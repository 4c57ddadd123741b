"""Engine set-up per dialect: SQLite in WAL mode with BEGIN IMMEDIATE for writes.

Two SQLite processes that begin, read and then write fail at once with "database is locked" under a
plain BEGIN (the busy timeout does not cover the lock upgrade). Write transactions therefore start with
BEGIN IMMEDIATE; read-only requests keep a deferred BEGIN so readers never queue behind writers.
"""

from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


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
