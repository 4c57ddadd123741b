"""Telling people about a pilot's news: a similar pilot published elsewhere, a new partner, an edit.

The write paths (create, join, edit) call these; the texts are registered in services/notifications.py.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from search_index.matchmaking import Match

from ..extensions import db
from ..models import Notification, Participation, Pilot, User
from .matchmaking.similarity import similarity_service
from .notifications import notify, pilot_audience, told_of_new_pilot, verified_members

log = logging.getLogger("pilotstarter.pilot_news")

# "Matches come to you": an organisation hears about a new pilot when one of its own pilots scores at
# least this. Calibrated on the 49 demo pilots (flask import-content content/pilots): pilots on the same
# topic by different municipalities score 0.18-0.23 (pleegzorg matching, overlijdensaangifte, parkeren,
# buurtdashboards), while the best pairs on different topics stay at or below 0.15 (overlijden vs
# toeristenbelasting 0.14, parkeervergunning vs bijstand 0.12). A pilot in a duplicate tier (mogelijk or
# waarschijnlijk dubbel, search_index/matchmaking/duplicate_likelihood.py) is announced whatever its score,
# with its own text: "mogelijk dezelfde".
SIMILAR_PUBLISHED_THRESHOLD = 0.18
SIMILAR_PUBLISHED_POOL = 30  # most similar pilots looked at; the threshold decides, this bounds the work
NEWS_ROLES = ("partner", "supplier")  # joining as "interested" is not news for the pilot's audience


def announce_similar_published(pilot: Pilot, author: User) -> int:
    """Tell each organisation whose own pilot is most like the new one, once, naming that pilot.

    Not the author's organisation nor organisations already taking part, nor anyone already told of the
    pilot as a follower (notifications.NEW_PILOT_KINDS: one notice per new pilot). Called after the pilot is
    committed (the similarity model reads committed changes). Never raises: the pilot is already
    published, so a failure here is logged and its notifications dropped.

    :return: how many notifications were written.
    """
    try:
        with db.session.begin_nested():
            return _announce_similar_published(pilot, author)
    except Exception:
        log.exception("could not announce the new pilot %s to similar organisations", pilot.slug)
        return 0


def _announce_similar_published(pilot: Pilot, author: User) -> int:
    taking_part = set(
        db.session.scalars(select(Participation.organisation_id).where(Participation.pilot_id == pilot.id))
    )
    taking_part.add(author.organisation_id)
    best: dict[int, tuple[Pilot, Match]] = {}  # organisation id -> its most similar own pilot
    for other, match in similarity_service().similar(pilot, limit=SIMILAR_PUBLISHED_POOL):
        if (match.score < SIMILAR_PUBLISHED_THRESHOLD and not match.duplicate) or other.owner_id in taking_part:
            continue
        if other.owner_id not in best or match.score > best[other.owner_id][1].score:
            best[other.owner_id] = (other, match)
    sent = 0
    told = told_of_new_pilot(pilot)  # followers of its theme, organisations or a matching saved search
    for org_id, (own, match) in best.items():
        kind = "pilot.duplicate_published" if match.duplicate else "pilot.similar_published"
        sent += notify(
            [u for u in verified_members([org_id]) if u.id not in told], kind, actor=author, pilot=pilot, organisation=author.organisation,
            own_pilot=own.title, own_pilot_slug=own.slug, score=match.score, tier=match.tier.value,
        )  # fmt: skip
    return sent


def announce_join(pilot: Pilot, user: User, role: str) -> int:
    """Tell the pilot's audience that the user's organisation now takes part (not its own members)."""
    if role not in NEWS_ROLES:
        return 0
    audience = [u for u in pilot_audience(pilot) if u.organisation_id != user.organisation_id]
    return notify(audience, "pilot.joined", actor=user, pilot=pilot, organisation=user.organisation)


def announce_edit(pilot: Pilot, editor: User | None) -> int:
    """Tell followers and participants that the pilot changed, except the editor.

    Someone who has not yet read the previous edit notice of this pilot gets no second one: one unread
    "bijgewerkt" per pilot says it all.
    """
    waiting = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.pilot_id == pilot.id, Notification.kind == "pilot.edited", Notification.read_at.is_(None)
            )
        )
    )
    audience = [u for u in pilot_audience(pilot) if u.id not in waiting]
    return notify(audience, "pilot.edited", actor=editor, pilot=pilot)
