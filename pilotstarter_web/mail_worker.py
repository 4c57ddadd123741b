"""Running the mail outbox: a loop for `flask send-mail --loop`, and the same loop as a background thread in
the server process (started by wsgi.py when MAIL_WORKER=thread, never by create_app).

Each pass sends what is due (services/mail_outbox.py: ``send_due``); between passes the loop waits
MAIL_WORKER_INTERVAL seconds, or less when a request just queued mail (services/mail_queue.py: ``wake``).
Any number of loops may run at once, in threads or processes: claiming is atomic.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask

from .extensions import db
from .services import mail_outbox
from .services.mail_queue import wake

log = logging.getLogger("pilotstarter.mail")


def run_loop(app: Flask, stop: threading.Event) -> None:
    """Send due mail until ``stop`` is set; an error in one pass is logged and the loop goes on."""
    interval = app.config["MAIL_WORKER_INTERVAL"]
    while not stop.is_set():
        wake.clear()
        with app.app_context():
            try:
                report = mail_outbox.drain()
                if report.attempted or report.digests:
                    log.info("mail worker: %s", report)
            except Exception:  # the database may be away for a moment: try again next pass
                log.exception("mail worker pass failed")
            finally:
                db.session.remove()
        wake.wait(interval)


def start_thread(app: Flask) -> tuple[threading.Thread, threading.Event]:
    """Start the loop in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=run_loop, args=(app, stop), name="mail-worker", daemon=True)
    thread.start()
    log.info("mail worker thread started (every %ss)", app.config["MAIL_WORKER_INTERVAL"])
    return thread, stop


def serving(argv: list[str]) -> bool:
    """Whether this process serves requests: anything but a `flask` command other than `run` (init, send-mail …
    import wsgi.py too, and must not start a thread)."""
    program = Path(argv[0]) if argv else Path()
    if program.name == "flask" or program.parent.name == "flask":  # the flask script, or python -m flask
        return "run" in argv[1:]
    return True


def start_if_configured(app: Flask, argv: list[str]) -> tuple[threading.Thread, threading.Event] | None:
    """Start the thread when MAIL_WORKER=thread and this process serves requests (called by wsgi.py)."""
    if app.config["MAIL_WORKER"] != "thread" or not serving(argv):
        return None
    return start_thread(app)
