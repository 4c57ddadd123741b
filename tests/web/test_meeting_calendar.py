"""The portfolio meetings' calendar feed: a secret, revocable link per VNG staff member, read back with icalendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, CalendarLink
from pilotstarter_web.services import meeting_calendar, portfolio, scaleup
from pilotstarter_web.services.errors import NotFound, PermissionDenied
from tests.factories import make_pilot, make_user

NEXT_MONTH = date.today() + timedelta(days=30)


@pytest.fixture
def staff():
    return make_user("vng", role="vng_staff", email="staff@example.nl")


@pytest.fixture
def meeting(staff):
    owner = make_user("GM0344")
    pilot = make_pilot(owner, title="Slimme meldingen", status="lopend")
    meeting = portfolio.create_meeting(staff, NEXT_MONTH, "Portfolio-overleg december")
    scaleup.flag(staff, pilot, "Werkt in drie gemeenten.")
    scaleup.schedule(staff, pilot, meeting.id)
    db.session.commit()
    return meeting


def link_from(html: str) -> str:
    return html.split('id="agenda-link" type="text" readonly value="')[1].split('"')[0]


def test_staff_make_a_link_and_their_calendar_app_reads_the_meetings(client, auth, staff, meeting):
    auth.login(staff)
    page = client.get("/portfolio/meetings").get_data(as_text=True)
    assert "Agenda-link maken" in page
    response = client.post("/portfolio/agenda-link")
    assert response.status_code == 200
    url = link_from(response.get_data(as_text=True))
    assert url.startswith("http://localhost/agenda/") and url.endswith("/portfolio-overleg.ics")
    token = url.split("/")[-2]
    assert db.session.scalar(select(CalendarLink.token_hash)) != token  # only the hash is kept

    auth.logout()
    ics = client.get(url.removeprefix("http://localhost"))
    assert ics.status_code == 200 and ics.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in ics.headers["Cache-Control"]
    cal = Calendar.from_ical(ics.data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"portfolio-meeting-{meeting.id}@localhost"
    assert event.decoded("DTSTART") == NEXT_MONTH and event.decoded("DTEND") == NEXT_MONTH + timedelta(days=1)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(event["SUMMARY"]) == "Portfolio-overleg december"
    assert "1. Slimme meldingen" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://localhost/portfolio/meetings/{meeting.id}"
    actions = list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("calendar_link.%")).order_by(AuditEvent.id)
        )
    )
    assert actions == ["calendar_link.created"]


def test_a_new_link_or_revoking_ends_the_old_one(client, auth, staff, meeting):
    auth.login(staff)
    first = link_from(client.post("/portfolio/agenda-link").get_data(as_text=True)).removeprefix("http://localhost")
    assert "Nieuwe link maken" in client.get("/portfolio/meetings").get_data(as_text=True)
    second = link_from(client.post("/portfolio/agenda-link").get_data(as_text=True)).removeprefix("http://localhost")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    response = client.post("/portfolio/agenda-link/intrekken", follow_redirects=True)
    assert "De agenda-link is ingetrokken" in response.get_data(as_text=True)
    assert client.get(second).status_code == 404
    actions = list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("calendar_link.%")).order_by(AuditEvent.id)
        )
    )
    assert actions == ["calendar_link.created", "calendar_link.created", "calendar_link.revoked"]


def test_members_cannot_make_a_link_and_wrong_tokens_are_404(client, auth, meeting):
    member = make_user("GM0344")
    auth.login(member)
    assert "agenda-link" not in client.get("/").get_data(as_text=True)
    assert client.post("/portfolio/agenda-link").status_code == 403
    assert db.session.scalar(select(CalendarLink)) is None
    assert client.get("/agenda/verzonnen/portfolio-overleg.ics").status_code == 404
    assert client.get("/agenda/" + "x" * 500 + "/portfolio-overleg.ics").status_code == 404


def test_a_link_stops_working_when_its_owner_is_no_longer_staff(staff, meeting):
    token = meeting_calendar.new_calendar_link(staff)
    db.session.commit()
    assert meeting_calendar.user_for_token(token) == staff
    staff.role = "member"
    db.session.commit()
    with pytest.raises(NotFound):
        meeting_calendar.user_for_token(token)
    with pytest.raises(PermissionDenied):
        meeting_calendar.new_calendar_link(staff)


def test_the_feed_is_bounded_to_a_year_back(staff):
    old = portfolio.create_meeting(staff, date.today() - timedelta(days=400), "Lang geleden")
    recent = portfolio.create_meeting(staff, date.today() - timedelta(days=30), "Vorige maand")
    db.session.commit()
    assert meeting_calendar.feed_meetings() == [recent]
    assert old not in meeting_calendar.feed_meetings()
