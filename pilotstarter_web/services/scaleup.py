"""The scale-up route as one explicit state machine: nominate → flag ("opschaalbaar?") → schedule → decide.

Every step goes through :func:`_transition`: it checks the table below (an action that is not allowed in the
pilot's current state raises :class:`InvalidTransition`, nothing changes), moves ``Pilot.scale_up_state``,
appends a ChangeLog row (the search facet follows), a timeline row and an audit event, and notifies the
pilot's participants and followers. Pages and the API call these functions, so the rules hold for both.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Pilot, PortfolioMeeting, ScaleUpReview, ScaleUpTransition, User, utcnow
from ..models.ids import parse_id
from . import audit, notifications, permissions
from .change_log import record_change
from .entry_types import has_scale_up_route
from .errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from .participation import is_participant
from .permissions import can_write, require_writer
from .scaleup_checklist import checklist

STATE_LABELS: dict[str, Any] = {
    "geen": _l("Niet voorgedragen"),
    "genomineerd": _l("Voorgedragen voor opschaling"),
    "teruggestuurd": _l("Teruggestuurd met vragen"),
    "opschaalbaar": _l("Opschaalbaar: naar het portfolio-overleg"),
    "geagendeerd": _l("Geagendeerd voor het portfolio-overleg"),
    "wordt_opgeschaald": _l("Wordt opgeschaald"),
    "niet_nu": _l("Niet nu opgeschaald"),
    "meer_informatie": _l("Meer informatie nodig"),
}
DECISION_LABELS: dict[str, Any] = {
    "opschalen": _l("Opschalen"),
    "niet_nu": _l("Niet nu"),
    "meer_informatie": _l("Meer informatie nodig"),
}
ACTION_LABELS: dict[str, Any] = {
    "nominate": _l("Voorgedragen"),
    "flag": _l("Opschaalbaar verklaard"),
    "send_back": _l("Teruggestuurd met vragen"),
    "schedule": _l("Geagendeerd"),
    "unschedule": _l("Van de agenda gehaald"),
    "decide": _l("Besluit portfolio-overleg"),
}

# (current state, action) -> next state. Anything not listed is refused. "decide" is split by decision.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("geen", "nominate"): "genomineerd",
    ("teruggestuurd", "nominate"): "genomineerd",
    ("meer_informatie", "nominate"): "genomineerd",
    ("niet_nu", "nominate"): "genomineerd",
    ("genomineerd", "flag"): "opschaalbaar",
    ("geen", "flag"): "opschaalbaar",  # a pilot the dashboard suggests, routed without a nomination
    ("genomineerd", "send_back"): "teruggestuurd",
    ("opschaalbaar", "send_back"): "teruggestuurd",
    ("opschaalbaar", "schedule"): "geagendeerd",
    ("geagendeerd", "unschedule"): "opschaalbaar",
    ("geagendeerd", "decide:opschalen"): "wordt_opgeschaald",
    ("geagendeerd", "decide:niet_nu"): "niet_nu",
    ("geagendeerd", "decide:meer_informatie"): "meer_informatie",
}
STAFF_ACTIONS = frozenset({"flag", "send_back", "schedule", "unschedule", "decide"})
MAX_TEXT = 5000

for _kind, _text in {
    "scaleup.nominated": _l("%(actor)s heeft de pilot %(pilot)s voorgedragen voor opschaling"),
    "scaleup.flagged": _l("VNG heeft de pilot %(pilot)s opschaalbaar verklaard: hij gaat naar het portfolio-overleg"),
    "scaleup.sent_back": _l("VNG stuurt de voordracht van de pilot %(pilot)s terug met vragen"),
    "scaleup.scheduled": _l("De pilot %(pilot)s staat op de agenda van %(meeting)s"),
    "scaleup.unscheduled": _l("De pilot %(pilot)s is van de agenda van %(meeting)s gehaald"),
    "scaleup.decided.opschalen": _l("Het portfolio-overleg heeft besloten de pilot %(pilot)s op te schalen"),
    "scaleup.decided.niet_nu": _l("Het portfolio-overleg heeft besloten de pilot %(pilot)s nu niet op te schalen"),
    "scaleup.decided.meer_informatie": _l("Het portfolio-overleg wil meer informatie over de pilot %(pilot)s"),
}.items():
    notifications.register(_kind, _text)


class InvalidTransition(ServiceError):
    """The action is not allowed in the pilot's current state (e.g. deciding on a pilot not on an agenda)."""

    status = 409


