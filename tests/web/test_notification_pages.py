"""Notifications, follow and invitations through the pages and the JSON API, per role."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Invitation, Notification, Participation
from pilotstarter_web.services import follows, notifications
from tests.factories import make_pilot, make_user, org

FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."
FUNERAL_2 = "Uitvaartbedrijven melden een overlijden digitaal bij de gemeente; de aangifte gaat online."
FUNERAL_3 = "Een overlijden digitaal aangeven: de uitvaartondernemer doet de aangifte online bij de gemeente."


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def header_link(client) -> str:
    html = text_of(client.get("/"))
    link = html[html.index('class="utrecht-link notifications-link"') :]
    link = link[link.index(">") + 1 : link.index("</a>")]
    return " ".join(re.sub(r"<[^>]+>", "", link).split())  # the link's text as a screen reader reads it


@pytest.fixture
def inbox(client, auth):
    """A member of Rotterdam with two notifications about a pilot, and someone else with one."""
    me, someone = make_user("GM0599", email="me@example.nl"), make_user("GM0344")
    pilot = make_pilot(make_user("GM0363"), title="Slimme bruggen")
    notifications.notify([me, someone], "pilot.edited", pilot=pilot)
    notifications.notify([me], "pilot.joined", pilot=pilot, organisation=org("GM0344"))
    db.session.commit()
    auth.login(me)
    theirs = notifications.for_user(someone)[0][0]
    return {"me": me, "someone": someone, "pilot": pilot, "theirs": theirs}


# -- anonymous and roles ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/notifications"),
        ("get", "/notifications/1"),
        ("post", "/notifications/read"),
        ("post", "/pilots/x/follow"),
        ("post", "/pilots/x/invite"),
        ("post", "/pilots/x/invitation/accept"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_api_answers_401_without_a_session(client):
    for response in (client.get("/api/v1/notifications"), client.post("/api/v1/notifications/read", json={})):
        assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_header_shows_the_unread_count_and_the_page_marks_unread_in_words(client, inbox):
    assert "Meldingen" in header_link(client) and "2 ongelezen" in header_link(client)
    html = text_of(client.get("/notifications"))
    assert html.count("notification--unread") == 2 and html.count(">Nieuw<") == 2  # a word, not just colour
    assert "Utrecht doet nu mee met de pilot Slimme bruggen" in html
    assert html.index("doet nu mee") < html.index("bijgewerkt")  # newest first


def test_opening_marks_read_and_goes_to_the_pilot_only_for_the_owner(client, inbox):
    mine = notifications.for_user(inbox["me"])[0][0]
    response = client.get(f"/notifications/{mine.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/pilots/slimme-bruggen")
    assert "1 ongelezen" in header_link(client)
    html = text_of(client.get("/notifications"))
    assert html.count(">Nieuw<") == 1 and "gelezen" in html

    theirs = inbox["theirs"]
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_read_and_the_unread_filter_and_empty_states(client, inbox):
    response = client.post("/notifications/read", follow_redirects=True)
    assert "Alle meldingen zijn als gelezen gemarkeerd." in text_of(response)
    assert "ongelezen" not in header_link(client)
    assert "U heeft geen ongelezen meldingen." in text_of(client.get("/notifications?unread=1"))
    assert notifications.unread_count(inbox["someone"]) == 1  # only one's own

    other = make_user("GM0014", email="leeg@example.nl")
    client.post("/account/logout")
    client.post("/account/login", data={"email": other.email, "password": "correct-horse-battery"})
    assert "U heeft nog geen meldingen." in text_of(client.get("/notifications"))


def test_paging(client, inbox):
    for _ in range(notifications.PER_PAGE):
        notifications.notify([inbox["me"]], "pilot.edited", pilot=inbox["pilot"])
    db.session.commit()
    first, second = text_of(client.get("/notifications")), text_of(client.get("/notifications?page=2"))
    assert first.count('class="notification') == notifications.PER_PAGE and 'rel="next"' in first
    assert second.count('class="notification') == 2  # the two oldest come last
    assert "Utrecht doet nu mee" in second and "Utrecht doet nu mee" not in first


# -- API --------------------------------------------------------------------------------------------------
def test_api_lists_and_marks_only_ones_own(client, inbox):
    body = client.get("/api/v1/notifications").get_json()
    assert {"total", "page", "per_page", "items", "unread"} <= set(body)
    assert body["total"] == 2 and body["unread"] == 2
    first = body["items"][0]
    assert {"id", "kind", "text", "pilot", "created_at", "read"} <= set(first)
    assert first["kind"] == "pilot.joined" and first["pilot"] == "slimme-bruggen" and first["read"] is False
    assert first["text"] == "Utrecht doet nu mee met de pilot Slimme bruggen"

    answer = client.post("/api/v1/notifications/read", json={"ids": [first["id"], inbox["theirs"].id]}).get_json()
    assert answer == {"marked": 1, "unread": 1}
    assert notifications.unread_count(inbox["someone"]) == 1
    assert client.get("/api/v1/notifications?unread=1").get_json()["total"] == 1
    assert client.post("/api/v1/notifications/read", json={}).get_json() == {"marked": 1, "unread": 0}
    for bad in ({"ids": "all"}, {"ids": [True]}, {"ids": ["1"]}):
        response = client.post("/api/v1/notifications/read", json=bad)
        assert response.status_code == 400 and response.mimetype == "application/problem+json"
    # a cross-site form cannot send JSON: form posts are refused
    assert client.post("/api/v1/notifications/read", data={"ids": "1"}).status_code == 415  # unsupported media type


# -- follow -----------------------------------------------------------------------------------------------
def test_follow_and_unfollow_from_the_pilot_page(client, auth):
    user = make_user("GM0599")
    pilot = make_pilot(make_user("GM0344"), title="Volgbare pilot")
    auth.login(user)
    html = text_of(client.get(f"/pilots/{pilot.slug}"))
    assert f'action="/pilots/{pilot.slug}/follow"' in html and ">Volgen<" in html
    response = client.post(f"/pilots/{pilot.slug}/follow", follow_redirects=True)
    assert "U volgt deze pilot." in text_of(response) and "Niet meer volgen" in text_of(response)
    assert follows.is_following(user, pilot)
    client.post(f"/pilots/{pilot.slug}/unfollow")
    assert not follows.is_following(user, pilot)


def test_unverified_accounts_cannot_follow_and_see_no_button(client, auth):
    user = make_user("GM0599", verified=False)
    pilot = make_pilot(make_user("GM0344"))
    auth.login(user)
    assert "/follow" not in text_of(client.get(f"/pilots/{pilot.slug}"))
    assert client.post(f"/pilots/{pilot.slug}/follow").status_code == 403
    assert not follows.is_following(user, pilot)


# -- matchmaking: partners, province filter, invitations, announcements -----------------------------------
@pytest.fixture
def funeral():
    """Apeldoorn's pilot with similar ones by Goes (Zeeland) and Maastricht (Limburg)."""
    owner = make_user("GM0200", email="apeldoorn@example.nl")
    pilot = make_pilot(owner, title="Digitale overlijdensaangifte door uitvaartondernemers", body=FUNERAL)
    make_pilot(make_user("GM0664"), title="Uitvaartportaal voor gemeenten", body=FUNERAL_2)
    make_pilot(make_user("GM0935"), title="Overlijden digitaal aangeven", body=FUNERAL_3)
    return {"owner": owner, "pilot": pilot}


