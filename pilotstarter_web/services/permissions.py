"""Who may do what. Every rule lives here so pages and the API enforce the same ones."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Pilot, User
from ..models.users import STAFF_ROLES
from .errors import PermissionDenied


def can_write(user: User | None) -> bool:
    """Verified, active accounts write; everyone may read."""
    return user is not None and user.is_authenticated and user.active and user.verified


def require_writer(user: User | None) -> User:
    """:raise PermissionDenied: for anonymous or unverified users."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in om dit te doen."))
    if not can_write(user):
        raise PermissionDenied(_("Uw account is nog niet geverifieerd. U kunt lezen, maar nog niets wijzigen."))
    return user


def can_edit_pilot(user: User | None, pilot: Pilot) -> bool:
    """Wiki rule: any verified member edits any pilot that is not deleted."""
    return can_write(user) and not pilot.is_deleted


def can_delete_pilot(user: User | None, pilot: Pilot) -> bool:
    """The owner organisation's verified members and admins delete and restore."""
    if not can_write(user):
        return False
    return user.is_admin or user.organisation_id == pilot.owner_id


def require_delete_pilot(user: User | None, pilot: Pilot) -> None:
    require_writer(user)
    if not can_delete_pilot(user, pilot):
        raise PermissionDenied(_("Alleen de eigenaar-organisatie en beheerders kunnen een pilot verwijderen."))


def can_view_deleted(user: User | None, pilot: Pilot) -> bool:
    return can_delete_pilot(user, pilot)


def is_curator(user: User | None) -> bool:
    """The one staff rule: verified, active VNG staff and admins curate (accounts, duplicates, clusters,
    the portfolio). Every "staff only" check in the services asks this function, so the rule cannot drift."""
    return can_write(user) and user.is_staff


def require_curator(user: User | None, message: str | None = None) -> User:
    """:raise PermissionDenied: for anyone but a curator; ``message`` names what the caller guards.

    Each room keeps its own wording (the user sees it); the rule itself is :func:`is_curator`.
    """
    require_writer(user)
    if not is_curator(user):
        raise PermissionDenied(message or _("Alleen VNG-medewerkers en beheerders kunnen dit doen."))
    return user


def curators() -> list[User]:
    """The users :func:`is_curator` accepts, as one query (who hears of every new nomination)."""
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True), User.verified_at.is_not(None))
        )
    )


def can_manage_accounts(user: User | None) -> bool:
    """VNG staff and admins verify accounts."""
    return is_curator(user)


def require_account_manager(user: User | None) -> None:
    require_curator(user, _("Alleen VNG-medewerkers en beheerders kunnen accounts verifiëren."))
