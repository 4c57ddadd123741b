"""In-app notifications, follows and invitations: how news about a pilot reaches people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisations import Organisation
from .pilots import Pilot
from .timeutil import utcnow
from .users import User


class Notification(db.Model):
    """One message for one person. The text is rendered from ``kind`` and ``data`` when shown, so it
    follows the reader's language (see services/notifications.py for the kinds)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    pilot: Mapped[Pilot | None] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Follow(db.Model):
    """A person following a pilot: notified of its news without taking part."""

    __tablename__ = "follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invitation(db.Model):
    """An organisation invited to take part in a pilot (from the partner suggestions); one per pair."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("pilot_id", "organisation_id", name="uq_invitations_pilot_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]  # joined or declined
    accepted: Mapped[bool | None]

    pilot: Mapped[Pilot] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(lazy="joined")
