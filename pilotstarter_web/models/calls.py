"""Challenge calls (oproepen): a call, its criteria and committee, the challenges submitted to it with their
co-submitters, the committee's scores, the suppliers' proposals, and every step taken.

services/challenges.py (and call_scoring.py, call_proposals.py) are the only writers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisations import Organisation
from .pilots import Pilot
from .timeutil import utcnow
from .users import User


class ChallengeCall(db.Model):
    """One call for challenges: open from ``opens_on`` to ``closes_on`` (inclusive), then scored and selected."""

    __tablename__ = "challenge_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)  # stable: never changes with the title
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, rendered sanitized
    opens_on: Mapped[date]
    closes_on: Mapped[date]  # the last day a challenge can be submitted
    min_cofunding: Mapped[int] = mapped_column(default=20)  # percent the submitters fund together
    budget: Mapped[int | None]  # euros, optional
    state: Mapped[str] = mapped_column(String(30), default="concept", index=True)
    published_at: Mapped[datetime | None]  # the selection's publication: from then on immutable
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    criteria: Mapped[list[CallCriterion]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallCriterion.position"
    )
    committee: Mapped[list[CommitteeMember]] = relationship(cascade="all, delete-orphan")
    submissions: Mapped[list[CallSubmission]] = relationship(back_populates="call", order_by="CallSubmission.id")


class CallCriterion(db.Model):
    """A selection criterion with its weight (a positive whole number; ranking normalises the weights)."""

    __tablename__ = "call_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("challenge_calls.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int] = mapped_column(default=1)

    call: Mapped[ChallengeCall] = relationship(back_populates="criteria")


class CommitteeMember(db.Model):
    """A user on a call's selection committee (assigned by VNG staff)."""

    __tablename__ = "call_committee"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("challenge_calls.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class CallSubmission(db.Model):
    """A challenge entry submitted to a call by a lead organisation with co-submitters."""

    __tablename__ = "call_submissions"
    __table_args__ = (UniqueConstraint("call_id", "pilot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("challenge_calls.id"), index=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)  # the challenge entry
    lead_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[str] = mapped_column(String(30), default="concept", index=True)
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None]  # the published weighted average (None until publication)
    rank: Mapped[int | None]  # 1 = best, at publication
    decision_reason: Mapped[str] = mapped_column(Text, default="")  # why (not) selected, public once published
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[ChallengeCall] = relationship(back_populates="submissions")
    pilot: Mapped[Pilot] = relationship(lazy="joined")
    lead: Mapped[Organisation] = relationship(lazy="joined")
    partners: Mapped[list[SubmissionPartner]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="SubmissionPartner.id"
    )
    proposals: Mapped[list[CallProposal]] = relationship(back_populates="submission", order_by="CallProposal.id")


class SubmissionPartner(db.Model):
    """An organisation on a submission: the lead (confirmed at once) or an invited co-submitter."""

    __tablename__ = "call_submission_partners"
    __table_args__ = (UniqueConstraint("submission_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("call_submissions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    pledge: Mapped[int] = mapped_column(default=0)  # percent of the challenge's cost this organisation funds
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[CallSubmission] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class CallScore(db.Model):
    """One committee member's score on one criterion of one submission, with the required motivation."""

    __tablename__ = "call_scores"
    __table_args__ = (UniqueConstraint("submission_id", "criterion_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("call_submissions.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("call_criteria.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    score: Mapped[int]
    motivation: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class CallProposal(db.Model):
    """A supplier's or researcher's proposal for a selected challenge."""

    __tablename__ = "call_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("call_submissions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown, rendered sanitized
    price: Mapped[int | None]  # euros, optional
    timeline: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(20), default="ingediend")  # ingediend, aanvaard, niet_aanvaard
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[CallSubmission] = relationship(back_populates="proposals")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship()


class CallTransition(db.Model):
    """One step of a call's or a submission's route (appended only; the audit trail mirrors it)."""

    __tablename__ = "call_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("challenge_calls.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("call_submissions.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
