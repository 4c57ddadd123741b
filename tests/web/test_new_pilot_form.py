"""The new-pilot form asks only what a first version needs: no edit summary, one partner field at a time."""

import re

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Invitation, Participation, Pilot
from tests.factories import make_pilot, make_user


def partner_rows(html: str) -> list[tuple[str, bool]]:
    """(field name, hidden) for every partner row, in order."""
    rows = re.findall(r'<div class="partner-row"( hidden)?>.*?name="(partner_\d+)"', html, flags=re.S)
    return [(name, bool(hidden)) for hidden, name in rows]


def shown(html: str) -> list[str]:
    return [name for name, hidden in partner_rows(html) if not hidden]


def test_new_pilot_form_has_no_edit_summary_and_one_partner_field(client, auth):
    auth.login(make_user("GM0344"))
    html = client.get("/pilots/new").get_data(as_text=True)
    assert 'name="edit_summary"' not in html and "Samenvatting van uw wijziging" not in html
    assert shown(html) == ["partner_1"]
    assert 'value="add_partner"' in html and "Nog een partner toevoegen" in html


def test_edit_form_still_asks_for_an_edit_summary(client, auth):
    pilot = make_pilot()
    auth.login(make_user("GM0344"))
    html = client.get(f"/pilots/{pilot.slug}/edit").get_data(as_text=True)
    assert 'name="edit_summary"' in html and "partner-row" not in html


def test_adding_a_partner_without_javascript_keeps_the_text_and_saves_nothing(client, auth):
    auth.login(make_user("GM0344"))
    data = {"title": "Slimme bruggen", "body": "Sensoren in bruggen.", "status": "idee", "token": "t1"}
    html = client.post("/pilots/new", data=data | {"partner_1": "Rotterdam [GM0599]", "action": "add_partner"})
    html = html.get_data(as_text=True)
    assert shown(html) == ["partner_1", "partner_2"]
    assert 'value="Rotterdam [GM0599]"' in html and 'value="Slimme bruggen"' in html
    assert "Sensoren in bruggen." in html
    assert db.session.scalar(select(Pilot)) is None  # nothing published
    assert "Controleer het formulier" not in html  # no validation of a half-written form


def test_adding_a_partner_to_an_empty_first_field_still_adds_one(client, auth):
    auth.login(make_user("GM0344"))
    html = client.post("/pilots/new", data={"title": "X", "status": "idee", "action": "add_partner"})
    assert shown(html.get_data(as_text=True)) == ["partner_1", "partner_2"]


def test_the_second_partner_is_saved_and_a_bad_one_stays_in_view(client, auth):
    auth.login(make_user("GM0344"))
    data = {"title": "Slimme bruggen", "body": "Sensoren.", "status": "idee", "token": "t2", "partner_1": ""}
    html = client.post("/pilots/new", data=data | {"partner_2": "Atlantis"}).get_data(as_text=True)
    assert "Onbekende organisatie" in html
    assert shown(html) == ["partner_1", "partner_2"]  # the field with the error is shown, not hidden
    response = client.post("/pilots/new", data=data | {"partner_2": "Rotterdam [GM0599]"})
    assert response.status_code == 302
    pilot = db.session.scalar(select(Pilot))
    roles = {p.organisation.code: p.role for p in db.session.scalars(select(Participation).filter_by(pilot=pilot))}
    invited = {i.organisation.code for i in db.session.scalars(select(Invitation).filter_by(pilot_id=pilot.id))}
    assert "GM0599" not in roles and invited == {"GM0599"}  # a named partner is invited and confirms first
    assert pilot.current_revision.edit_summary == ""  # a first version has nothing to summarise
