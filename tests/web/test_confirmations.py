"""Deleting and revoking ask first: the button is a link to a page that says what happens, and only its
form does it. GET never deletes; who may not do it gets no confirmation page either."""

from __future__ import annotations

import re

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, Pilot, SavedSearch
from pilotstarter_web.services import comments, meeting_calendar, saved_searches
from tests.factories import make_pilot, make_user


def confirm_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="confirm-panel"' in html and "Annuleren" in html
    assert re.search(rf'<form method="post" action="{re.escape(url)}">', html)  # the same address, POSTed
    return html


def test_deleting_a_pilot_asks_first_and_keeps_the_reason(client, auth):
    owner = make_user("GM0344")
    pilot = make_pilot(owner, title="Slimme lantaarnpalen")
    db.session.commit()
    auth.login(owner)
    assert 'href="/pilots/slimme-lantaarnpalen/delete"' in client.get("/pilots/slimme-lantaarnpalen").get_data(
        as_text=True
    )
    html = confirm_page(client, "/pilots/slimme-lantaarnpalen/delete")
    assert "Weet u zeker dat u de pilot ‘Slimme lantaarnpalen’ wilt verwijderen?" in html
    assert 'name="reason" maxlength="300"' in html and "terugzetten" in html
    assert db.session.get(Pilot, pilot.id).deleted_at is None  # asking deleted nothing
    response = client.post("/pilots/slimme-lantaarnpalen/delete", data={"reason": "Dubbel ingevoerd"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pilot, pilot.id).deleted_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "pilot.deleted"))
    assert event.data["reason"] == "Dubbel ingevoerd"


def test_who_may_not_delete_a_pilot_gets_no_confirmation_page(client, auth):
    make_pilot(make_user("GM0344"), title="Slimme lantaarnpalen")
    db.session.commit()
    auth.login(make_user("GM0599"))
    assert client.get("/pilots/slimme-lantaarnpalen/delete").status_code == 403
    assert "/pilots/slimme-lantaarnpalen/delete" not in client.get("/pilots/slimme-lantaarnpalen").get_data(
        as_text=True
    )


def test_deleting_a_saved_search_asks_first(client, auth):
    user = make_user("GM0344")
    search, _ = saved_searches.save_search(user, "jeugd", {}, "Jeugdzorg")
    db.session.commit()
    auth.login(user)
    url = f"/account/volgt/zoekopdrachten/{search.id}/verwijderen"
    assert f'href="{url}"' in client.get("/account/volgt").get_data(as_text=True)
    assert "‘Jeugdzorg’" in confirm_page(client, url)
    assert db.session.get(SavedSearch, search.id) is not None
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(SavedSearch, search.id) is None
    auth.logout()
    auth.login(make_user("GM0599"))
    assert client.get(url).status_code == 404


def test_deleting_a_comment_asks_its_author_first(client, auth):
    author = make_user("GM0344")
    pilot = make_pilot(author, title="Slimme lantaarnpalen")
    comment = comments.post_comment(author, pilot, "Goed idee")
    db.session.commit()
    auth.login(author)
    url = f"/reacties/{comment.id}/verwijderen"
    assert f'href="{url}"' in client.get("/pilots/slimme-lantaarnpalen").get_data(as_text=True)
    assert "Weet u zeker dat u uw reactie van" in confirm_page(client, url)
    assert client.post(url).status_code == 302
    assert "Goed idee" not in client.get("/pilots/slimme-lantaarnpalen").get_data(as_text=True)
    auth.logout()
    other = comments.post_comment(author, pilot, "Nog een")
    db.session.commit()
    auth.login(make_user("GM0599"))
    assert client.get(f"/reacties/{other.id}/verwijderen").status_code == 403


def test_revoking_the_calendar_link_asks_first(client, auth):
    staff = make_user("vng", role="vng_staff")
    meeting_calendar.new_calendar_link(staff, None)
    db.session.commit()
    auth.login(staff)
    url = "/portfolio/agenda-link/intrekken"
    assert f'href="{url}"' in client.get("/portfolio/meetings").get_data(as_text=True)
    assert "agenda-link wilt intrekken" in confirm_page(client, url)
    assert meeting_calendar.calendar_link(staff) is not None
    assert "De agenda-link is ingetrokken" in client.post(url, follow_redirects=True).get_data(as_text=True)
