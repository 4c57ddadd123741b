"""The portfolio consultation around the scale-up state machine: meetings, agenda order, the VNG dashboard,
agenda exports and the audit log. State changes themselves happen only in services/scaleup.py."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from ..extensions import db
from ..models import AuditEvent, Pilot, PortfolioMeeting, ScaleUpReview, User, utcnow
from . import audit
from .csv_cells import safe_cell
from .errors import InvalidInput, NotFound
from .markdown_escape import escape_markdown
from .scaleup import DECISION_LABELS, STATE_LABELS, get_meeting, require_curator, when

MAX_TITLE = 200
SUGGESTION_CANDIDATES = 40  # pilots checked for demand per dashboard view: keeps the page cheap
# A similar pilot counts as demand from this score on (on the demo pilots, 0.1 and up is the same topic).
SUGGESTION_MIN_SCORE = 0.1
AUDIT_PER_PAGE = 50


# --- meetings and agenda -----------------------------------------------------------------------------------


def create_meeting(user: User | None, on: str | date | None, title: str) -> PortfolioMeeting:
    """VNG staff plan a consultation by date and title."""
    user = require_curator(user)
    errors: dict[str, list[str]] = {}
    if isinstance(on, date):
        day = on
    else:
        try:
            day = date.fromisoformat((on or "").strip())
        except ValueError:
            day = None
            errors["date"] = [_("Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2026-12-15.")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Geef het overleg een titel.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("Gebruik hoogstens %(n)d tekens.", n=MAX_TITLE)]
    if errors or day is None:
        raise InvalidInput(_("Controleer de datum en de titel van het overleg."), errors)
    meeting = PortfolioMeeting(date=day, title=title, created_by_id=user.id)
    db.session.add(meeting)
    db.session.flush()
    audit.record("portfolio.meeting_created", user, "meeting", meeting.id, title=title, date=day.isoformat())
    return meeting


def save_minutes(user: User | None, meeting: PortfolioMeeting, minutes: str) -> None:
    """Internal minutes of a meeting (staff only; never published)."""
    user = require_curator(user)
    meeting.minutes = (minutes or "").strip()[:20000]
    audit.record("portfolio.minutes_saved", user, "meeting", meeting.id)


def move_item(user: User | None, meeting: PortfolioMeeting, review_id: int | str | None, direction: str) -> None:
    """Move an agenda item one place up or down (swaps with its neighbour)."""
    user = require_curator(user)
    if direction not in ("up", "down"):
        raise InvalidInput(_("Kies omhoog of omlaag."))
    items = list(meeting.agenda)
    index = next((i for i, r in enumerate(items) if str(r.id) == str(review_id)), None)
    if index is None:
        raise NotFound(_("Dit punt staat niet op de agenda van dit overleg."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, item in enumerate(items, start=1):
            item.agenda_position = position
        audit.record(
            "portfolio.agenda_moved", user, "meeting", meeting.id, pilot=items[other].pilot.slug, direction=direction
        )


def meetings() -> list[PortfolioMeeting]:
    """All meetings, newest date first."""
    return list(db.session.scalars(select(PortfolioMeeting).order_by(PortfolioMeeting.date.desc())))


def upcoming_meetings() -> list[PortfolioMeeting]:
    return list(
        db.session.scalars(
            select(PortfolioMeeting).where(PortfolioMeeting.date >= date.today()).order_by(PortfolioMeeting.date)
        )
    )


def decided_meetings(page: int = 1, per_page: int = 20) -> tuple[list[PortfolioMeeting], int]:
    """Meetings with at least one decision, newest first: the public record (open data)."""
    where = PortfolioMeeting.id.in_(select(ScaleUpReview.meeting_id).where(ScaleUpReview.decision.is_not(None)))
    total = db.session.scalar(select(func.count()).select_from(PortfolioMeeting).where(where)) or 0
    items = db.session.scalars(
        select(PortfolioMeeting)
        .where(where)
        .order_by(PortfolioMeeting.date.desc(), PortfolioMeeting.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(items), total


def public_meeting_json(meeting: PortfolioMeeting) -> dict[str, Any]:
    """A meeting's decisions as open data; items still under discussion and the minutes stay internal."""
    return {
        "id": meeting.id,
        "date": meeting.date.isoformat(),
        "title": meeting.title,
        "decisions": [
            {
                "position": r.agenda_position,
                "pilot": {"slug": r.pilot.slug, "title": r.pilot.title},
                "decision": r.decision,
                "rationale": r.rationale,
                "follow_up": r.follow_up_actions,
                "decided_at": when(r.decided_at),
            }
            for r in meeting.agenda
            if r.decision is not None and not r.pilot.is_deleted
        ],
    }


