"""Queueing mail in the current transaction: a notification's mail or digest entry, and account mails.

The rows commit with the event that caused them or not at all (a rolled-back request mails nothing); the
worker (services/mail_outbox.py) sends them later. After a commit that queued mail, the process's mail thread
is woken so a password reset leaves at once.
"""

from __future__ import annotations

import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import DigestEntry, Notification, OutboxMail, User
from .mail_preferences import frequencies

_FLAG = "mail_queued"
wake = threading.Event()  # set after a commit that queued mail; the mail thread waits on it


def mailable(user: User) -> bool:
    """Notification mail goes to verified, active accounts only."""
    return user.active and user.verified_at is not None


def queue_notification_mails(kind: str, written: list[tuple[User, Notification]]) -> None:
    """For each (recipient, notification) just written: a mail now, a digest entry, or nothing, as chosen."""
    wanted = [(u, n) for u, n in written if mailable(u)]
    if not wanted:
        return
    chosen = frequencies([u for u, _n in wanted], kind)
    for user, notification in wanted:
        frequency = chosen[user.id]
        if frequency == "immediately":
            db.session.add(OutboxMail(user_id=user.id, to_address=user.email, kind=kind, notification=notification))
        elif frequency in ("daily", "weekly"):
            db.session.add(DigestEntry(user_id=user.id, notification=notification, frequency=frequency))


def queue_account_mail(user: User, kind: str, subject: str, body: str) -> OutboxMail:
    """A plain-text account mail written now (welcome, password reset): sent whatever the preferences, since
    it is about the account itself, and to unverified accounts too."""
    mail = OutboxMail(user_id=user.id, to_address=user.email, kind=kind, subject=subject, body=body)
    db.session.add(mail)
    return mail


@event.listens_for(Session, "after_flush")
def _note_queued(session: Session, _ctx) -> None:
    if any(isinstance(obj, OutboxMail) for obj in session.new):
        session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_FLAG, False):
        wake.set()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_FLAG, None)
