"""Challenge calls (oproepen): calls and the challenges submitted to them, as two explicit state machines.

A call goes ``concept → open → gesloten → selectie_gepubliceerd``; a submission goes ``concept → ingediend →
geselecteerd | niet_geselecteerd → open_voor_voorstellen → voorstel_aanvaard`` (or ``ingetrokken`` before the
close). Every step goes through :func:`_step`, as in services/scaleup.py: the tables below refuse what is not
listed (:class:`InvalidTransition`), and a step writes its timeline row, audit event and notifications in the
request's one transaction. Scoring and publication: call_scoring.py; proposals: call_proposals.py.

The rules a submission must meet before it is ``ingediend``: at least two government organisations (the lead
and confirmed co-submitters; suppliers and associations do not count), the co-funding pledged **together** (the
sum of the confirmed organisations' percentages) at least the call's minimum, and the call open on that day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    CallSubmission,
    CallTransition,
    ChallengeCall,
    SubmissionPartner,
    User,
)
from . import audit, notifications, permissions
from .errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from .organisations import is_government  # noqa: F401  (re-exported: the rule of who counts as government)
from .permissions import can_write, require_writer

MIN_GOVERNMENTS = 2  # governments (organisations.is_government) that must confirm a submission
MAX_TEXT, MAX_DESCRIPTION, MAX_CRITERIA, MAX_WEIGHT, MAX_COMMITTEE = 5000, 50_000, 12, 100, 25

CALL_STATE_LABELS: dict[str, Any] = {
    "concept": _l("Concept"),
    "open": _l("Open voor inzendingen"),
    "gesloten": _l("Gesloten: de commissie beoordeelt"),
    "selectie_gepubliceerd": _l("Selectie gepubliceerd"),
}
SUBMISSION_STATE_LABELS: dict[str, Any] = {
    "concept": _l("Concept"),
    "ingediend": _l("Ingediend"),
    "ingetrokken": _l("Ingetrokken"),
    "geselecteerd": _l("Geselecteerd"),
    "niet_geselecteerd": _l("Niet geselecteerd"),
    "open_voor_voorstellen": _l("Open voor voorstellen"),
    "voorstel_aanvaard": _l("Voorstel aanvaard"),
}
ACTION_LABELS: dict[str, Any] = {
    "open": _l("Opengesteld"),
    "close": _l("Gesloten"),
    "publish": _l("Selectie gepubliceerd"),
    "correct": _l("Selectie gecorrigeerd"),
    "submit": _l("Ingediend"),
    "withdraw": _l("Ingetrokken"),
    "select": _l("Geselecteerd"),
    "reject": _l("Niet geselecteerd"),
    "open_proposals": _l("Opengesteld voor voorstellen"),
    "accept_proposal": _l("Voorstel aanvaard"),
}

# (current state, action) -> next state. Anything not listed is refused.
CALL_TRANSITIONS: dict[tuple[str, str], str] = {
    ("concept", "open"): "open",
    ("open", "close"): "gesloten",
    ("gesloten", "publish"): "selectie_gepubliceerd",
    ("selectie_gepubliceerd", "correct"): "selectie_gepubliceerd",  # a published selection changes only so
}
SUBMISSION_TRANSITIONS: dict[tuple[str, str], str] = {
    ("concept", "submit"): "ingediend",
    ("concept", "withdraw"): "ingetrokken",
    ("ingediend", "withdraw"): "ingetrokken",
    ("ingediend", "select"): "geselecteerd",
    ("ingediend", "reject"): "niet_geselecteerd",
    ("niet_geselecteerd", "select"): "geselecteerd",  # a correction after publication
    ("geselecteerd", "reject"): "niet_geselecteerd",  # a correction after publication
    ("open_voor_voorstellen", "reject"): "niet_geselecteerd",  # a correction, before a proposal is accepted
    ("geselecteerd", "open_proposals"): "open_voor_voorstellen",
    ("open_voor_voorstellen", "accept_proposal"): "voorstel_aanvaard",
}

for _kind, _text, _label in (
    (
        "call.invited",
        _l(
            "%(organisation)s vraagt uw organisatie de challenge %(pilot)s mee in te dienen bij de oproep %(call_title)s"
        ),
        _l("Uw organisatie wordt gevraagd een challenge mee in te dienen"),
    ),
    (
        "call.submitted",
        _l("De challenge %(pilot)s is ingediend bij de oproep %(call_title)s"),
        _l("Een challenge is compleet ingediend bij een oproep"),
    ),
    (
        "call.closed",
        _l("De oproep %(call_title)s is gesloten: de commissie beoordeelt de challenges"),
        _l("Een oproep is gesloten"),
    ),
    (
        "call.selection_published",
        _l("De selectie van de oproep %(call_title)s is gepubliceerd: %(pilot)s is %(outcome)s"),
        _l("De selectie van een oproep is gepubliceerd"),
    ),
    (
        "call.proposal_received",
        _l("%(organisation)s doet een voorstel voor de challenge %(pilot)s"),
        _l("Een voorstel voor uw challenge"),
    ),
    (
        "call.proposal_accepted",
        _l("Uw voorstel voor de challenge %(pilot)s is aanvaard"),
        _l("Uw voorstel is aanvaard"),
    ),
    (
        "call.proposal_declined",
        _l("Voor de challenge %(pilot)s is een ander voorstel aanvaard"),
        _l("Voor een challenge is een ander voorstel aanvaard"),
    ),
):
    notifications.register(_kind, _text, label=_label, mail="immediately")


class InvalidTransition(ServiceError):
    """The action is not allowed in the call's or submission's current state."""

    status = 409


# --- who may do what --------------------------------------------------------------------------------------


def can_manage(user: User | None) -> bool:
    """VNG staff and admins create, edit, open, close and publish calls (the one staff rule)."""
    return permissions.is_curator(user)


def require_manager(user: User | None) -> User:
    """:raise PermissionDenied: for anyone but VNG staff and admins."""
    return permissions.require_curator(user, _("Alleen VNG-medewerkers en beheerders beheren oproepen."))


def is_committee(user: User | None, call: ChallengeCall) -> bool:
    """A verified account on this call's committee."""
    return can_write(user) and any(m.user_id == user.id for m in call.committee)


