"""In-app notifications: who hears about what, and how a notification reads.

Every feature that tells people something calls :func:`notify` with a registered ``kind``; the text is
rendered when it is shown (:func:`message`), so it appears in the reader's language. Every notification also
queues its e-mail in the same transaction (services/mail_queue.py), as each recipient wants it for that kind:
at once, in a daily or weekly digest, or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Follow, Notification, Organisation, Participation, Pilot, User, utcnow
from ..models.ids import parse_id
from .errors import NotFound

PER_PAGE = 25

# kind -> message with %(name)s placeholders filled from the notification's data. Register new kinds here
# (one place, so a notification never shows an unknown text). Placeholders every kind may use:
# pilot (title), organisation (name), actor (display name); the rest come from ``data``.
MESSAGES: dict[str, Any] = {
    "pilot.similar_published": _l("%(organisation)s start een pilot die lijkt op uw pilot %(own_pilot)s: %(pilot)s"),
    "pilot.duplicate_published": _l(
        "%(organisation)s start een pilot die mogelijk dezelfde is als uw pilot %(own_pilot)s: %(pilot)s"
    ),
    "pilot.invited": _l("%(organisation)s nodigt uw organisatie uit om mee te doen met de pilot %(pilot)s"),
    "pilot.joined": _l("%(organisation)s doet nu mee met de pilot %(pilot)s"),
    "pilot.edited": _l("%(actor)s heeft de pilot %(pilot)s bijgewerkt"),
    "pilot.duplicate_marked": _l("De pilot %(pilot)s is gemarkeerd als dubbel van %(main_pilot)s"),
    "pilot.merged": _l("De pilot %(duplicate_pilot)s is samengevoegd met %(pilot)s"),
    "account.verified": _l("Uw account is geverifieerd: u kunt nu pilots schrijven en bewerken"),
}
# How a kind is named on the mail settings page; a kind without a label is named by its message with "…" for
# the placeholders (see kind_label), so a kind registered elsewhere is never nameless.
LABELS: dict[str, Any] = {
    "pilot.similar_published": _l("Een andere organisatie start een pilot die lijkt op die van u"),
    "pilot.duplicate_published": _l("Een andere organisatie start mogelijk dezelfde pilot als u"),
    "pilot.invited": _l("Uw organisatie wordt uitgenodigd voor een pilot"),
    "pilot.joined": _l("Een organisatie doet mee met uw pilot"),
    "pilot.edited": _l("Een pilot die u volgt of waaraan u meedoet is bijgewerkt"),
    "pilot.duplicate_marked": _l("Een pilot is gemarkeerd als dubbel"),
    "pilot.merged": _l("Pilots zijn samengevoegd"),
    "account.verified": _l("Uw account is geverifieerd"),
}
# Mail at once for what asks for an answer or decides something; everything else waits for the daily digest.
IMMEDIATE_KINDS = {
    "account.verified", "pilot.invited", "pilot.joined", "pilot.similar_published", "pilot.duplicate_published",
    "comment.mention", "comment.reply",
}  # fmt: skip
IMMEDIATE_PREFIXES = ("scaleup.",)
DEFAULT_MAIL = "daily"


def register(kind: str, text: Any, *, label: Any = None, mail: str | None = None) -> None:
    """Add a kind from another module (texts wrapped in lazy_gettext); ``mail="immediately"`` makes its mails
    go out at once by default (otherwise: the daily digest)."""
    MESSAGES[kind] = text
    if label is not None:
        LABELS[kind] = label
    if mail == "immediately":
        IMMEDIATE_KINDS.add(kind)


def default_frequency(kind: str) -> str:
    """How a kind is mailed to someone who chose nothing for it."""
    return "immediately" if kind in IMMEDIATE_KINDS or kind.startswith(IMMEDIATE_PREFIXES) else DEFAULT_MAIL


def kind_label(kind: str) -> str:
    """The kind's name for people, in the current language."""
    if kind in LABELS:
        return str(LABELS[kind])
    text = MESSAGES.get(kind)
    return re.sub(r"%\(\w+\)s", "…", str(text)) if text is not None else kind


