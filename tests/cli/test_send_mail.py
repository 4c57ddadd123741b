"""`flask send-mail` drains the outbox once; the server's mail thread sends as soon as a request queued mail."""

from __future__ import annotations

import time
from pathlib import Path

from pilotstarter_web.extensions import db
from pilotstarter_web.mail_worker import serving, start_if_configured
from pilotstarter_web.services import mail_outbox
from pilotstarter_web.services.accounts import queue_reset_mail
from pilotstarter_web.services.mail_queue import wake
from tests.factories import make_user


def eml_files(app) -> set[Path]:
    folder = Path(app.config["DATA_DIR"]) / "mail"
    return set(folder.glob("*.eml")) if folder.exists() else set()


def test_send_mail_sends_what_is_queued_and_says_so(app, runner):
    queue_reset_mail(make_user())
    db.session.commit()
    before = eml_files(app)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "1 verstuurd, 0 later opnieuw, 0 mislukt" in result.output
    assert len(eml_files(app) - before) == 1
    assert "0 verstuurd" in runner.invoke(args=["send-mail"]).output


def test_the_mail_thread_starts_only_when_asked_and_sends_what_a_commit_queued(app, monkeypatch):
    assert start_if_configured(app, ["gunicorn"]) is None  # MAIL_WORKER unset: no thread
    monkeypatch.setitem(app.config, "MAIL_WORKER", "thread")
    monkeypatch.setitem(app.config, "MAIL_WORKER_INTERVAL", 60)  # only the wake-up can make it quick
    assert start_if_configured(app, ["/usr/bin/flask", "send-mail"]) is None
    user = make_user()
    db.session.commit()
    before = eml_files(app)
    started = start_if_configured(app, ["/srv/.venv/bin/gunicorn", "wsgi:app"])
    assert started is not None
    thread, stop = started
    try:
        assert thread.daemon
        time.sleep(0.5)  # its first pass finds nothing
        queue_reset_mail(user)
        db.session.commit()
        deadline = time.monotonic() + 10
        while not (eml_files(app) - before) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        wake.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(eml_files(app) - before) == 1
    assert mail_outbox.counts()["sent"] == 1


def test_only_serving_processes_count_as_servers():
    assert serving(["/srv/.venv/bin/gunicorn", "wsgi:app"])
    assert serving([".venv/bin/flask", "run", "--port", "5000"])
    assert not serving([".venv/bin/flask", "send-mail", "--loop"])
    assert not serving(["/x/site-packages/flask/__main__.py", "init"])
