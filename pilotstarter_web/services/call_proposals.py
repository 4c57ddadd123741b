"""Proposals for selected challenges: suppliers and researchers propose, the challenge's lead accepts one.

Any verified account whose organisation is not on the challenge proposes while the challenge is open for
proposals. Proposals are read by the challenge team, staff and their own organisation; once one is accepted,
that one is public (the others stay private) and every other proposer is told.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import CallProposal, CallSubmission, User
from . import audit, notifications
from .challenges import amount_field, can_manage, is_team, require_lead, step, submission_audience, text_field
from .errors import InvalidInput, NotFound, PermissionDenied
from .permissions import can_write, require_writer
from .text_input import clean_line

MAX_BODY = 50_000
MAX_PER_ORGANISATION = 3  # proposals one organisation sends for one challenge


def can_propose(user: User | None, submission: CallSubmission) -> bool:
    """Verified accounts of organisations not on the challenge, while it is open for proposals."""
    return (
        can_write(user)
        and submission.state == "open_voor_voorstellen"
        and user.organisation_id not in {p.organisation_id for p in submission.partners}
    )


def submit_proposal(
    user: User | None, submission: CallSubmission, title: str, body: str, price: Any = None, timeline: str = ""
) -> CallProposal:
    """A supplier or researcher proposes a solution; the challenge team hears of it."""
    user = require_writer(user)
    if not can_propose(user, submission):
        if submission.state != "open_voor_voorstellen":
            raise PermissionDenied(_("Deze challenge staat niet open voor voorstellen."))
        raise PermissionDenied(_("Indieners van de challenge doen zelf geen voorstel."))
    count = db.session.scalar(
        select(db.func.count())
        .select_from(CallProposal)
        .where(CallProposal.submission_id == submission.id, CallProposal.organisation_id == user.organisation_id)
    )
    if count >= MAX_PER_ORGANISATION:
        raise InvalidInput(_("Uw organisatie deed al %(n)d voorstellen voor deze challenge.", n=MAX_PER_ORGANISATION))
    proposal = CallProposal(
        submission=submission, organisation_id=user.organisation_id, author_id=user.id,
        title=clean_line(text_field(title, "title", _("Geef het voorstel een titel."), 200)),
        body=text_field(body, "body", _("Beschrijf uw voorstel."), MAX_BODY), price=amount_field(price, "price"),
        timeline=clean_line(text_field(timeline, "timeline", "", 300, required=False)),
    )  # fmt: skip
    db.session.add(proposal)
    db.session.flush()
    audit.record("call.proposal_submitted", user, "call_proposal", proposal.id, submission=submission.id)
    lead_team = notifications.verified_members([submission.lead_id])
    notifications.notify(
        lead_team, "call.proposal_received", actor=user, pilot=submission.pilot, organisation=user.organisation,
        call_title=submission.call.title, call_slug=submission.call.slug, submission=submission.id,
    )  # fmt: skip
    return proposal


def get_proposal(proposal_id: int) -> CallProposal:
    """:raise NotFound: for an unknown id."""
    proposal = db.session.get(CallProposal, proposal_id)
    if proposal is None:
        raise NotFound(_("Dit voorstel bestaat niet."))
    return proposal


def accept(user: User | None, proposal: CallProposal, reason: str) -> CallProposal:
    """The lead accepts one proposal with a reason: the challenge is done; the other proposers are told."""
    submission = proposal.submission
    user = require_lead(user, submission)
    text = text_field(reason, "reason", _("Geef de reden waarom u dit voorstel aanvaardt."))
    step(user, submission.call, "accept_proposal", submission, reason=text)
    proposal.state, proposal.decision_reason = "aanvaard", text
    others = [p for p in submission.proposals if p.id != proposal.id]
    for other in others:
        other.state = "niet_aanvaard"
    audit.record("call.proposal_accepted", user, "call_proposal", proposal.id, submission=submission.id)
    data = {"call_title": submission.call.title, "call_slug": submission.call.slug, "submission": submission.id}
    notifications.notify(
        notifications.verified_members([proposal.organisation_id]) + submission_audience(submission),
        "call.proposal_accepted", actor=user, pilot=submission.pilot, **data,
    )  # fmt: skip
    notifications.notify(
        notifications.verified_members({o.organisation_id for o in others} - {proposal.organisation_id}),
        "call.proposal_declined", actor=user, pilot=submission.pilot, **data,
    )  # fmt: skip
    db.session.flush()
    return proposal


def visible_proposals(user: User | None, submission: CallSubmission) -> list[CallProposal]:
    """The team and staff read all; a proposer reads their organisation's; everyone reads the accepted one."""
    if can_manage(user) or is_team(user, submission):
        return list(submission.proposals)
    own = user.organisation_id if can_write(user) else None
    return [p for p in submission.proposals if p.state == "aanvaard" or p.organisation_id == own]


def accepted(submission: CallSubmission) -> CallProposal | None:
    """The accepted proposal, public on the call page."""
    return next((p for p in submission.proposals if p.state == "aanvaard"), None)
