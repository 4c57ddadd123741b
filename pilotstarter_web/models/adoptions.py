"""Adoption after scale-up ("wij nemen dit over"): a government organisation reuses a scaled-up pilot or a
best practice, at a stage, with a contact person; and every stage it went through.

services/adoptions.py is the only writer. A withdrawn adoption is deleted with its steps (its contact details
are personal data); the audit log keeps that it happened.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisations import Organisation
from .pilots import Pilot
from .timeutil import utcnow
from .users import User

# Planned, being rolled out, in use: the order matters (lists and counts follow it).
ADOPTION_STAGES = ("gepland", "in_uitvoering", "in_gebruik")


class Adoption(db.Model):
    """One organisation's reuse of one entry: once per organisation and entry."""

    __tablename__ = "adoptions"
    __table_args__ = (
        UniqueConstraint("pilot_id", "organisation_id", name="uq_adoptions_pilot_organisation"),
        CheckConstraint(f"stage IN {ADOPTION_STAGES}", name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)  # one of ADOPTION_STAGES
    since: Mapped[date]  # the day the current stage began
    # Contact for logged-in users only (never in the API): a name and an e-mail address or a phone number.
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(1000), default="")  # plain text, shown escaped
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    pilot: Mapped[Pilot] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    declared_by: Mapped[User | None] = relationship()
    steps: Mapped[list[AdoptionStep]] = relationship(
        back_populates="adoption", cascade="all, delete-orphan", order_by="AdoptionStep.id"
    )


class AdoptionStep(db.Model):
    """A stage an adoption entered, and from which day: the first is the declaration. Appended only."""

    __tablename__ = "adoption_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(ForeignKey("adoptions.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    since: Mapped[date]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    adoption: Mapped[Adoption] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship()
