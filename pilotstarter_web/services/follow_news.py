"""Telling followers of a theme, an organisation or a saved search about a new pilot or a join.

One notification per person per event, whatever they follow: a person following the theme and the owner
of a new pilot, with a saved search that matches it too, hears of it once (the first reason that applies:
theme, organisation, saved search, then a similar own pilot; notifications.NEW_PILOT_KINDS). Never the person
who did it.

Theme and organisation followers are told in the publishing transaction (one indexed query each). Saved
searches are matched after it (saved_search_matching.py), from an outbox row written here, so their number
never slows publishing down and no match is lost.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import NewPilotMatch, Organisation, OrganisationFollow, Participation, Pilot, ThemeFollow, User
from . import derived_data
from .notifications import notify, pilot_audience, register
from .pilot_news import NEWS_ROLES
from .saved_search_matching import match_step
from .themes import THEMES, theme_labels_nl

register(
    "theme.new_pilot",
    _l("Nieuwe pilot in het thema %(theme)s: %(pilot)s"),
    label=_l("Nieuwe pilot in een thema dat u volgt"),
)
register(
    "organisation.new_pilot",
    _l("Nieuwe pilot van of met %(organisation)s: %(pilot)s"),
    label=_l("Nieuwe pilot van een organisatie die u volgt"),
)
register(
    "organisation.joined",
    _l("%(organisation)s doet nu mee met de pilot %(pilot)s"),
    label=_l("Een organisatie die u volgt doet mee met een pilot"),
)


def announce_new_pilot(pilot: Pilot, author: User | None) -> int:
    """Tell followers of the pilot's themes and organisations, and queue the saved-search matching.

    Called by the service that publishes, in its transaction. :return: notifications written.
    """
    told: set[int] = {author.id} if author is not None else set()
    sent = 0
    themes = [t for t in pilot.theme_keys if t in THEMES]
    if themes:
        followers = select(User, ThemeFollow.theme).join(ThemeFollow, ThemeFollow.user_id == User.id)
        rows = db.session.execute(
            followers.where(ThemeFollow.theme.in_(themes), User.active.is_(True)).order_by(User.id)
        ).all()
        by_theme: dict[str, list[User]] = {}
        for user, theme in sorted(rows, key=lambda r: themes.index(r[1])):  # the pilot's first theme first
            if user.id not in told:
                told.add(user.id)
                by_theme.setdefault(theme, []).append(user)
        for theme, users in by_theme.items():
            label = theme_labels_nl()[theme]  # stored: the Dutch label, whatever the publisher's language
            sent += notify(users, "theme.new_pilot", actor=author, pilot=pilot, theme=label, theme_key=theme)
    org_ids = list(db.session.scalars(select(Participation.organisation_id).where(Participation.pilot_id == pilot.id)))
    by_org = _organisation_followers(org_ids)
    for org_id in sorted(by_org, key=lambda i: (i != pilot.owner_id, i)):  # the owner's followers first
        users = [u for u in by_org[org_id] if u.id not in told]
        told.update(u.id for u in users)
        if users:
            org = db.session.get(Organisation, org_id)
            sent += notify(users, "organisation.new_pilot", actor=author, pilot=pilot, organisation=org)
    db.session.add(NewPilotMatch(pilot_id=pilot.id, actor_id=author.id if author is not None else None))
    pilot_id = pilot.id
    derived_data.after_commit(lambda: match_step(pilot_id=pilot_id))  # this pilot's searches, at once
    derived_data.after_commit(match_step)  # and a step of whatever was left before
    return sent


def _organisation_followers(org_ids: list[int]) -> dict[int, list[User]]:
    if not org_ids:
        return {}
    rows = db.session.execute(
        select(User, OrganisationFollow.organisation_id)
        .join(OrganisationFollow, OrganisationFollow.user_id == User.id)
        .where(OrganisationFollow.organisation_id.in_(org_ids), User.active.is_(True))
        .order_by(User.id)
    ).all()
    found: dict[int, list[User]] = {}
    for user, org_id in rows:
        found.setdefault(org_id, []).append(user)
    return found


def announce_organisation_joined(pilot: Pilot, user: User, role: str) -> int:
    """Tell the followers of the user's organisation that it joined the pilot; not those who hear it as the
    pilot's own audience already ("pilot.joined", pilot_news.announce_join)."""
    if role not in NEWS_ROLES:
        return 0
    audience = {u.id for u in pilot_audience(pilot)}
    followers = _organisation_followers([user.organisation_id]).get(user.organisation_id, [])
    return notify(
        [u for u in followers if u.id not in audience], "organisation.joined", actor=user, pilot=pilot,
        organisation=user.organisation,
    )  # fmt: skip