def get_public_meeting(meeting_id: int) -> PortfolioMeeting:
    """:raise NotFound: unless the meeting has a decision (undecided agendas are not published)."""
    meeting = get_meeting(meeting_id)
    if not any(r.decision for r in meeting.agenda):
        raise NotFound(_("Dit portfolio-overleg heeft nog geen besluiten."))
    return meeting


def scaled_pilots() -> list[ScaleUpReview]:
    """Pilots that "wordt opgeschaald", with the decision that said so, newest decision first."""
    return list(
        db.session.scalars(
            select(ScaleUpReview)
            .join(Pilot, Pilot.id == ScaleUpReview.pilot_id)
            .where(
                Pilot.scale_up_state == "wordt_opgeschaald",
                Pilot.deleted_at.is_(None),
                ScaleUpReview.decision == "opschalen",
            )
            .order_by(ScaleUpReview.decided_at.desc())
        )
    )


# --- the dashboard -----------------------------------------------------------------------------------------


def state_counts() -> dict[str, int]:
    """Pilots per scale-up state (every state listed, zero included)."""
    rows = db.session.execute(
        select(Pilot.scale_up_state, func.count()).where(Pilot.deleted_at.is_(None)).group_by(Pilot.scale_up_state)
    )
    counts = dict.fromkeys(STATE_LABELS, 0)
    counts.update({state: n for state, n in rows})
    return counts


def _open_reviews(state: str) -> Select:
    return (
        select(ScaleUpReview)
        .join(Pilot, Pilot.id == ScaleUpReview.pilot_id)
        .where(Pilot.scale_up_state == state, ScaleUpReview.state == state, Pilot.deleted_at.is_(None))
    )


def queue() -> list[ScaleUpReview]:
    """Nominations waiting for VNG, longest waiting first."""
    return list(db.session.scalars(_open_reviews("genomineerd").order_by(ScaleUpReview.nominated_at)))


def flagged() -> list[ScaleUpReview]:
    """Pilots routed to the consultation and not yet on an agenda, flagged longest ago first."""
    return list(db.session.scalars(_open_reviews("opschaalbaar").order_by(ScaleUpReview.flagged_at)))


def waiting_days(review: ScaleUpReview) -> int:
    start = review.nominated_at or review.created_at
    return max((utcnow() - start).days, 0)


@dataclass(frozen=True)
class Suggestion:
    pilot: Pilot
    similar_elsewhere: int  # similar pilots of other organisations: a sign of demand
    examples: list[Pilot]


def suggestions(limit: int = 5) -> list[Suggestion]:
    """Pilots not yet routed that many other organisations work on too (demand), from the similarity model.

    Only the most recently changed running or finished pilots are checked, so the dashboard stays fast.
    """
    from .matchmaking.similarity import similarity_service

    candidates = db.session.scalars(
        select(Pilot)
        .where(Pilot.scale_up_state == "geen", Pilot.deleted_at.is_(None), Pilot.status.in_(("lopend", "afgerond")))
        .order_by(Pilot.updated_at.desc())
        .limit(SUGGESTION_CANDIDATES)
    )
    service = similarity_service()
    found = []
    for pilot in candidates:
        others = [
            p
            for p, match in service.similar(pilot, limit=10)
            if p.owner_id != pilot.owner_id and (match.duplicate or match.score >= SUGGESTION_MIN_SCORE)
        ]
        if len(others) >= 2:
            found.append(Suggestion(pilot, len(others), others[:3]))
    found.sort(key=lambda s: (-s.similar_elsewhere, s.pilot.title))
    return found[:limit]