# --- permissions -------------------------------------------------------------------------------------------


def can_nominate(user: User | None, pilot: Pilot) -> bool:
    """Verified members of an organisation taking part (initiator, partner, supplier) nominate."""
    return can_write(user) and not pilot.is_deleted and is_participant(user, pilot)


def can_curate(user: User | None) -> bool:
    """Only VNG staff and admins flag, send back, schedule and decide."""
    return permissions.is_curator(user)


def require_curator(user: User | None) -> User:
    """:raise PermissionDenied: for anyone but a curator (:func:`permissions.is_curator`)."""
    return permissions.require_curator(
        user, _("Alleen VNG-medewerkers en beheerders kunnen dit doen in het portfolio-overleg.")
    )


def _require_allowed(user: User | None, pilot: Pilot, action: str) -> User:
    if action in STAFF_ACTIONS:
        return require_curator(user)
    require_writer(user)
    if not is_participant(user, pilot):
        raise PermissionDenied(_("Alleen deelnemers aan deze pilot kunnen hem voordragen voor opschaling."))
    return user


# --- the state machine -------------------------------------------------------------------------------------


def allowed_actions(pilot: Pilot) -> set[str]:
    """Actions the table allows in the pilot's current state ("decide" when any decision is possible)."""
    return {action.split(":")[0] for state, action in TRANSITIONS if state == pilot.scale_up_state}


