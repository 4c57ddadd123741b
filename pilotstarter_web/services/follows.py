"""Following: a pilot (its news), a theme or an organisation (their new pilots), without taking part.

Verified accounts only, like every other write: an unverified account cannot be used to collect news.
Following twice or unfollowing what one does not follow is harmless. Saved searches, the fourth thing one
can follow, are in saved_searches.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..extensions import db
from ..models import Follow, Organisation, OrganisationFollow, Pilot, SavedSearch, ThemeFollow, User
from .errors import InvalidInput, NotFound
from .permissions import require_writer
from .themes import THEMES


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


# One follow row per (user, followed thing); these three serve pilots, themes and organisations alike.
def _follows(user: User | None, model: type, key: object) -> bool:
    """Anonymous visitors follow nothing."""
    return _signed_in(user) and db.session.get(model, (user.id, key)) is not None


def _add(user: User, model: type, key: object, **columns: object) -> bool:
    """Add the follow row unless it exists; True when added."""
    if _follows(user, model, key):
        return False
    db.session.add(model(user_id=user.id, **columns))
    db.session.flush()
    return True


def _remove(user: User, model: type, column: Any, key: object) -> bool:
    """Delete the user's follow row; True when there was one."""
    require_writer(user)
    return bool(db.session.execute(delete(model).where(model.user_id == user.id, column == key)).rowcount)


def is_following(user: User | None, pilot: Pilot) -> bool:
    return _follows(user, Follow, pilot.id)


def follow(user: User, pilot: Pilot) -> bool:
    """Follow a live pilot. Returns True when a follow was added."""
    require_writer(user)
    if pilot.is_deleted:
        raise InvalidInput(_("Deze pilot is verwijderd."))
    return _add(user, Follow, pilot.id, pilot_id=pilot.id)


def unfollow(user: User, pilot: Pilot) -> bool:
    """Stop following; returns True when there was a follow to remove."""
    return _remove(user, Follow, Follow.pilot_id, pilot.id)


# -- themes ------------------------------------------------------------------------------------------


def require_theme(key: str) -> str:
    """:raise NotFound: for a key that is not one of the curated themes."""
    if key not in THEMES:
        raise NotFound(_("Dit thema bestaat niet."))
    return key


def is_following_theme(user: User | None, theme: str) -> bool:
    return _follows(user, ThemeFollow, theme)


def follow_theme(user: User, theme: str) -> bool:
    """Be told of every new pilot in the theme. Returns True when a follow was added."""
    require_writer(user)
    require_theme(theme)
    return _add(user, ThemeFollow, theme, theme=theme)


def unfollow_theme(user: User, theme: str) -> bool:
    return _remove(user, ThemeFollow, ThemeFollow.theme, theme)


# -- organisations -----------------------------------------------------------------------------------


def is_following_organisation(user: User | None, organisation: Organisation) -> bool:
    return _follows(user, OrganisationFollow, organisation.id)


def follow_organisation(user: User, organisation: Organisation) -> bool:
    """Be told when the organisation starts or joins a pilot. Returns True when a follow was added."""
    require_writer(user)
    return _add(user, OrganisationFollow, organisation.id, organisation_id=organisation.id)


def unfollow_organisation(user: User, organisation: Organisation) -> bool:
    return _remove(user, OrganisationFollow, OrganisationFollow.organisation_id, organisation.id)


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
