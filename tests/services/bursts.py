"""Parallel bursts against the throttles: N requests at once, each in its own thread and session."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import event

from pilotstarter_web.database import set_write_intent
from pilotstarter_web.extensions import db


def burst(app, attempts: Sequence[Callable[[], str]], slow_tables: tuple[str, ...]) -> list[str]:
    """Run every attempt at the same moment, as parallel POSTs would (BEGIN IMMEDIATE on SQLite), with the
    statements on `slow_tables` slowed as on a loaded server: a check that reads and then writes lets more
    of the burst through. Returns what each attempt answered."""
    db.session.commit()  # end this thread's transaction: it may hold SQLite's write lock
    start, results = threading.Barrier(len(attempts)), []

    def worker(attempt: Callable[[], str]) -> None:
        with app.app_context():
            set_write_intent(True)
            start.wait()
            results.append(attempt())
            db.session.remove()

    def slow_database(conn, cursor, statement, *args):
        if any(table in statement for table in slow_tables):
            time.sleep(0.01)

    threads = [threading.Thread(target=worker, args=(attempt,)) for attempt in attempts]
    event.listen(db.engine, "before_cursor_execute", slow_database)
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        event.remove(db.engine, "before_cursor_execute", slow_database)
    assert len(results) == len(attempts)
    return results
