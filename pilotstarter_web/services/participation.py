"""Joining pilots: "Doe mee" (partner or supplier), "Interesse", and leaving; the team removing a participant.

Consent: an organisation takes part only by its own members' doing (joining, or accepting an invitation) or
by imported content. Joining someone's pilot is immediate and tells the pilot's audience; the pilot's team
(its initiator organisation's verified members) can take a participant off again, audited and told.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select

from ..extensions import db
from ..models import Organisation, Participation, Pilot, User
from . import audit
from .change_log import record_change
from .errors import InvalidInput, PermissionDenied
from .follow_news import announce_organisation_joined
from .notifications import notify, register, verified_members
from .permissions import can_write, require_writer
from .pilot_news import announce_join

register(
    "pilot.participant_removed",
    _l("%(actor)s heeft %(organisation)s van de deelnemers aan de pilot %(pilot)s gehaald"),
    label=_l("Uw organisatie is van de deelnemers aan een pilot gehaald"),
    mail="immediately",
)


PARTICIPANT_ROLES = ("initiator", "partner", "supplier")  # "interested" is not yet taking part


def membership(pilot: Pilot, user: User | None) -> Participation | None:
    """The participation of the user's organisation in this pilot, if any."""
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Participation).where(
            Participation.pilot_id == pilot.id, Participation.organisation_id == user.organisation_id
        )
    )


def is_participant(user: User | None, pilot: Pilot) -> bool:
    """Whether the user's organisation takes part (initiator, partner or supplier): the entry's team for
    scale-up nominations and documents."""
    part = membership(pilot, user)
    return part is not None and part.role in PARTICIPANT_ROLES


def join_pilot(user: User, pilot: Pilot, interest_only: bool = False) -> Participation:
    """Add the user's organisation as partner (supplier for suppliers) or as interested; upgrades interest."""
    require_writer(user)
    if pilot.is_deleted:
        raise InvalidInput(_("Deze pilot is verwijderd."))
    role = "interested" if interest_only else listed_role(user.organisation)
    part = membership(pilot, user)
    if part is not None:
        if part.role == "initiator":
            raise InvalidInput(_("Uw organisatie is initiatiefnemer van deze pilot."))
        if part.role == role or (interest_only and part.role in ("partner", "supplier")):
            return part
        part.role = role
    else:
        part = Participation(pilot=pilot, organisation=user.organisation, role=role, created_by_id=user.id)
        db.session.add(part)
    record_change(pilot)  # organisations are searchable
    audit.record("pilot.joined", user, "pilot", pilot.slug, role=role, organisation=user.organisation.code)
    announce_join(pilot, user, role)
    announce_organisation_joined(pilot, user, role)
    return part


def leave_pilot(user: User, pilot: Pilot) -> str | None:
    """Take the user's organisation off the pilot; the initiator cannot leave its own pilot.

    :return: the role it left (so the answer to "Geen interesse meer" can say so), None if it had none.
    """
    require_writer(user)
    part = membership(pilot, user)
    if part is None:
        return None
    if part.role == "initiator":
        raise InvalidInput(_("De initiatiefnemer kan de pilot niet verlaten."))
    db.session.delete(part)
    record_change(pilot)
    audit.record("pilot.left", user, "pilot", pilot.slug, organisation=user.organisation.code)
    return part.role


def listed_role(organisation: Organisation) -> str:
    """The role an organisation takes when it joins or is listed: supplier for suppliers, else partner."""
    return "supplier" if organisation.kind == "supplier" else "partner"


def add_agreed_partners(pilot: Pilot, organisations: list[Organisation]) -> bool:
    """Imported content's partners, agreed outside the site, take part at once (no author, so confirmed).

    :return: whether any was added (organisations already taking part are left as they are).
    """
    present = {p.organisation_id for p in pilot.participations}
    added = False
    for org in organisations:
        if org.id not in present:
            db.session.add(Participation(pilot=pilot, organisation=org, role=listed_role(org)))
            present.add(org.id)
            added = True
    return added


def is_confirmed(participation: Participation) -> bool:
    """Whether the organisation agreed to take part: it is the initiator, one of its own members added it
    (joining or accepting an invitation), or it came from imported content (no author). The scale-up checklist
    counts only these partners."""
    if participation.role == "initiator" or participation.created_by_id is None:
        return True
    creator = db.session.get(User, participation.created_by_id)
    return _agreed(participation, creator.organisation_id if creator is not None else None)


def _agreed(participation: Participation, creator_organisation_id: int | None) -> bool:
    return (
        participation.role == "initiator"
        or participation.created_by_id is None
        or creator_organisation_id == participation.organisation_id
    )


def confirmed_participations(parts: Iterable[Participation]) -> list[Participation]:
    """:func:`is_confirmed` over many participations with one query for their creators: an export walks the
    participations of thousands of pilots."""
    parts = list(parts)
    creators = {p.created_by_id for p in parts if p.role != "initiator" and p.created_by_id is not None}
    organisation_of = (
        dict(db.session.execute(select(User.id, User.organisation_id).where(User.id.in_(creators))).tuples().all())
        if creators
        else {}
    )
    return [p for p in parts if _agreed(p, organisation_of.get(p.created_by_id))]


def confirmed_condition(creator: type[User]) -> ColumnElement[bool]:
    """``is_confirmed`` as a SQL condition on Participation, for counting over many pilots in one query (the map).

    ``creator`` is an alias of User outer-joined on ``Participation.created_by_id``; the test compares both forms.
    """
    return or_(
        Participation.role == "initiator",
        Participation.created_by_id.is_(None),
        creator.organisation_id == Participation.organisation_id,
    )


def is_team(user: User | None, pilot: Pilot) -> bool:
    """The pilot's team: verified members of its initiator (owner) organisation; they manage its participants."""
    return can_write(user) and not pilot.is_deleted and user.organisation_id == pilot.owner_id


def remove_participant(user: User, pilot: Pilot, organisation: Organisation) -> None:
    """The team takes an organisation off its pilot; the organisation's members are told, the removal audited.

    :raise PermissionDenied: for anyone outside the pilot's team.
    :raise InvalidInput: for the initiator itself, or an organisation that does not take part.
    """
    require_writer(user)
    if not is_team(user, pilot):
        raise PermissionDenied(_("Alleen het team van deze pilot kan deelnemers verwijderen."))
    part = db.session.scalar(
        select(Participation).where(
            Participation.pilot_id == pilot.id, Participation.organisation_id == organisation.id
        )
    )
    if part is None:
        raise InvalidInput(_("%(org)s doet niet mee aan deze pilot.", org=organisation.display_name))
    if part.role == "initiator":
        raise InvalidInput(_("De initiatiefnemer kan niet van de eigen pilot worden gehaald."))
    role = part.role
    db.session.delete(part)
    record_change(pilot)
    audit.record("pilot.participant_removed", user, "pilot", pilot.slug, organisation=organisation.code, role=role)
    notify(
        verified_members([organisation.id]), "pilot.participant_removed", actor=user, pilot=pilot,
        organisation=organisation,
    )  # fmt: skip
