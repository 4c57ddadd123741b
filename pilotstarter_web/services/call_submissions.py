"""Submitting a challenge to a call: the lead starts it, invites co-submitters, they confirm with a co-funding
pledge, the lead submits (or withdraws). The rules are in services/challenges.py's docstring; every step goes
through its state machine (:func:`challenges.step`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import CallSubmission, CallTransition, ChallengeCall, Organisation, Pilot, SubmissionPartner, User, utcnow
from . import audit, entry_types, notifications, permissions
from .challenges import (
    MIN_GOVERNMENTS,
    SUBMISSION_STATE_LABELS,
    SUBMISSION_TRANSITIONS,
    InvalidTransition,
    _check,
    can_manage,
    confirmed,
    is_government,
    is_lead,
    percent_field,
    require_lead,
    step,
    submission_audience,
    text_field,
)
from .errors import InvalidInput, PermissionDenied
from .permissions import can_write, require_writer
from .pilots import PilotText, create_pilot


def accepting(call: ChallengeCall, today: date | None = None) -> bool:
    """Open and within its dates (the close date included)."""
    today = today or date.today()
    return call.state == "open" and call.opens_on <= today <= call.closes_on


def _require_accepting(call: ChallengeCall) -> None:
    """:raise InvalidTransition: when the call does not accept challenges today."""
    if not accepting(call):
        raise InvalidTransition(_("Deze oproep neemt nu geen challenges aan (zie de data van de oproep)."))


def own_challenges(user: User | None) -> list[Pilot]:
    """The challenge entries of the user's organisation, to submit one that exists."""
    if not can_write(user):
        return []
    return list(
        db.session.scalars(
            select(Pilot)
            .where(Pilot.owner_id == user.organisation_id, Pilot.entry_type == "challenge", Pilot.deleted_at.is_(None))
            .order_by(Pilot.title)
            .limit(200)
        )
    )


def require_can_start(user: User | None, call: ChallengeCall) -> User:
    """:raise PermissionDenied: for anyone but a government's verified member; :raise InvalidTransition: when
    the call does not accept challenges today."""
    user = require_writer(user)
    _require_accepting(call)
    if not is_government(user.organisation):
        raise PermissionDenied(_("Alleen overheden (zoals gemeenten) dienen challenges in."))
    return user


def start_submission(
    user: User | None, call: ChallengeCall, pledge: Any, pilot: Pilot | None = None, text: PilotText | None = None
) -> CallSubmission:
    """The lead organisation starts a submission (``concept``) with an existing challenge of its own or a new one.

    :raise PermissionDenied: when the user's organisation is not a government.
    """
    user = require_can_start(user, call)
    pledge_pct = percent_field(pledge, "pledge")
    if pilot is None:
        if text is None:
            raise InvalidInput(_("Kies een challenge of beschrijf een nieuwe."))
        # A challenge from the start, with a challenge's status (services/entry_types.py validates it).
        text.entry_type = "challenge"
        if not entry_types.valid_status("challenge", text.status):
            text.status = entry_types.default_status("challenge")
        pilot = create_pilot(user, text)
    elif pilot.owner_id != user.organisation_id or pilot.entry_type != "challenge" or pilot.is_deleted:
        message = _("Kies een challenge van uw eigen organisatie.")
        raise InvalidInput(message, {"pilot": [message]})
    taken = db.session.scalar(
        select(CallSubmission.id).where(CallSubmission.call_id == call.id, CallSubmission.pilot_id == pilot.id)
    )
    if taken is not None:
        message = _("Deze challenge is al bij deze oproep aangemeld.")
        raise InvalidInput(message, {"pilot": [message]})
    submission = CallSubmission(
        call=call, pilot=pilot, lead_id=user.organisation_id, created_by_id=user.id, state="concept"
    )
    submission.partners.append(
        SubmissionPartner(
            organisation_id=user.organisation_id,
            invited_by_id=user.id,
            confirmed_by_id=user.id,
            confirmed_at=utcnow(),
            pledge=pledge_pct,
        )
    )
    db.session.add(submission)
    db.session.flush()
    audit.record("call.submission_started", user, "call_submission", submission.id, call=call.slug)
    return submission


def invite(user: User | None, submission: CallSubmission, organisation: Organisation | None) -> SubmissionPartner:
    """The lead asks a government organisation to co-submit; its verified members hear of it and confirm."""
    user = require_lead(user, submission)
    if submission.state != "concept":
        raise InvalidTransition(_("Medeindieners uitnodigen kan alleen zolang de inzending een concept is."))
    if not is_government(organisation):
        message = _("Kies een overheid (zoals een gemeente): leveranciers tellen niet als medeindiener.")
        raise InvalidInput(message, {"organisation": [message]})
    if any(p.organisation_id == organisation.id for p in submission.partners):
        message = _("%(org)s staat al op deze inzending.", org=organisation.display_name)
        raise InvalidInput(message, {"organisation": [message]})
    if len(submission.partners) >= 20:
        raise InvalidInput(_("Een inzending heeft hoogstens 20 organisaties."))
    partner = SubmissionPartner(organisation_id=organisation.id, organisation=organisation, invited_by_id=user.id)
    submission.partners.append(partner)
    db.session.flush()
    audit.record("call.co_submitter_invited", user, "call_submission", submission.id, organisation=organisation.code)
    notifications.notify(
        notifications.verified_members([organisation.id]),
        "call.invited",
        actor=user,
        pilot=submission.pilot,
        organisation=submission.lead,
        call_title=submission.call.title,
        call_slug=submission.call.slug,
        submission=submission.id,
    )
    return partner


