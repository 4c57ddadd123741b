"""Following a pilot: hear its news (edits, new partners) without taking part in it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete

from ..extensions import db
from ..models import Follow, Pilot, User
from .errors import InvalidInput
from .permissions import require_writer


def is_following(user: User | None, pilot: Pilot) -> bool:
    """Anonymous visitors follow nothing."""
    if user is None or not user.is_authenticated:
        return False
    return db.session.get(Follow, (user.id, pilot.id)) is not None


def follow(user: User, pilot: Pilot) -> bool:
    """Follow a live pilot; following twice is harmless. Returns True when a follow was added.

    Verified accounts only, like every other write: an unverified account cannot be used to collect news.
    """
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