def confirmed(submission: CallSubmission) -> list[SubmissionPartner]:
    """The organisations that confirmed (the lead always has)."""
    return [p for p in submission.partners if p.confirmed_at is not None]


def is_team(user: User | None, submission: CallSubmission) -> bool:
    """Verified members of the lead and the confirmed co-submitters form the challenge team."""
    return can_write(user) and user.organisation_id in {p.organisation_id for p in confirmed(submission)}


def is_lead(user: User | None, submission: CallSubmission) -> bool:
    """A verified member of the lead organisation."""
    return can_write(user) and user.organisation_id == submission.lead_id


def require_lead(user: User | None, submission: CallSubmission) -> User:
    """:raise PermissionDenied: for anyone but a verified member of the lead organisation."""
    require_writer(user)
    if not is_lead(user, submission):
        raise PermissionDenied(_("Alleen de penvoerder van deze challenge kan dit doen."))
    return user


# --- reading -----------------------------------------------------------------------------------------------


def get_call(key: str | int, user: User | None = None) -> ChallengeCall:
    """A call by slug or id; a concept is staff-only. :raise NotFound: otherwise."""
    call = db.session.scalar(select(ChallengeCall).where(ChallengeCall.slug == str(key)))
    if call is None and str(key).isdigit():
        call = db.session.get(ChallengeCall, int(key))
    if call is None or (call.state == "concept" and not can_manage(user)):
        raise NotFound(_("Deze oproep bestaat niet."))
    return call


def get_submission(submission_id: int, user: User | None = None) -> CallSubmission:
    """A submission; a concept only for its organisations and staff. :raise NotFound: otherwise."""
    submission = db.session.get(CallSubmission, submission_id)
    if submission is None or (submission.call.state == "concept" and not can_manage(user)):
        raise NotFound(_("Deze inzending bestaat niet."))
    involved = can_write(user) and user.organisation_id in {p.organisation_id for p in submission.partners}
    if submission.state == "concept" and not (involved or can_manage(user)):
        raise NotFound(_("Deze inzending bestaat niet."))
    return submission


def list_calls(user: User | None) -> list[tuple[ChallengeCall, int]]:
    """Calls with their number of public submissions: open first, then closed ones, newest close date first."""
    states = list(CALL_STATE_LABELS) if can_manage(user) else ["open", "gesloten", "selectie_gepubliceerd"]
    counts = dict(
        db.session.execute(
            select(CallSubmission.call_id, func.count())
            .where(CallSubmission.state.not_in(("concept", "ingetrokken")))
            .group_by(CallSubmission.call_id)
        ).all()
    )
    calls = db.session.scalars(select(ChallengeCall).where(ChallengeCall.state.in_(states)))
    order = {"open": 0, "concept": 1, "gesloten": 2, "selectie_gepubliceerd": 3}
    ranked = sorted(calls, key=lambda c: (order[c.state], -c.closes_on.toordinal(), c.id))
    return [(c, counts.get(c.id, 0)) for c in ranked]


