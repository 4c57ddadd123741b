"""Daily and weekly digests: the notifications someone wants bundled, one mail per person when due.

A digest is due at MAIL_DIGEST_HOUR local time (BABEL_DEFAULT_TIMEZONE) every day, or every Monday for the
weekly one. Each pass of the worker takes, per person, the entries written before the last such moment that
no digest included yet, makes one digest mail and records it on those entries (``DigestEntry.mail_id``): an
entry is included once, so no event is ever mailed twice, and a person with no entries gets no mail.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import DigestEntry, OutboxMail, User
from .mail_preferences import DIGEST_KIND, DIGESTS


def last_due(frequency: str, now: datetime) -> datetime:
    """The latest moment at or before ``now`` (naive UTC) when this digest was due, as naive UTC."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
    moment = datetime.combine(local.date(), time(current_app.config["MAIL_DIGEST_HOUR"]), zone)
    if moment > local:
        moment -= timedelta(days=1)
    if frequency == "weekly":
        moment -= timedelta(days=moment.weekday())  # back to Monday
    moment = datetime.combine(moment.date(), time(current_app.config["MAIL_DIGEST_HOUR"]), zone)  # DST-safe
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def queue_due_digests(now: datetime) -> int:
    """Queue one digest mail per person with entries that are due; returns how many were queued."""
    queued = 0
    for frequency in DIGESTS:
        due = last_due(frequency, now)
        pending = (DigestEntry.frequency == frequency, DigestEntry.mail_id.is_(None), DigestEntry.created_at < due)
        users = db.session.scalars(
            select(User)
            .where(User.id.in_(select(DigestEntry.user_id).where(*pending)))
            .where(User.active.is_(True), User.verified_at.is_not(None))
            .order_by(User.id)
        ).all()
        for user in users:
            mail = OutboxMail(user_id=user.id, to_address=user.email, kind=DIGEST_KIND + frequency)
            db.session.add(mail)
            db.session.flush()
            taken = db.session.execute(
                update(DigestEntry)
                .where(DigestEntry.user_id == user.id, *pending)  # still unclaimed: a parallel worker may have won
                .values(mail_id=mail.id)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken:
                queued += 1
            else:
                db.session.execute(delete(OutboxMail).where(OutboxMail.id == mail.id))
                db.session.expunge(mail)
    return queued