def verified_members(organisation_ids: Iterable[int]) -> list[User]:
    """The active, verified accounts of these organisations."""
    ids = set(organisation_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id.in_(ids), User.active.is_(True), User.verified_at.is_not(None))
            .order_by(User.id)
        )
    )


def followers(pilot: Pilot) -> list[User]:
    """Active accounts following the pilot (following takes a verified account)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Follow, Follow.user_id == User.id)
            .where(Follow.pilot_id == pilot.id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def pilot_audience(pilot: Pilot) -> list[User]:
    """Everyone who should hear a pilot's news: members of its participating organisations and its followers."""
    org_ids = db.session.scalars(select(Participation.organisation_id).where(Participation.pilot_id == pilot.id))
    seen: dict[int, User] = {u.id: u for u in verified_members(org_ids)}
    for user in followers(pilot):
        seen.setdefault(user.id, user)
    return list(seen.values())


# The kinds that announce a newly published pilot: a person hears of one pilot once, by the first that applies
# (theme or organisation followers in the publishing transaction, follow_news.py; then, after it, saved
# searches, saved_search_matching.py; then organisations with a similar pilot, pilot_news.py).
NEW_PILOT_KINDS = (
    "theme.new_pilot", "organisation.new_pilot", "search.new_match", "pilot.similar_published",
    "pilot.duplicate_published",
)  # fmt: skip


def told_of_new_pilot(pilot: Pilot) -> set[int]:
    """Ids of the people already told of this new pilot (one indexed query on notifications.pilot_id)."""
    return set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.pilot_id == pilot.id, Notification.kind.in_(NEW_PILOT_KINDS)
            )
        )
    )


def notify(
    recipients: Iterable[User],
    kind: str,
    *,
    actor: User | None = None,
    pilot: Pilot | None = None,
    organisation: Organisation | None = None,
    **data: Any,
) -> int:
    """Queue one notification per recipient in the current transaction (never to the actor, never twice).

    :return: how many were written.
    """
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    from .mail_queue import queue_notification_mails  # it reads this module's registry

    written: dict[int, tuple[User, Notification]] = {}
    for user in recipients:
        if user.id in written or (actor is not None and user.id == actor.id):
            continue
        notification = Notification(
            user_id=user.id,
            kind=kind,
            actor_id=actor.id if actor is not None else None,
            pilot_id=pilot.id if pilot is not None else None,
            organisation_id=organisation.id if organisation is not None else None,
            data=data,
        )
        db.session.add(notification)
        written[user.id] = (user, notification)
    queue_notification_mails(kind, list(written.values()))
    return len(written)


def unread_count(user: User) -> int:
    """One COUNT on the (user_id, read_at) index: cheap enough for every page's header."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def for_user(user: User, page: int = 1, unread_only: bool = False) -> tuple[list[Notification], int]:
    """One page of the user's notifications, newest first, and the total."""
    where = [Notification.user_id == user.id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
    items = db.session.scalars(
        select(Notification)
        .where(*where)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PER_PAGE)
        .offset((max(page, 1) - 1) * PER_PAGE)
    )
    return list(items), total


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read: these ids, or all when ``ids`` is None. Others' are never touched."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:  # ids no row can have are none of the user's (and would overflow PostgreSQL's INTEGER)
        stmt = stmt.where(Notification.id.in_([i for i in ids if parse_id(i) is not None]))
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount or 0


def open_notification(user: User, notification_id: int) -> Notification:
    """One of the user's own notifications, marked read (opening it is reading it).

    :raise NotFound: for an unknown id or someone else's notification, alike.
    """
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound(_("Deze melding bestaat niet."))
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification


def message(notification: Notification, name: Callable[[Organisation], str] | None = None) -> str:
    """The notification's text in the current language."""
    org = notification.organisation
    values: dict[str, Any] = {
        "pilot": notification.pilot.title if notification.pilot is not None else "",
        "organisation": (name(org) if name else org.display_name) if org is not None else "",
        "actor": notification.actor.name if notification.actor is not None else "",
    }
    values.update(notification.data or {})
    text = MESSAGES.get(notification.kind)
    if text is None:
        return notification.kind
    try:
        return str(text) % values
    except (KeyError, TypeError, ValueError):
        return str(text)