def public_submissions(call: ChallengeCall) -> list[CallSubmission]:
    """Submissions the public sees: every one from submission on (not concepts, not withdrawn ones)."""
    return [s for s in call.submissions if s.state not in ("concept", "ingetrokken")]


def timeline(call: ChallengeCall, submission: CallSubmission | None = None) -> list[CallTransition]:
    """The call's own steps, or one submission's, oldest first."""
    query = select(CallTransition).where(CallTransition.call_id == call.id)
    # The call's own steps, or one submission's steps.
    query = query.where(CallTransition.submission_id == (submission.id if submission else None))
    return list(db.session.scalars(query.order_by(CallTransition.created_at, CallTransition.id)))


# --- the state machines ------------------------------------------------------------------------------------


def _check(table: dict[tuple[str, str], str], state: str, action: str, labels: dict[str, Any]) -> str:
    """The next state. :raise InvalidTransition: when the table does not list the step."""
    target = table.get((state, action))
    if target is None:
        raise InvalidTransition(
            _(
                "Dit kan nu niet: de stand is “%(state)s” en “%(action)s” is dan niet toegestaan.",
                state=labels.get(state, state),
                action=ACTION_LABELS.get(action, action),
            )
        )
    return target


def step(
    user: User | None,
    call: ChallengeCall,
    action: str,
    submission: CallSubmission | None = None,
    reason: str = "",
    notify_kind: str = "",
    recipients: list[User] | None = None,
    **data: Any,
) -> CallTransition:
    """Apply one checked step to the call (or to one of its submissions): state, timeline, audit, notifications."""
    if submission is None:
        before, target = call.state, _check(CALL_TRANSITIONS, call.state, action, CALL_STATE_LABELS)
        call.state = target
    else:
        before = submission.state
        target = _check(SUBMISSION_TRANSITIONS, submission.state, action, SUBMISSION_STATE_LABELS)
        submission.state = target
    step = CallTransition(
        call_id=call.id,
        submission_id=submission.id if submission else None,
        action=action,
        from_state=before,
        to_state=target,
        actor_id=user.id if user else None,
        reason=reason,
    )
    db.session.add(step)
    audit.record(
        f"call.{action}",
        user,
        "call_submission" if submission else "call",
        submission.id if submission else call.slug,
        from_state=before,
        to_state=target,
        reason=reason,
        call=call.slug,
    )
    if notify_kind:
        notifications.notify(
            recipients or [],
            notify_kind,
            actor=user,
            pilot=submission.pilot if submission else None,
            call_title=call.title,
            call_slug=call.slug,
            **data,
        )
    db.session.flush()
    return step


def submission_audience(submission: CallSubmission) -> list[User]:
    """The verified members of every organisation on the submission (invited ones too)."""
    return notifications.verified_members(p.organisation_id for p in submission.partners)


def committee_users(call: ChallengeCall) -> list[User]:
    """The committee's accounts (they hear the call closed)."""
    return [m.user for m in call.committee]


# --- input and the call's steps (staff) -----------------------------------------------------------------------------------------


def text_field(value: str | None, name: str, message: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    """Stripped text within ``limit``. :raise InvalidInput: when required and empty, or too long."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(message, {name: [message]})
    if len(text) > limit:
        too_long = _("Gebruik hoogstens %(n)d tekens.", n=limit)
        raise InvalidInput(too_long, {name: [too_long]})
    return text


def percent_field(value: Any, name: str) -> int:
    """A whole percentage 0–100. :raise InvalidInput: otherwise."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100:
        message = _("Vul een geheel percentage van 0 tot en met 100 in.")
        raise InvalidInput(message, {name: [message]})
    return number


def amount_field(value: Any, name: str) -> int | None:
    """Whole euros ("250.000" and "250000" alike) or None when left empty. :raise InvalidInput: otherwise."""
    text = str(value if value is not None else "").replace(".", "").replace("€", "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        message = _("Vul een bedrag in hele euro's in, of laat het leeg.")
        raise InvalidInput(message, {name: [message]})
    return int(text)


def open_call(user: User | None, call: ChallengeCall) -> CallTransition:
    """Publish a concept call: from now on governments can submit challenges until the close date."""
    user = require_manager(user)
    if call.closes_on < date.today():
        raise InvalidInput(_("De sluitingsdatum is al voorbij: kies eerst een nieuwe."))
    return step(user, call, "open")


def close_call(user: User | None, call: ChallengeCall) -> CallTransition:
    """Close the call (after the close date, or early): concepts can no longer be submitted; scoring starts."""
    user = require_manager(user)
    submitted = public_submissions(call)
    audience = committee_users(call) + [u for s in submitted for u in submission_audience(s)]
    return step(user, call, "close", notify_kind="call.closed", recipients=audience)
