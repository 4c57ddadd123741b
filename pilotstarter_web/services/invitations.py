"""Invitations: a pilot's participants ask a suggested organisation to join; its members accept or decline.

One invitation per pilot and organisation, so an organisation is never nagged twice for the same pilot.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Invitation, Organisation, Participation, Pilot, User, utcnow
from . import audit
from .errors import InvalidInput, PermissionDenied
from .notifications import notify, verified_members
from .participation import join_pilot
from .permissions import can_write, require_writer
from .text_input import clean_line

# Roles that speak for a pilot; "interested" organisations only watch it.
TAKING_PART = ("initiator", "partner", "supplier")
MAX_MESSAGE = 500  # the personal message, in characters (the column holds 500)


def _roles(pilot: Pilot) -> dict[int, str]:
    """Organisation id -> role in this pilot."""
    rows = db.session.execute(
        select(Participation.organisation_id, Participation.role).where(Participation.pilot_id == pilot.id)
    )
    return {org_id: role for org_id, role in rows}


def can_invite(user: User | None, pilot: Pilot) -> bool:
    """Verified members of an organisation taking part in the pilot invite others to it."""
    return can_write(user) and not pilot.is_deleted and _roles(pilot).get(user.organisation_id) in TAKING_PART


def invite(user: User, pilot: Pilot, organisation: Organisation, message: str = "") -> tuple[Invitation, bool]:
    """Invite an organisation to the pilot and tell its verified members.

    :return: the invitation and whether it is new (False: it had been invited before, nothing is sent).
    :raise PermissionDenied: when the user's organisation does not take part in the pilot.
    :raise InvalidInput: when the organisation already takes part, or the message is longer than MAX_MESSAGE.
    """
    require_writer(user)
    message = clean_line(message[: MAX_MESSAGE * 2])  # bounded before any work; whitespace counts once
    if len(message) > MAX_MESSAGE:
        raise InvalidInput(
            _("Het persoonlijke bericht is te lang: maximaal %(n)d tekens.", n=MAX_MESSAGE),
            {"message": [_("Maximaal %(n)d tekens.", n=MAX_MESSAGE)]},
        )
    if not can_invite(user, pilot):
        raise PermissionDenied(_("Alleen deelnemers aan deze pilot kunnen andere organisaties uitnodigen."))
    if _roles(pilot).get(organisation.id) in TAKING_PART:
        raise InvalidInput(_("%(org)s doet al mee aan deze pilot.", org=organisation.display_name))
    existing = _find(pilot, organisation)
    if existing is not None:
        return existing, False
    invitation = Invitation(
        pilot_id=pilot.id,
        organisation_id=organisation.id,
        invited_by_id=user.id,
        message=message,
    )
    try:
        with db.session.begin_nested():  # a double click in two requests: the unique pair decides
            db.session.add(invitation)
    except IntegrityError:
        return _find(pilot, organisation), False
    notify(
        verified_members([organisation.id]), "pilot.invited", actor=user, pilot=pilot,
        organisation=user.organisation, invitation_id=invitation.id, **({"message": message} if message else {}),
    )  # fmt: skip
    audit.record("pilot.invited", user, "pilot", pilot.slug, organisation=organisation.code)
    return invitation, True


def invite_listed_partners(user: User, pilot: Pilot, partners: list[Organisation]) -> int:
    """Partners named by the pilot's team (on the new-pilot form) are asked, never added: an organisation only
    takes part by its own members' doing.

    :return: how many invitations were sent.
    """
    sent = 0
    for organisation in partners:
        if organisation.id != pilot.owner_id and _roles(pilot).get(organisation.id) not in TAKING_PART:
            sent += invite(user, pilot, organisation)[1]
    return sent


def awaiting_answer(pilot: Pilot) -> list[Invitation]:
    """Invitations to the pilot nobody has answered yet, for the team's "uitgenodigd, nog niet bevestigd"."""
    roles = _roles(pilot)
    found = db.session.scalars(
        select(Invitation)
        .where(Invitation.pilot_id == pilot.id, Invitation.answered_at.is_(None))
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [i for i in found if roles.get(i.organisation_id) not in TAKING_PART]


def _find(pilot: Pilot, organisation: Organisation) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(Invitation.pilot_id == pilot.id, Invitation.organisation_id == organisation.id)
    )


def invited_organisation_ids(pilot: Pilot) -> set[int]:
    """Organisations already invited to the pilot (answered or not), to show "uitgenodigd" instead of a button."""
    return set(db.session.scalars(select(Invitation.organisation_id).where(Invitation.pilot_id == pilot.id)))


def pending_for(user: User | None, pilot: Pilot) -> Invitation | None:
    """The open invitation of the user's organisation to this pilot, unless it has joined meanwhile."""
    if not can_write(user) or pilot.is_deleted:
        return None
    if _roles(pilot).get(user.organisation_id) in TAKING_PART:
        return None
    invitation = _find(pilot, user.organisation)
    return invitation if invitation is not None and invitation.answered_at is None else None


def open_invitations(user: User) -> list[Invitation]:
    """Open invitations of the user's organisation to live pilots it does not take part in yet, newest first."""
    if not can_write(user):
        return []
    found = db.session.scalars(
        select(Invitation)
        .join(Pilot, Pilot.id == Invitation.pilot_id)
        .where(
            Invitation.organisation_id == user.organisation_id,
            Invitation.answered_at.is_(None),
            Pilot.deleted_at.is_(None),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return [i for i in found if _roles(i.pilot).get(user.organisation_id) not in TAKING_PART]


def _require_answerable(user: User, invitation: Invitation) -> None:
    require_writer(user)
    if user.organisation_id != invitation.organisation_id:
        raise PermissionDenied(_("Alleen leden van de uitgenodigde organisatie kunnen deze uitnodiging beantwoorden."))
    if invitation.answered_at is not None:
        raise InvalidInput(_("Deze uitnodiging is al beantwoord."))


def accept(user: User, invitation: Invitation) -> Participation:
    """Join the pilot as partner (supplier for suppliers) on behalf of the invited organisation."""
    _require_answerable(user, invitation)
    participation = join_pilot(user, invitation.pilot)
    invitation.accepted, invitation.answered_at = True, utcnow()
    audit.record("invitation.accepted", user, "pilot", invitation.pilot.slug, organisation=user.organisation.code)
    return participation


def decline(user: User, invitation: Invitation) -> None:
    """Say no; the invitation stays (answered), so the organisation is not invited again."""
    _require_answerable(user, invitation)
    invitation.accepted, invitation.answered_at = False, utcnow()
    audit.record("invitation.declined", user, "pilot", invitation.pilot.slug, organisation=user.organisation.code)