def partners_panel(html: str) -> str:
    panel = html[html.index('id="partners"') :]
    return panel[: panel.index("</section>")]


def test_partner_suggestions_filter_by_province(client, funeral):
    url = f"/pilots/{funeral['pilot'].slug}"
    panel = partners_panel(text_of(client.get(url)))
    assert "Goes" in panel and "Maastricht" in panel and 'name="province"' in panel
    only_limburg = partners_panel(text_of(client.get(url + "?province=Limburg")))
    assert "Maastricht" in only_limburg and "Goes (" not in only_limburg
    assert "Geen mogelijke partners in deze provincie." in text_of(client.get(url + "?province=Drenthe"))


def test_participants_invite_once_and_the_invited_members_accept(client, auth, funeral):
    pilot, goes = funeral["pilot"], make_user("GM0664", email="goes@example.nl")
    url = f"/pilots/{pilot.slug}"

    outsider = make_user("GM0344")
    auth.login(outsider)
    assert "Uitnodigen" not in partners_panel(text_of(client.get(url)))
    response = client.post(url + "/invite", data={"organisation": "GM0664"}, follow_redirects=True)
    assert "Alleen deelnemers aan deze pilot" in text_of(response)
    assert db.session.scalar(select(Invitation)) is None

    auth.logout()
    auth.login(funeral["owner"])
    assert "Uitnodigen" in partners_panel(text_of(client.get(url)))
    response = client.post(url + "/invite", data={"organisation": "GM0664"}, follow_redirects=True)
    assert "Goes is uitgenodigd voor deze pilot." in text_of(response)
    assert "Uitgenodigd" in partners_panel(text_of(response))
    again = client.post(url + "/invite", data={"organisation": "GM0664"}, follow_redirects=True)
    assert "Goes was al uitgenodigd op" in text_of(again)
    assert len(notifications.for_user(goes)[0]) == 1

    auth.logout()
    auth.login(goes)
    inbox = text_of(client.get("/notifications"))
    assert "Apeldoorn nodigt uw organisatie uit om mee te doen met de pilot" in inbox
    assert "Uitnodiging aannemen" in inbox
    page = text_of(client.get(url))
    assert 'id="uitnodiging"' in page and "Uitnodiging aannemen" in page and "Afslaan" in page
    response = client.post(url + "/invitation/accept", follow_redirects=True)
    assert "Goes doet nu mee aan deze pilot." in text_of(response)
    role = db.session.scalar(
        select(Participation.role).where(
            Participation.pilot_id == pilot.id, Participation.organisation_id == org("GM0664").id
        )
    )
    assert role == "partner"
    assert 'id="uitnodiging"' not in text_of(client.get(url))
    assert [n.kind for n in notifications.for_user(funeral["owner"])[0]] == ["pilot.joined"]


