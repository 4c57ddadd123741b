"""Consent through the pages: a listed partner is shown as invited until it accepts; the team removes a joiner."""

from __future__ import annotations

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent
from tests.factories import make_pilot, make_user


def test_a_listed_partner_shows_as_invited_to_the_team_and_as_partner_once_it_accepts(client, auth):
    author, rotterdam = make_user("GM0344"), make_user("GM0599")
    auth.login(author)
    response = client.post(
        "/pilots/new",
        data={"title": "Slimme bruggen", "summary": "Sensoren.", "body": "## Doel\n\nMinder storingen.",
              "themes": ["data"], "status": "idee", "partner_1": "Rotterdam [GM0599]", "token": "t1"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/pilots/slimme-bruggen").get_data(as_text=True)
    section = page[page.index('id="deelnemers"') : page.index("</section>", page.index('id="deelnemers"'))]
    assert "Uitgenodigd, nog niet bevestigd" in section and "Rotterdam" in section
    assert "Partner</h3>" not in section
    auth.logout()
    anonymous = client.get("/pilots/slimme-bruggen").get_data(as_text=True)
    assert "Uitgenodigd, nog niet bevestigd" not in anonymous  # the team's business
    auth.login(rotterdam)
    assert "Uitnodiging aannemen" in client.get("/pilots/slimme-bruggen").get_data(as_text=True)
    answer = client.post("/pilots/slimme-bruggen/invitation/accept", follow_redirects=True).get_data(as_text=True)
    assert answer.count("Rotterdam doet nu mee aan deze pilot.") == 1
    section = answer[answer.index('id="deelnemers"') :]
    assert "Uitgenodigd, nog niet bevestigd" not in answer and "Rotterdam" in section


def test_the_team_removes_a_participant_and_others_cannot(client, auth):
    owner = make_user("GM0344")
    pilot = make_pilot(owner)
    joiner = make_user("GM0599")
    auth.login(joiner)
    client.post(f"/pilots/{pilot.slug}/join")
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "participants/remove" not in page  # only the team sees the buttons
    refused = client.post(
        f"/pilots/{pilot.slug}/participants/remove", data={"organisation": "GM0344"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Alleen het team van deze pilot kan deelnemers verwijderen." in refused
    auth.logout()
    auth.login(owner)
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "als deelnemer: Rotterdam" in page
    done = client.post(
        f"/pilots/{pilot.slug}/participants/remove", data={"organisation": "GM0599"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Rotterdam staat niet meer als deelnemer bij deze pilot." in done
    assert "als deelnemer: Rotterdam" not in done
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == pilot.slug)).all()
    assert "pilot.participant_removed" in actions


def test_leaving_after_interest_says_so_in_its_own_words(client, auth):
    pilot = make_pilot(make_user("GM0344"))
    auth.login(make_user("GM0363"))
    client.post(f"/pilots/{pilot.slug}/join", data={"interest": "1"})
    page = client.post(f"/pilots/{pilot.slug}/leave", follow_redirects=True).get_data(as_text=True)
    assert "Amsterdam staat niet meer als geïnteresseerd bij deze pilot." in page
    assert "doet niet meer mee" not in page
