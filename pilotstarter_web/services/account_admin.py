"""Account management for VNG staff and admins: find accounts, change a role, block and unblock.

The rules, in one place: VNG staff and admins manage members; only admins manage staff and admin accounts
and change roles; nobody blocks or demotes themselves; the last active admin can be neither blocked nor
demoted (someone must be able to manage the site). Every change is audited; blocking ends every session.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Organisation, User
from ..models.users import ROLES, STAFF_ROLES
from . import audit, sessions
from .errors import InvalidInput, NotFound, PermissionDenied
from .permissions import require_account_manager

PER_PAGE = 25
MAX_QUERY = 100  # characters of the search box that are used
ROLE_NAMES = {"member": _l("Lid"), "vng_staff": _l("VNG-medewerker"), "admin": _l("Beheerder")}
STATES = ("actief", "wacht", "geblokkeerd")  # the state filter: verified and active, unverified, blocked


@dataclass(frozen=True)
class AccountFilters:
    query: str = ""
    role: str = ""
    state: str = ""


@dataclass(frozen=True)
class AccountPage:
    accounts: list[User]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_accounts(actor: User, filters: AccountFilters, page: int = 1) -> AccountPage:
    """Accounts matching a name, e-mail address or organisation, a role and a state; newest first, paged.
    :raise PermissionDenied: for anyone but VNG staff and admins."""
    require_account_manager(actor)
    conditions = []
    query = " ".join(filters.query[:MAX_QUERY].split()).lower()
    if query:
        like = _like(query)
        conditions.append(
            or_(
                func.lower(User.name).like(like, escape="\\"),
                User.email.like(like, escape="\\"),
                func.lower(Organisation.name).like(like, escape="\\"),
            )
        )
    if filters.role in ROLES:
        conditions.append(User.role == filters.role)
    if filters.state == "actief":
        conditions += [User.active.is_(True), User.verified_at.is_not(None)]
    elif filters.state == "wacht":
        conditions += [User.active.is_(True), User.verified_at.is_(None)]
    elif filters.state == "geblokkeerd":
        conditions.append(User.active.is_(False))
    base = select(User).join(Organisation, Organisation.id == User.organisation_id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(page, 1), pages)
    accounts = db.session.scalars(
        base.order_by(User.created_at.desc(), User.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return AccountPage(list(accounts), total, page, pages)


def can_manage(actor: User | None, user: User) -> bool:
    """Whether ``actor`` may block, unblock (and, as an admin, change the role of) ``user``."""
    if actor is None or user.id == actor.id:
        return False
    return actor.is_admin or user.role not in STAFF_ROLES


def manageable(actor: User, user_id: int) -> User:
    """The account, if ``actor`` may change it. :raise PermissionDenied, NotFound, InvalidInput: (oneself)"""
    require_account_manager(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Account niet gevonden."))
    if user.id == actor.id:
        raise InvalidInput(_("U kunt uw eigen account niet blokkeren of een andere rol geven."))
    if not can_manage(actor, user):
        raise PermissionDenied(_("Alleen beheerders kunnen accounts van VNG-medewerkers en beheerders wijzigen."))
    return user


def _refuse_losing_the_last_admin(user: User) -> None:
    """:raise InvalidInput: when ``user`` is the only active admin."""
    if not (user.is_admin and user.active):
        return
    others = db.session.scalar(
        select(func.count(User.id)).where(User.role == "admin", User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise InvalidInput(_("Dit is de laatste actieve beheerder. Maak eerst iemand anders beheerder."))


def change_role(actor: User, user_id: int, role: str, ip: str | None = None) -> User:
    """Give an account another role. Only admins. :raise PermissionDenied, NotFound, InvalidInput:"""
    require_account_manager(actor)
    if not actor.is_admin:
        raise PermissionDenied(_("Alleen beheerders kunnen rollen wijzigen."))
    if role not in ROLES:
        raise InvalidInput(_("Onbekende rol: %(role)s", role=role), {"role": [_("Onbekende rol.")]})
    user = manageable(actor, user_id)
    if user.role == role:
        return user
    if role != "admin":
        _refuse_losing_the_last_admin(user)
    old = user.role
    user.role = role
    audit.record("account.role_changed", actor, "user", user.id, ip, old=old, new=role)
    return user


def block(actor: User, user_id: int, ip: str | None = None) -> User:
    """Block an account: it can no longer log in, and every session it has ends now."""
    user = manageable(actor, user_id)
    if not user.active:
        return user
    _refuse_losing_the_last_admin(user)
    user.active = False
    audit.record("account.blocked", actor, "user", user.id, ip)
    sessions.end_all(user, "account_disabled", actor=actor, ip=ip)
    return user


def unblock(actor: User, user_id: int, ip: str | None = None) -> User:
    """Let a blocked account log in again (its verification is as it was)."""
    user = manageable(actor, user_id)
    if user.active:
        return user
    user.active = True
    audit.record("account.unblocked", actor, "user", user.id, ip)
    return user