def test_declining_from_the_notifications_page(client, auth, funeral):
    from pilotstarter_web.services.invitations import invite

    goes = make_user("GM0664")
    invite(funeral["owner"], funeral["pilot"], org("GM0664"))
    db.session.commit()
    auth.login(goes)
    url = f"/pilots/{funeral['pilot'].slug}/invitation/decline"
    response = client.post(url, data={"from": "notifications"}, follow_redirects=True)
    assert "U heeft de uitnodiging afgeslagen." in text_of(response) and "Uitnodiging aannemen" not in text_of(response)
    assert db.session.scalar(select(Invitation.accepted)) is False
    assert "Er is geen openstaande uitnodiging" in text_of(client.post(url, follow_redirects=True))


def test_organisation_page_suggests_organisations_to_work_with_and_invites(client, auth, funeral):
    html = text_of(client.get("/organisations/GM0200"))
    section = html[html.index('id="samenwerken"') :]
    section = section[: section.index("</section>")]
    assert "Organisaties om mee samen te werken" in section and "Goes" in section and "Maastricht" in section
    assert "past bij" in section and "Uitvaartportaal voor gemeenten" in section and "Uitnodigen" not in section
    assert "Maastricht" in text_of(client.get("/organisations/GM0200?province=Limburg")).split('id="samenwerken"')[1]

    auth.login(funeral["owner"])
    assert "Uitnodigen" in text_of(client.get("/organisations/GM0200"))
    response = client.post(
        f"/pilots/{funeral['pilot'].slug}/invite", data={"organisation": "GM0935", "from": "organisation:GM0200"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/organisations/GM0200#samenwerken")
    assert db.session.scalar(select(Invitation.organisation_id)) == org("GM0935").id


def test_publishing_a_similar_pilot_notifies_the_other_organisation(client, auth, funeral):
    apeldoorn_colleague = make_user("GM0200")
    utrecht = make_user("GM0344")
    auth.login(utrecht)
    form = {
        "title": "Aangifte van overlijden digitaal door de uitvaartondernemer",
        "summary": "",
        "body": FUNERAL + " Zonder loketbezoek, via een portaal.",
        "status": "idee",
        "themes": ["dienstverlening"],
        "reviewed": "digitale-overlijdensaangifte-door-uitvaartondernemers,uitvaartportaal-voor-gemeenten,"
        "overlijden-digitaal-aangeven",
    }
    response = client.post("/pilots/new", data=form)
    assert response.status_code == 302, text_of(response)[:2000]
    for user in (funeral["owner"], apeldoorn_colleague):
        (n,) = notifications.for_user(user)[0]
        assert n.kind == "pilot.duplicate_published"  # a near copy: its duplicate tier, in its own words
        assert notifications.message(n).startswith(
            "Utrecht start een pilot die mogelijk dezelfde is als uw pilot Digitale overlijdensaangifte door "
            "uitvaartondernemers"
        )
    assert notifications.for_user(utrecht)[1] == 0


# -- CSRF -------------------------------------------------------------------------------------------------
def test_every_form_post_needs_the_csrf_token(app, client, auth, funeral, monkeypatch):
    """With CSRF on (as in production), the new POST routes refuse a forged form and accept the page's own."""
    notifications.notify([funeral["owner"]], "pilot.edited", pilot=funeral["pilot"])
    db.session.commit()
    auth.login(funeral["owner"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    slug = funeral["pilot"].slug
    forged = [
        ("/notifications/read", {}),
        (f"/pilots/{slug}/follow", {}),
        (f"/pilots/{slug}/unfollow", {}),
        (f"/pilots/{slug}/invite", {"organisation": "GM0664"}),
        (f"/pilots/{slug}/invitation/accept", {}),
        (f"/pilots/{slug}/invitation/decline", {}),
    ]
    for url, data in forged:
        response = client.post(url, data=data)
        assert response.status_code == 400 and "beveiligingscode" in text_of(response), url
    assert notifications.unread_count(funeral["owner"]) == 1
    assert db.session.scalar(select(Invitation)) is None
    assert not follows.is_following(funeral["owner"], funeral["pilot"])

    token = re.search(r'name="csrf-token" content="([^"]+)"', text_of(client.get("/notifications"))).group(1)
    assert client.post("/notifications/read", data={"csrf_token": token}).status_code == 302
    invite = client.post(f"/pilots/{slug}/invite", data={"csrf_token": token, "organisation": "GM0664"})
    assert invite.status_code == 302
    assert notifications.unread_count(funeral["owner"]) == 0 and db.session.scalar(select(Invitation)) is not None