# --- exports -----------------------------------------------------------------------------------------------


def agenda_csv(meeting: PortfolioMeeting, pilot_url: Any) -> str:
    """The agenda as CSV (one row per item); ``pilot_url(slug)`` makes the link."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Nr"), _("Pilot"), _("Organisatie"), _("Adres"), _("Voorgedragen door"), _("Motivering VNG"),
         _("Besluit"), _("Motivering besluit"), _("Vervolgacties")]
    )  # fmt: skip
    for r in meeting.agenda:
        writer.writerow(
            [safe_cell(str(v)) for v in (
                r.agenda_position, r.pilot.title, r.pilot.owner.display_name, pilot_url(r.pilot.slug),
                r.nominated_by.name if r.nominated_by else "", r.flag_motivation,
                DECISION_LABELS[r.decision] if r.decision else "", r.rationale, "; ".join(r.follow_up_actions),
            )]
        )  # fmt: skip
    return out.getvalue()


def agenda_markdown(meeting: PortfolioMeeting, pilot_url: Any) -> str:
    """The agenda as Markdown, ready to paste into a wiki page or an e-mail."""
    md = escape_markdown  # every piece of user text, so the export cannot carry markup (HTML, links, headings)
    lines = [f"# {md(meeting.title)}", "", f"{_('Datum')}: {meeting.date.isoformat()}", ""]
    if not meeting.agenda:
        lines.append(_("Nog geen pilots op de agenda."))
    for r in meeting.agenda:
        lines += [f"## {r.agenda_position}. [{md(r.pilot.title)}]({pilot_url(r.pilot.slug)})", ""]
        lines.append(f"- {_('Organisatie')}: {md(r.pilot.owner.display_name)}")
        if r.nominated_by:
            lines.append(f"- {_('Voorgedragen door')}: {md(r.nominated_by.name)}")
        if r.flag_motivation:
            lines.append(f"- {_('Motivering VNG')}: {md(r.flag_motivation)}")
        if r.decision:
            lines.append(f"- {_('Besluit')}: {DECISION_LABELS[r.decision]} — {md(r.rationale)}")
            lines += [f"  - {md(action)}" for action in r.follow_up_actions]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- the audit log -----------------------------------------------------------------------------------------


@dataclass
class AuditFilters:
    action: str = ""  # an action or a prefix such as "scaleup."
    actor: str = ""  # part of the actor's e-mail address or name
    pilot: str = ""  # a pilot's slug
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


def audit_events(user: User | None, filters: AuditFilters) -> tuple[list[tuple[AuditEvent, User | None]], int]:
    """One page of audit events, newest first, for VNG staff and admins."""
    require_curator(user)
    stmt = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
    if filters.action:
        stmt = stmt.where(or_(AuditEvent.action == filters.action, AuditEvent.action.startswith(filters.action)))
    if filters.actor:
        pattern = f"%{filters.actor.lower()}%"
        stmt = stmt.where(or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern)))
    if filters.pilot:
        stmt = stmt.where(AuditEvent.object_type == "pilot", AuditEvent.object_id == filters.pilot)
    if filters.date_from:
        stmt = stmt.where(AuditEvent.created_at >= datetime.combine(filters.date_from, datetime.min.time()))
    if filters.date_to:
        stmt = stmt.where(
            AuditEvent.created_at < datetime.combine(filters.date_to + timedelta(days=1), datetime.min.time())
        )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.execute(
        stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PER_PAGE)
        .offset((filters.page - 1) * AUDIT_PER_PAGE)
    )
    return [(event, actor) for event, actor in rows], total


def audit_actions() -> list[str]:
    """The actions that occur, for the filter's choices."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
