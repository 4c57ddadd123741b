"""The mail outbox, per-kind mail preferences and digest entries: how notifications reach the mailbox.

Rows are written in the same transaction as the event that causes them and drained later by a worker
(services/mail_outbox.py), like the change-log outbox: a mail server that is down never loses a mail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .notifications import Notification
from .timeutil import utcnow
from .users import User


class OutboxMail(db.Model):
    """One mail to send: a notification's (rendered when sent, in the recipient's language), a digest's
    (its entries point here) or an account mail written at once (``subject``/``body`` set)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40))  # a notification kind, digest.daily/weekly or account.*
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"))
    subject: Mapped[str] = mapped_column(String(300), default="")  # account mails only; cleared once sent
    body: Mapped[str] = mapped_column(Text, default="")  # account mails only (may hold a reset link); cleared once sent
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued, sending, sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)  # due from then on (back-off)
    claim: Mapped[str | None] = mapped_column(String(32))  # the worker that claimed it for sending
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(lazy="joined")
    notification: Mapped[Notification | None] = relationship()


class MailPreference(db.Model):
    """How one person wants mail of one notification kind; no row means the kind's default."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(10))  # immediately, daily, weekly, never
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DigestEntry(db.Model):
    """A notification waiting for its recipient's daily or weekly digest; ``mail_id`` records the digest
    that included it, so no digest ever mails it again."""

    __tablename__ = "mail_digest_entries"
    __table_args__ = (Index("ix_mail_digest_entries_pending", "frequency", "mail_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    frequency: Mapped[str] = mapped_column(String(10))  # daily or weekly
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mail_outbox.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    notification: Mapped[Notification] = relationship(lazy="joined")
