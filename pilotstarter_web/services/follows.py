"""Following: a pilot (its news), a theme or an organisation (their new pilots), without taking part.

Verified accounts only, like every other write: an unverified account cannot be used to collect news.
Following twice or unfollowing what one does not follow is harmless. Saved searches, the fourth thing one
can follow, are in saved_searches.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..extensions import db
from ..models import Follow, Organisation, OrganisationFollow, Pilot, SavedSearch, ThemeFollow, User
from .errors import InvalidInput, NotFound
from .permissions import require_writer
from .themes import THEMES


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


def is_following(user: User | None, pilot: Pilot) -> bool:
    """Anonymous visitors follow nothing."""
    if not _signed_in(user):
        return False
    return db.session.get(Follow, (user.id, pilot.id)) is not None


def follow(user: User, pilot: Pilot) -> bool:
    """Follow a live pilot. Returns True when a follow was added."""
    require_writer(user)
    if pilot.is_deleted:
        raise InvalidInput(_("Deze pilot is verwijderd."))
    if is_following(user, pilot):
        return False
    db.session.add(Follow(user_id=user.id, pilot_id=pilot.id))
    db.session.flush()
    return True


def unfollow(user: User, pilot: Pilot) -> bool:
    """Stop following; returns True when there was a follow to remove."""
    require_writer(user)
    result = db.session.execute(delete(Follow).where(Follow.user_id == user.id, Follow.pilot_id == pilot.id))
    return bool(result.rowcount)


# -- themes ------------------------------------------------------------------------------------------


def require_theme(key: str) -> str:
    """:raise NotFound: for a key that is not one of the curated themes."""
    if key not in THEMES:
        raise NotFound(_("Dit thema bestaat niet."))
    return key


def is_following_theme(user: User | None, theme: str) -> bool:
    if not _signed_in(user):
        return False
    return db.session.get(ThemeFollow, (user.id, theme)) is not None


def follow_theme(user: User, theme: str) -> bool:
    """Be told of every new pilot in the theme. Returns True when a follow was added."""
    require_writer(user)
    require_theme(theme)
    if is_following_theme(user, theme):
        return False
    db.session.add(ThemeFollow(user_id=user.id, theme=theme))
    db.session.flush()
    return True


def unfollow_theme(user: User, theme: str) -> bool:
    require_writer(user)
    result = db.session.execute(delete(ThemeFollow).where(ThemeFollow.user_id == user.id, ThemeFollow.theme == theme))
    return bool(result.rowcount)


# -- organisations -----------------------------------------------------------------------------------


def is_following_organisation(user: User | None, organisation: Organisation) -> bool:
    if not _signed_in(user):
        return False
    return db.session.get(OrganisationFollow, (user.id, organisation.id)) is not None


def follow_organisation(user: User, organisation: Organisation) -> bool:
    """Be told when the organisation starts or joins a pilot. Returns True when a follow was added."""
    require_writer(user)
    if is_following_organisation(user, organisation):
        return False
    db.session.add(OrganisationFollow(user_id=user.id, organisation_id=organisation.id))
    db.session.flush()
    return True


def unfollow_organisation(user: User, organisation: Organisation) -> bool:
    require_writer(user)
    result = db.session.execute(
        delete(OrganisationFollow).where(
            OrganisationFollow.user_id == user.id, OrganisationFollow.organisation_id == organisation.id
        )
    )
    return bool(result.rowcount)


# -- everything one follows ("Wat ik volg") ------------------------------------------------------------


@dataclass
class Following:
    pilots: list[Pilot]
    themes: list[str]  # keys, in the order of THEMES
    organisations: list[Organisation]
    searches: list[SavedSearch]


def following(user: User) -> Following:
    """Everything the user follows: live pilots by title, themes, organisations by name, searches by name."""
    pilots = db.session.scalars(
        select(Pilot)
        .join(Follow, Follow.pilot_id == Pilot.id)
        .where(Follow.user_id == user.id, Pilot.deleted_at.is_(None))
        .order_by(Pilot.title)
    )
    themes = set(db.session.scalars(select(ThemeFollow.theme).where(ThemeFollow.user_id == user.id)))
    organisations = db.session.scalars(
        select(Organisation)
        .join(OrganisationFollow, OrganisationFollow.organisation_id == Organisation.id)
        .where(OrganisationFollow.user_id == user.id)
        .order_by(Organisation.name)
    )
    searches = db.session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.name, SavedSearch.id)
    )
    return Following(list(pilots), [k for k in THEMES if k in themes], list(organisations), list(searches))
