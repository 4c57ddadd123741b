"""Scale-up routing: a pilot's reviews for the portfolio consultation, the meetings, and every step taken.

The pilot's current state lives on ``Pilot.scale_up_state`` (a search facet); these tables hold the why,
who and when. services/scaleup.py is the only writer.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .pilots import Pilot
from .timeutil import utcnow
from .users import User


class PortfolioMeeting(db.Model):
    """One session of the municipal portfolio consultation (portfolio-overleg)."""

    __tablename__ = "portfolio_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[str] = mapped_column(Text, default="")  # internal notes; never in the API
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agenda: Mapped[list[ScaleUpReview]] = relationship(
        back_populates="meeting", order_by="ScaleUpReview.agenda_position"
    )


class ScaleUpReview(db.Model):
    """One round of the route for one pilot: from nomination (or a staff flag) to a decision or a send-back.

    A pilot sent back, or decided ``niet_nu``/``meer_informatie``, can be nominated again: that opens a new
    round, so every earlier decision and its questions stay readable.
    """

    __tablename__ = "scale_up_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)  # this round's state (see services/scaleup.py)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Nomination by a participant: why, who could reuse it, what it costs.
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    nominated_at: Mapped[datetime | None] = mapped_column(index=True)
    motivation: Mapped[str] = mapped_column(Text, default="")
    reuse: Mapped[str] = mapped_column(Text, default="")  # municipalities that could reuse it, and how
    costs: Mapped[str] = mapped_column(Text, default="")  # costs and effort, as known to the nominators
    # "Opschaalbaar?" set by VNG staff: routed to the portfolio consultation.
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    flagged_at: Mapped[datetime | None]
    flag_motivation: Mapped[str] = mapped_column(Text, default="")
    # Questions back to the nominators (send-back by staff, or a meer_informatie decision).
    questions: Mapped[str] = mapped_column(Text, default="")
    # Place on a meeting's agenda (1, 2, 3 …); kept after the decision, so the minutes stay complete.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("portfolio_meetings.id"), index=True)
    agenda_position: Mapped[int | None]
    # The consultation's decision: opschalen, niet_nu or meer_informatie.
    decision: Mapped[str | None] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")  # follow-up actions, one per line
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    pilot: Mapped[Pilot] = relationship(lazy="joined")
    meeting: Mapped[PortfolioMeeting | None] = relationship(back_populates="agenda")
    nominated_by: Mapped[User | None] = relationship(foreign_keys=[nominated_by_id])
    flagged_by: Mapped[User | None] = relationship(foreign_keys=[flagged_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def follow_up_actions(self) -> list[str]:
        return [line.strip(" -*\t") for line in self.follow_up.splitlines() if line.strip(" -*\t")]


class ScaleUpTransition(db.Model):
    """One step of the route (the pilot page's timeline). Appended only; the audit trail mirrors it."""

    __tablename__ = "scale_up_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("scale_up_reviews.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))  # nominate, flag, send_back, schedule, unschedule, decide
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("portfolio_meetings.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship(lazy="joined")
    meeting: Mapped[PortfolioMeeting | None] = relationship(lazy="joined")