def _own_partner_row(user: User, submission: CallSubmission) -> SubmissionPartner:
    """The user's organisation on this submission. :raise PermissionDenied: when it is not on it."""
    for partner in submission.partners:
        if partner.organisation_id == user.organisation_id:
            return partner
    raise PermissionDenied(_("Uw organisatie is niet uitgenodigd voor deze inzending."))


def confirm(user: User | None, submission: CallSubmission, pledge: Any) -> SubmissionPartner:
    """A verified member of an invited organisation confirms it co-submits, with its co-funding pledge (%)."""
    user = require_writer(user)
    partner = _own_partner_row(user, submission)
    if submission.state != "concept":
        raise InvalidTransition(_("Deze inzending is geen concept meer."))
    partner.pledge = percent_field(pledge, "pledge")
    partner.confirmed_at, partner.confirmed_by_id, partner.declined_at = utcnow(), user.id, None
    audit.record("call.co_submitter_confirmed", user, "call_submission", submission.id, pledge=partner.pledge)
    db.session.flush()
    return partner


def decline(user: User | None, submission: CallSubmission) -> SubmissionPartner:
    """An invited organisation says no (the lead's own row cannot be declined)."""
    user = require_writer(user)
    partner = _own_partner_row(user, submission)
    if submission.state != "concept" or partner.organisation_id == submission.lead_id:
        raise InvalidTransition(_("Afslaan kan nu niet."))
    partner.declined_at, partner.confirmed_at, partner.pledge = utcnow(), None, 0
    audit.record("call.co_submitter_declined", user, "call_submission", submission.id)
    db.session.flush()
    return partner


def total_pledge(submission: CallSubmission) -> int:
    """The co-funding the confirmed organisations pledged together, in percent."""
    return sum(p.pledge for p in confirmed(submission))


def missing(submission: CallSubmission) -> list[str]:
    """What still stands between this concept and submitting it (empty: it can be submitted)."""
    problems = []
    governments = sum(1 for p in confirmed(submission) if is_government(p.organisation))
    if governments < MIN_GOVERNMENTS:
        problems.append(
            _("Minstens %(n)d overheden moeten bevestigd hebben (nu %(k)d).", n=MIN_GOVERNMENTS, k=governments)
        )
    if total_pledge(submission) < submission.call.min_cofunding:
        problems.append(
            _(
                "Samen moeten de indieners minstens %(min)d%% cofinancieren (nu %(pledged)d%%).",
                min=submission.call.min_cofunding,
                pledged=total_pledge(submission),
            )
        )
    if not accepting(submission.call):
        problems.append(_("De oproep neemt nu geen challenges aan."))
    return problems


def submit(user: User | None, submission: CallSubmission) -> CallTransition:
    """The lead submits: only with two confirmed governments, enough co-funding, and before the close date."""
    user = require_lead(user, submission)
    _check(SUBMISSION_TRANSITIONS, submission.state, "submit", SUBMISSION_STATE_LABELS)
    if problems := missing(submission):
        raise InvalidInput(" ".join(problems))
    submission.submitted_at = utcnow()
    audience = submission_audience(submission) + permissions.curators()
    return step(user, submission.call, "submit", submission, notify_kind="call.submitted", recipients=audience)


def withdraw(user: User | None, submission: CallSubmission, reason: str = "") -> CallTransition:
    """The lead withdraws the challenge from the call, until the call closes."""
    user = require_lead(user, submission)
    if submission.call.state != "open":
        raise InvalidTransition(_("Na de sluiting kan een challenge niet meer worden ingetrokken."))
    text = text_field(reason, "reason", "", required=False)
    return step(user, submission.call, "withdraw", submission, reason=text)


def suggested_co_submitters(submission: CallSubmission, limit: int = 5) -> list[Any]:
    """Governments whose pilots are most like the challenge (with the shared words), not yet on it."""
    from .matchmaking.partner_suggestions import for_pilot

    taken = {p.organisation_id for p in submission.partners}
    found = for_pilot(submission.pilot, limit=limit * 3)
    return [s for s in found if s.organisation.id not in taken and is_government(s.organisation)][:limit]


def open_for_proposals(user: User | None, submission: CallSubmission) -> CallTransition:
    """A selected challenge goes to the tender: staff or the lead open it for proposals."""
    require_writer(user)
    if not (can_manage(user) or is_lead(user, submission)):
        raise PermissionDenied(_("Alleen de penvoerder en VNG-medewerkers kunnen dit doen."))
    return step(user, submission.call, "open_proposals", submission)
