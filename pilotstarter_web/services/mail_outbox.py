"""The mail outbox's worker side: claim due mails atomically, send them, retry with back-off, keep failures.

Rows are queued by services/mail_queue.py in the transaction of the event. ``send_due`` first turns due
digest entries into digest mails (services/mail_digests.py), then claims a batch with one UPDATE (on
PostgreSQL through ``FOR UPDATE SKIP LOCKED``; on SQLite the write lock of BEGIN IMMEDIATE makes it atomic),
so several workers never send the same mail twice. A claim older than ``LEASE`` (a worker killed while
sending) is taken over: such a mail may go out twice, never zero times. A failing send is retried after
1, 2, 4 … minutes (capped); after MAIL_MAX_ATTEMPTS it is marked failed and kept, for an admin to retry.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select, update

from ..database import set_write_intent
from ..extensions import db
from ..models import OutboxMail, User, utcnow
from . import audit, permissions
from .mail import deliver
from .mail_digests import queue_due_digests
from .mail_render import render

log = logging.getLogger("pilotstarter.mail")
BATCH = 50
LEASE = timedelta(minutes=10)  # far above the SMTP timeout: a live worker never loses its claim
STATUSES = ("queued", "sending", "sent", "failed")
T = TypeVar("T")


@dataclass
class SendReport:
    """What one pass of the worker did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    digests: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMail.status == "queued", OutboxMail.next_attempt_at <= now),
        and_(OutboxMail.status == "sending", OutboxMail.claimed_at < now - LEASE),
    )


def _commit_writing(work: Callable[[], T]) -> T:
    """Run ``work`` and commit, in a transaction that declares its write at BEGIN (SQLite: BEGIN IMMEDIATE)."""
    previous = set_write_intent(True)
    try:
        db.session.commit()  # the worker's transactions are its own: begin a fresh one with the write intent
        result = work()
        db.session.commit()
        return result
    except Exception:
        db.session.rollback()
        raise
    finally:
        set_write_intent(previous)


def claim(limit: int = BATCH, now: datetime | None = None) -> tuple[str, list[int]]:
    """Claim up to ``limit`` due mails for this worker in one atomic UPDATE: (claim token, their ids)."""
    now = now or utcnow()
    token = secrets.token_hex(8)
    due_ids = (
        select(OutboxMail.id).where(_due(now)).order_by(OutboxMail.id).limit(limit).with_for_update(skip_locked=True)
    )
    stmt = (
        update(OutboxMail)
        .where(OutboxMail.id.in_(due_ids.scalar_subquery()), _due(now))  # re-checked: another worker may have won
        .values(status="sending", claim=token, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    _commit_writing(lambda: db.session.execute(stmt))
    ids = list(db.session.scalars(select(OutboxMail.id).where(OutboxMail.claim == token).order_by(OutboxMail.id)))
    db.session.commit()
    return token, ids


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: base, twice that, four times … up to the maximum."""
    cfg = current_app.config
    seconds = cfg["MAIL_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, cfg["MAIL_RETRY_MAX_SECONDS"]))


def send_due(now: datetime | None = None, limit: int = BATCH) -> SendReport:
    """One pass: queue due digests, claim a batch, send each mail. Never raises for a mail that fails."""
    now = now or utcnow()
    report = SendReport(digests=_commit_writing(lambda: queue_due_digests(now)))
    token, ids = claim(limit, now)
    with current_app.test_request_context():  # url_for in templates; links get PUBLIC_URL (services/mail.py)
        for mail_id in ids:
            outcome = _send_one(mail_id, token, now)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def drain(now: datetime | None = None, max_batches: int = 100) -> SendReport:
    """Send everything due now, batch after batch (``flask send-mail`` without --loop)."""
    total = SendReport()
    for _ in range(max_batches):
        report = send_due(now)
        for field in ("sent", "retrying", "failed", "digests"):
            setattr(total, field, getattr(total, field) + getattr(report, field))
        if report.attempted == 0:
            break
    return total


def _send_one(mail_id: int, token: str, now: datetime) -> str:
    """Render and deliver one claimed mail, then record the outcome: "sent", "retrying" or "failed"."""
    mail = db.session.get(OutboxMail, mail_id)
    error = ""
    try:
        if mail is None or mail.claim != token:
            return "retrying"  # taken over after our lease ran out: the other worker sends it
        deliver(render(mail))
    except Exception as exc:  # a transport failure or a rendering bug: retried, never lost, never a crash
        error = f"{type(exc).__name__}: {exc}"[:500]
        log.warning("mail %s to %s failed (attempt %s): %s", mail_id, mail.to_address, mail.attempts + 1, error)

    def record() -> str:
        row = db.session.get(OutboxMail, mail_id)
        assert row is not None
        row.claim, row.claimed_at = None, None
        if not error:
            row.status, row.sent_at, row.subject, row.body = "sent", utcnow(), "", ""  # no reset link kept
            return "sent"
        row.attempts += 1
        row.last_error = error
        if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            row.status = "failed"
            log.error("mail %s to %s failed %s times; kept as failed", mail_id, row.to_address, row.attempts)
            return "failed"
        row.status, row.next_attempt_at = "queued", now + backoff(row.attempts)
        return "retrying"

    return _commit_writing(record)


def counts() -> dict[str, int]:
    """How many mails are in each state (the admin page)."""
    found = dict(db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    return {status: found.get(status, 0) for status in STATUSES}


def failed_mails(limit: int = 100) -> list[OutboxMail]:
    """The newest mails that gave up, for an admin to look at and retry."""
    return list(
        db.session.scalars(
            select(OutboxMail).where(OutboxMail.status == "failed").order_by(OutboxMail.id.desc()).limit(limit)
        )
    )


def retry(actor: User, mail_id: int | None = None, ip: str | None = None) -> int:
    """Queue failed mails again (one, or all when ``mail_id`` is None) with a fresh count of attempts.

    :raise PermissionDenied: for anyone but VNG staff and admins.
    """
    permissions.require_account_manager(actor)
    stmt = update(OutboxMail).where(OutboxMail.status == "failed")
    if mail_id is not None:
        stmt = stmt.where(OutboxMail.id == mail_id)
    count = db.session.execute(
        stmt.values(status="queued", attempts=0, next_attempt_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if count:
        audit.record("mail.retried", actor, "mail", mail_id if mail_id is not None else "all", ip, count=count)
    return count or 0
