"""The portfolio meetings as an iCalendar feed for VNG staff, behind a secret link per person.

Calendar apps cannot log in, so the link itself is the key: a random token of which only the SHA-256 is
stored (a database copy opens no calendar). Making a new link revokes the old one; a revoked or wrong
token, or a person who is no longer a curator, gets a 404 like any unknown address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, date, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CalendarLink, PortfolioMeeting, User, utcnow
from . import audit
from .errors import NotFound
from .permissions import is_curator, require_curator

HISTORY = timedelta(days=366)  # past meetings still in the feed; older ones drop out (bounds the feed)
MAX_MEETINGS = 200
MAX_TOKEN = 100  # longer path segments are not ours: refused before hashing


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_link(user: User | None) -> CalendarLink | None:
    """The person's live link (only its date can be shown: the token itself is not kept)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(CalendarLink).where(CalendarLink.user_id == user.id))


def new_calendar_link(user: User | None, ip: str | None = None) -> str:
    """Make the person's link, replacing any earlier one; returns the token (shown once). Curators only.

    :raise PermissionDenied: for anyone else.
    """
    curator = require_curator(user, _("Alleen VNG-medewerkers en beheerders kunnen een agenda-link maken."))
    old = calendar_link(curator)
    if old is not None:
        db.session.delete(old)
        db.session.flush()  # the user's one row is free again before the new one is inserted
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarLink(user_id=curator.id, token_hash=_digest(token)))
    audit.record("calendar_link.created", curator, "user", curator.id, ip, replaced=old is not None)
    return token


def revoke_calendar_link(user: User | None, ip: str | None = None) -> bool:
    """Delete the person's link; returns whether there was one. :raise PermissionDenied: for non-curators."""
    curator = require_curator(user)
    link = calendar_link(curator)
    if link is None:
        return False
    db.session.delete(link)
    audit.record("calendar_link.revoked", curator, "user", curator.id, ip)
    return True


def user_for_token(token: str) -> User:
    """The curator whose live link this is. :raise NotFound: for any other token."""
    if not token or len(token) > MAX_TOKEN:
        raise NotFound(_("Deze agenda-link bestaat niet (meer)."))
    digest = _digest(token)
    link = db.session.scalar(select(CalendarLink).where(CalendarLink.token_hash == digest))
    if link is None or not hmac.compare_digest(link.token_hash, digest) or not is_curator(link.user):
        raise NotFound(_("Deze agenda-link bestaat niet (meer)."))
    return link.user


def feed_meetings(today: date | None = None) -> list[PortfolioMeeting]:
    """Meetings from a year ago on, soonest first, at most MAX_MEETINGS."""
    since = (today or date.today()) - HISTORY
    return list(
        db.session.scalars(
            select(PortfolioMeeting)
            .where(PortfolioMeeting.date >= since)
            .order_by(PortfolioMeeting.date, PortfolioMeeting.id)
            .limit(MAX_MEETINGS)
            .options(selectinload(PortfolioMeeting.agenda))  # one query for all agendas, not one per meeting
        )
    )


def meetings_calendar(meetings: list[PortfolioMeeting], host: str, meeting_url: Callable[[int], str]) -> bytes:
    """An iCalendar (RFC 5545) file: one all-day VEVENT per meeting (meetings have a date, no time), with
    the agenda's pilot titles as its description. UIDs name the meeting row, so an edit updates the event."""
    cal = Calendar()
    cal.add("prodid", "-//Pilotstarter//Portfolio-overleg//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Portfolio-overleg Pilotstarter"))
    stamp = utcnow().replace(tzinfo=UTC)  # DTSTAMP must be UTC
    for meeting in meetings:
        event = Event()
        event.add("uid", f"portfolio-meeting-{meeting.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + timedelta(days=1))
        event.add("summary", meeting.title)
        agenda = [review.pilot.title for review in meeting.agenda if not review.pilot.is_deleted]
        lines = [_("Agenda:")] + [f"{n}. {title}" for n, title in enumerate(agenda, 1)] if agenda else []
        event.add("description", "\n".join(lines) or _("Nog geen agendapunten."))
        event.add("url", meeting_url(meeting.id))
        cal.add_component(event)
    return cal.to_ical()
