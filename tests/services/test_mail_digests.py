"""Daily and weekly digests on a frozen clock: due at 07:00 Amsterdam time (weekly: Mondays), one mail per
person, never the same event twice, nothing when there is nothing new."""

# ruff: noqa: F811  (the SMTP fixtures are imported from tests/mail_server.py and named as arguments)
from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import DigestEntry
from pilotstarter_web.services import mail_outbox, mail_preferences
from pilotstarter_web.services.mail_digests import last_due
from pilotstarter_web.services.notifications import notify
from tests.factories import make_pilot, make_user
from tests.mail_server import smtp_port, smtp_server  # noqa: F401

# 2026-12-08 is a Tuesday; Amsterdam is UTC+1 in December, so 07:00 there is 06:00 UTC.
TUESDAY = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0):
    return time_machine.travel(datetime(2026, 12, day, hour, minute, tzinfo=UTC), tick=False)


def edited(users, title: str) -> None:
    """A pilot edit: the kind that waits for the daily digest by default."""
    pilot = make_pilot(title=title)
    notify(users, "pilot.edited", actor=make_user("GM0599"), pilot=pilot)
    db.session.commit()


def texts(inbox) -> list[str]:
    return [m.get_body(("plain",)).get_content() for m in inbox.messages]


def test_the_last_due_moment_is_seven_in_the_morning_amsterdam_time(app):
    assert last_due("daily", datetime(2026, 12, 9, 6, 0)) == datetime(2026, 12, 9, 6, 0)
    assert last_due("daily", datetime(2026, 12, 9, 5, 59)) == datetime(2026, 12, 8, 6, 0)
    assert last_due("weekly", datetime(2026, 12, 9, 7, 0)) == datetime(2026, 12, 7, 6, 0)  # Monday
    assert last_due("daily", datetime(2026, 7, 1, 5, 0)) == datetime(2026, 7, 1, 5, 0)  # summer time: UTC+2


def test_a_daily_digest_bundles_what_happened_and_never_repeats_an_event(smtp_server):
    with at(8, 9):
        reader, quiet = make_user(name="Lezer"), make_user()
        mail_preferences.set_preferences(quiet, {"pilot.edited": "never"})
        edited([reader, quiet], "Eerste pilot")
        edited([reader], "Tweede pilot")
    with at(9, 5, 59):  # 06:59 in Amsterdam: not yet
        assert mail_outbox.drain().digests == 0
    with at(9, 6, 1):
        report = mail_outbox.drain()
    assert report.digests == 1 and report.sent == 1
    [digest] = smtp_server.messages
    assert digest["To"] == reader.email and digest["Subject"] == "Uw dagelijkse samenvatting: 2 meldingen"
    assert "Eerste pilot" in texts(smtp_server)[0] and "Tweede pilot" in texts(smtp_server)[0]
    with at(9, 8):
        assert mail_outbox.drain().attempted == 0  # included once, never again
        edited([reader], "Derde pilot")
    with at(10, 6, 30):
        assert mail_outbox.drain().digests == 1
    second = texts(smtp_server)[1]
    assert "Derde pilot" in second and "Eerste pilot" not in second and "Tweede pilot" not in second
    assert smtp_server.messages[1]["Subject"] == "Uw dagelijkse samenvatting: 1 melding"
    with at(11, 6, 30):
        assert mail_outbox.drain().digests == 0  # nothing new: no empty digest
    assert len(smtp_server.messages) == 2
    included = db.session.scalars(select(DigestEntry.mail_id).order_by(DigestEntry.id)).all()
    assert len(included) == 3 and None not in included and len(set(included)) == 2


def test_a_weekly_digest_waits_for_monday_morning(smtp_server):
    with at(8, 9):
        reader = make_user()
        mail_preferences.set_preferences(reader, {"pilot.edited": "weekly"})
        edited([reader], "Weekpilot")
    with at(9, 6, 30):
        assert mail_outbox.drain().digests == 0  # the daily moment passed, the weekly one not
    with at(14, 5, 59):
        assert mail_outbox.drain().digests == 0
    with at(14, 6, 1):
        assert mail_outbox.drain().sent == 1
    [digest] = smtp_server.messages
    assert digest["Subject"] == "Uw wekelijkse samenvatting: 1 melding" and "Weekpilot" in texts(smtp_server)[0]
    with at(21, 7):
        assert mail_outbox.drain().digests == 0


def test_a_digest_unsubscribe_link_turns_off_every_kind_in_that_digest(smtp_server):
    with at(8, 9):
        reader = make_user()
        mail_preferences.set_preferences(reader, {"pilot.joined": "daily"})
        edited([reader], "Pilot")
    with at(9, 7):
        mail_outbox.drain()
    [digest] = smtp_server.messages
    token = digest["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    user, kind = mail_preferences.read_token(token)
    assert user.id == reader.id and kind == "digest.daily"
    assert mail_preferences.unsubscribe(user, kind) >= 2
    prefs = mail_preferences.for_user(reader)
    assert prefs["pilot.edited"] == prefs["pilot.joined"] == "never"
    assert prefs["pilot.invited"] == "immediately"  # not in the digest: untouched
