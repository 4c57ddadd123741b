"""Scale-up integrity: no decision ahead of its meeting, a checklist that needs real text and confirmed partners,
and a checklist that stays with the team and VNG staff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services import portfolio, scaleup
from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.services.scaleup_checklist import MIN_SECTION_WORDS, checklist
from tests.factories import make_pilot, make_user

WORDS = " ".join(["De proef liep een half jaar in twee wijken met goede uitkomsten."] * 2)  # 24 words
assert MIN_SECTION_WORDS <= 24


def met(pilot, key, **options) -> bool:
    return next(item.met for item in checklist(pilot, None, **options) if item.key == key)


@pytest.fixture
def scheduled():
    """A pilot on the agenda of a meeting next week."""
    owner = make_user("GM0344")
    staff = make_user("vng", role="vng_staff")
    pilot = make_pilot(owner, title="Meldingen", status="lopend", partners=["GM0307"])
    meeting = portfolio.create_meeting(staff, date.today() + timedelta(days=7), "Portfolio-overleg volgende week")
    scaleup.nominate(owner, pilot, "Werkt goed.")
    scaleup.flag(staff, pilot, "Veel vraag.")
    scaleup.schedule(staff, pilot, meeting.id)
    db.session.commit()
    return pilot, meeting, staff


def test_a_decision_for_a_meeting_still_to_come_is_refused(scheduled):
    pilot, _meeting, staff = scheduled
    with pytest.raises(InvalidInput) as refused:
        scaleup.decide(staff, pilot, "opschalen", "Breed bruikbaar.")
    assert "decision" in refused.value.field_errors and "Portfolio-overleg volgende week" in refused.value.message
    db.session.rollback()
    assert pilot.scale_up_state == "geagendeerd" and scaleup.latest_decision(pilot) is None
    assert scaleup.panel(pilot, staff)["meeting_ahead"]


def test_on_the_meeting_day_the_decision_is_recorded(scheduled):
    pilot, meeting, staff = scheduled
    meeting.date = date.today()
    review = scaleup.decide(staff, pilot, "opschalen", "Breed bruikbaar.")
    assert pilot.scale_up_state == "wordt_opgeschaald" and review.meeting.date == date.today()


@pytest.mark.parametrize(
    ("body", "passes"),
    [
        ("## Resultaten\n\n## Aanpak\n\n" + WORDS, False),  # a bare heading; the words belong to the next section
        ("## Resultaten\n\nGoed.\n", False),  # a heading and a word
        ("## Resultaten\n\n" + WORDS + "\n\n## Aanpak\n\nStap 1.\n", True),
        ("## Evaluatie\n\n### Cijfers\n\n" + WORDS + "\n", True),  # a subsection's text is the section's
        ("# Pilot\n\n## Aanleiding\n\n" + WORDS + "\n\n## Resultaat\n", False),
    ],
)
def test_the_results_item_needs_text_under_its_heading(body, passes):
    pilot = make_pilot(body=body)
    assert met(pilot, "results") is passes


def test_only_confirmed_partners_count_as_participating_municipalities():
    pilot = make_pilot(make_user("GM0344"), partners=["GM0307"])
    assert met(pilot, "municipalities")  # today every participation is confirmed
    unconfirmed = {"GM0307"}
    assert not met(pilot, "municipalities", confirmed=lambda p: p.organisation.code not in unconfirmed)


def test_the_checklist_is_for_the_team_and_staff_not_the_public():
    owner = make_user("GM0344")
    pilot = make_pilot(owner, partners=["GM0307"])
    assert scaleup.panel(pilot, owner)["show_checklist"]
    assert scaleup.panel(pilot, make_user("GM0307"))["show_checklist"]
    assert scaleup.panel(pilot, make_user("vng", role="vng_staff"))["show_checklist"]
    assert not scaleup.panel(pilot, make_user("GM0363"))["show_checklist"]
    assert not scaleup.panel(pilot, None)["show_checklist"]