def _text(value: str | None, field: str, message: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(message, {field: [message]})
    if len(text) > MAX_TEXT:
        too_long = _("Gebruik hoogstens %(n)d tekens.", n=MAX_TEXT)
        raise InvalidInput(too_long, {field: [too_long]})
    return text


def _check_state(pilot: Pilot, action: str) -> str:
    if pilot.is_deleted:
        raise InvalidInput(_("Deze pilot is verwijderd."))
    if not has_scale_up_route(pilot):
        raise InvalidTransition(_("Alleen pilots gaan naar het portfolio-overleg, geen best practices of challenges."))
    target = TRANSITIONS.get((pilot.scale_up_state, action))
    if target is None:
        raise InvalidTransition(
            _(
                "Dit kan nu niet: de pilot staat op “%(state)s” en “%(action)s” is dan niet toegestaan.",
                state=STATE_LABELS.get(pilot.scale_up_state, pilot.scale_up_state),
                action=ACTION_LABELS.get(action.split(":")[0], action),
            )
        )
    return target


def current_review(pilot: Pilot) -> ScaleUpReview | None:
    """The pilot's latest round, open or closed."""
    return db.session.scalar(
        select(ScaleUpReview).where(ScaleUpReview.pilot_id == pilot.id).order_by(ScaleUpReview.id.desc()).limit(1)
    )


def _transition(
    user: User,
    pilot: Pilot,
    action: str,
    target: str,
    review: ScaleUpReview,
    reason: str,
    meeting: PortfolioMeeting | None = None,
    notify_kind: str = "",
) -> ScaleUpTransition:
    """Apply one checked step: state, outbox, timeline, audit, notifications — all in this transaction."""
    before = pilot.scale_up_state
    pilot.scale_up_state = target
    review.state = target
    db.session.flush()  # the review needs its id for the timeline row
    step = ScaleUpTransition(
        pilot_id=pilot.id, review_id=review.id, action=action.split(":")[0], from_state=before, to_state=target,
        actor_id=user.id, reason=reason, meeting_id=meeting.id if meeting else None,
    )  # fmt: skip
    db.session.add(step)
    record_change(pilot)  # scale_up is a search facet
    audit.record(
        f"scaleup.{action.split(':')[0]}", user, "pilot", pilot.slug, from_state=before, to_state=target,
        reason=reason, review=review.id, meeting=meeting.title if meeting else None,
    )  # fmt: skip
    recipients = notifications.pilot_audience(pilot) + ([review.nominated_by] if review.nominated_by else [])
    if action == "nominate":
        recipients += permissions.curators()  # they hear of every new nomination
    notifications.notify(
        recipients, notify_kind, actor=user, pilot=pilot, meeting=meeting.title if meeting else "",
    )  # fmt: skip
    return step


def require_nominate(user: User | None, pilot: Pilot) -> None:
    """:raise PermissionDenied: for non-participants; :raise InvalidTransition: when the state does not allow it."""
    _require_allowed(user, pilot, "nominate")
    _check_state(pilot, "nominate")


def nominate(user: User | None, pilot: Pilot, motivation: str, reuse: str = "", costs: str = "") -> ScaleUpReview:
    """A participant proposes the pilot for scale-up; opens a new round (also after a send-back)."""
    user = _require_allowed(user, pilot, "nominate")
    target = _check_state(pilot, "nominate")
    review = ScaleUpReview(
        pilot=pilot, state=pilot.scale_up_state, nominated_by=user, nominated_at=utcnow(),
        motivation=_text(motivation, "motivation", _("Schrijf waarom deze pilot opgeschaald kan worden.")),
        reuse=_text(reuse, "reuse", "", required=False), costs=_text(costs, "costs", "", required=False),
    )  # fmt: skip
    db.session.add(review)
    _transition(user, pilot, "nominate", target, review, review.motivation, notify_kind="scaleup.nominated")
    return review


def flag(user: User | None, pilot: Pilot, motivation: str) -> ScaleUpReview:
    """VNG staff set "opschaalbaar?": the pilot is routed to the portfolio consultation."""
    user = _require_allowed(user, pilot, "flag")
    target = _check_state(pilot, "flag")
    text = _text(motivation, "motivation", _("Schrijf waarom deze pilot opschaalbaar is."))
    review = current_review(pilot) if pilot.scale_up_state == "genomineerd" else None
    if review is None:  # flagged straight from the suggestions: a round without a nomination
        review = ScaleUpReview(pilot=pilot, state=pilot.scale_up_state)
        db.session.add(review)
    review.flagged_by, review.flagged_at, review.flag_motivation = user, utcnow(), text
    _transition(user, pilot, "flag", target, review, text, notify_kind="scaleup.flagged")
    return review


def send_back(user: User | None, pilot: Pilot, questions: str) -> ScaleUpReview:
    """VNG staff return a nomination to its nominators with questions; they can nominate again."""
    user = _require_allowed(user, pilot, "send_back")
    target = _check_state(pilot, "send_back")
    review = current_review(pilot)
    review.questions = _text(questions, "questions", _("Schrijf de vragen aan de voordragers."))
    _transition(user, pilot, "send_back", target, review, review.questions, notify_kind="scaleup.sent_back")
    return review


def get_meeting(meeting_id: int | str | None) -> PortfolioMeeting:
    """:raise NotFound: for an unknown or malformed id."""
    number = parse_id(meeting_id)
    meeting = db.session.get(PortfolioMeeting, number) if number is not None else None
    if meeting is None:
        raise NotFound(_("Dit portfolio-overleg bestaat niet."))
    return meeting


def schedule(user: User | None, pilot: Pilot, meeting_id: int | str | None, note: str = "") -> ScaleUpReview:
    """Place a flagged pilot last on a meeting's agenda."""
    user = _require_allowed(user, pilot, "schedule")
    target = _check_state(pilot, "schedule")
    meeting = get_meeting(meeting_id)
    review = current_review(pilot)
    last = db.session.scalar(
        select(func.max(ScaleUpReview.agenda_position)).where(ScaleUpReview.meeting_id == meeting.id)
    )
    review.meeting, review.agenda_position = meeting, (last or 0) + 1
    reason = _text(note, "note", "", required=False)
    _transition(user, pilot, "schedule", target, review, reason, meeting, notify_kind="scaleup.scheduled")
    return review


def unschedule(user: User | None, pilot: Pilot, note: str = "") -> ScaleUpReview:
    """Take a pilot off its meeting's agenda (back to flagged); the items after it move up."""
    user = _require_allowed(user, pilot, "unschedule")
    target = _check_state(pilot, "unschedule")
    review = current_review(pilot)
    meeting = review.meeting
    review.meeting, review.agenda_position = None, None
    db.session.flush()
    if meeting is not None:
        for position, item in enumerate((r for r in meeting.agenda if r.id != review.id), start=1):
            item.agenda_position = position
    reason = _text(note, "note", "", required=False)
    _transition(user, pilot, "unschedule", target, review, reason, meeting, notify_kind="scaleup.unscheduled")
    return review


def decide(
    user: User | None, pilot: Pilot, decision: str, rationale: str, follow_up: str = "", questions: str = ""
) -> ScaleUpReview:
    """Record the consultation's decision on an agenda item, with rationale and follow-up actions."""
    user = _require_allowed(user, pilot, "decide")
    if decision not in DECISION_LABELS:
        message = _("Kies een besluit: opschalen, niet nu of meer informatie.")
        raise InvalidInput(message, {"decision": [message]})
    target = _check_state(pilot, f"decide:{decision}")
    review = current_review(pilot)
    if meeting_ahead(review):  # it would be published as taken at a meeting that has not been held
        message = _(
            "Het overleg “%(m)s” is op %(d)s. Een besluit kan pas vanaf die dag worden vastgelegd.",
            m=review.meeting.title, d=format_date(review.meeting.date, "d MMMM y"),
        )  # fmt: skip
        raise InvalidInput(message, {"decision": [message]})
    review.rationale = _text(rationale, "rationale", _("Schrijf de motivering van het besluit."))
    review.follow_up = _text(follow_up, "follow_up", "", required=False)
    review.questions = _text(
        questions, "questions", _("Schrijf de vragen aan de voordragers."), required=decision == "meer_informatie"
    )
    review.decision, review.decided_by, review.decided_at = decision, user, utcnow()
    _transition(
        user, pilot, f"decide:{decision}", target, review, review.rationale, review.meeting,
        notify_kind=f"scaleup.decided.{decision}",
    )  # fmt: skip
    return review


def meeting_ahead(review: ScaleUpReview | None) -> bool:
    """True while the review's meeting is still to come: its decision cannot be recorded yet."""
    return review is not None and review.meeting is not None and review.meeting.date > date.today()


# --- reading -----------------------------------------------------------------------------------------------


def timeline(pilot: Pilot) -> list[ScaleUpTransition]:
    """Every step of the route for this pilot, oldest first."""
    return list(
        db.session.scalars(
            select(ScaleUpTransition)
            .where(ScaleUpTransition.pilot_id == pilot.id)
            .order_by(ScaleUpTransition.created_at, ScaleUpTransition.id)
        )
    )


def latest_decision(pilot: Pilot) -> ScaleUpReview | None:
    """The most recent round that the consultation decided, if any."""
    if pilot.scale_up_state == "geen":  # never routed: skip the query (most pilots, every API list item)
        return None
    return db.session.scalar(
        select(ScaleUpReview)
        .where(ScaleUpReview.pilot_id == pilot.id, ScaleUpReview.decision.is_not(None))
        .order_by(ScaleUpReview.decided_at.desc(), ScaleUpReview.id.desc())
        .limit(1)
    )


def decision_json(review: ScaleUpReview) -> dict[str, Any]:
    """A decision as open data: what, why, what next, when and where (no names of staff)."""
    meeting = review.meeting
    return {
        "decision": review.decision,
        "rationale": review.rationale,
        "follow_up": review.follow_up_actions,
        "decided_at": when(review.decided_at) or None,
        "meeting": {"id": meeting.id, "title": meeting.title, "date": meeting.date.isoformat()} if meeting else None,
    }


def scale_up_json(pilot: Pilot) -> dict[str, Any]:
    """The ``scale_up`` object of a pilot in the API: its state and the latest decision."""
    review = latest_decision(pilot)
    return {"state": pilot.scale_up_state, "decision": decision_json(review) if review else None}


def panel(pilot: Pilot, user: User | None) -> dict[str, Any]:
    """Everything the pilot page's scale-up panel shows, in one call (a template helper, no route changes)."""
    review = current_review(pilot)
    return {
        "state": pilot.scale_up_state,
        "label": STATE_LABELS.get(pilot.scale_up_state, pilot.scale_up_state),
        "review": review,
        "decision": latest_decision(pilot),
        "timeline": timeline(pilot),
        "checklist": checklist(pilot, review),
        # The checklist is the team's and VNG's working list; the public sees the decision and its reasons.
        "show_checklist": can_curate(user) or is_participant(user, pilot),
        "meeting_ahead": meeting_ahead(review),
        "can_nominate": can_nominate(user, pilot) and "nominate" in allowed_actions(pilot),
        "can_curate": can_curate(user),
    }


def when(moment: datetime | None) -> str:
    """ISO time with Z for exports and JSON."""
    return moment.isoformat(timespec="seconds") + "Z" if moment else ""
