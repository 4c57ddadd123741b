"""Joining pilots: "Doe mee" (partner or supplier), "Interesse", and leaving."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Participation, Pilot, User
from . import audit
from .change_log import record_change
from .errors import InvalidInput
from .follow_news import announce_organisation_joined
from .permissions import require_writer
from .pilot_news import announce_join


def membership(pilot: Pilot, user: User | None) -> Participation | None:
    """The participation of the user's organisation in this pilot, if any."""
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Participation).where(
            Participation.pilot_id == pilot.id, Participation.organisation_id == user.organisation_id
        )
    )


def is_confirmed(participation: Participation) -> bool:
    """Whether the organisation itself stands behind this participation, so it may count as evidence (the
    scale-up checklist's "two municipalities"). The one home of that rule: every participation counts while
    partners cannot yet be listed without their consent."""
    return participation is not None


def join_pilot(user: User, pilot: Pilot, interest_only: bool = False) -> Participation:
    """Add the user's organisation as partner (supplier for suppliers) or as interested; upgrades interest."""
    require_writer(user)
    if pilot.is_deleted:
        raise InvalidInput(_("Deze pilot is verwijderd."))
    role = "interested" if interest_only else ("supplier" if user.organisation.kind == "supplier" else "partner")
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


def leave_pilot(user: User, pilot: Pilot) -> None:
    """Take the user's organisation off the pilot; the initiator cannot leave its own pilot."""
    require_writer(user)
    part = membership(pilot, user)
    if part is None:
        return
    if part.role == "initiator":
        raise InvalidInput(_("De initiatiefnemer kan de pilot niet verlaten."))
    db.session.delete(part)
    record_change(pilot)
    audit.record("pilot.left", user, "pilot", pilot.slug, organisation=user.organisation.code)
