"""The clusters page for VNG staff and the introduction it sends."""

from __future__ import annotations

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, Notification, User
from tests.factories import make_pilot, make_user

FUNERAL = [
    ("Digitale overlijdensaangifte door uitvaartondernemers",
     "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."),
    ("Uitvaartportaal voor gemeenten",
     "Uitvaartbedrijven melden een overlijden digitaal bij de gemeente; de aangifte gaat online via een portaal."),
    ("Overlijden melden zonder loket",
     "Nabestaanden en uitvaartondernemers melden een overlijden online; de aangifte van overlijden zonder loket."),
]  # fmt: skip
OTHERS = [
    ("Parkeervergunning online", "Bewoners vragen hun parkeervergunning online aan en wijzigen hun kenteken zelf."),
    ("Sensoren in het riool", "Sensoren meten waterstanden in het riool voor gericht onderhoud van de buizen."),
    ("Chatbot voor de Wmo", "Een chatbot beantwoordt vragen van inwoners over huishoudelijke hulp en vervoer."),
]


def corpus():
    funeral = [
        make_pilot(make_user(code), title=t, body=b)
        for code, (t, b) in zip(("GM0200", "GM0687", "GM0344"), FUNERAL, strict=True)
    ]
    others = [
        make_pilot(make_user(code), title=t, body=b)
        for code, (t, b) in zip(("GM0518", "GM0363", "GM0153"), OTHERS, strict=True)
    ]
    return funeral, others  # fmt: skip


def test_staff_see_the_group_of_three_municipalities(client, auth):
    funeral, others = corpus()
    auth.login(make_user("VNG", role="vng_staff"))
    html = client.get("/portfolio/clusters?strictness=ruim").get_data(as_text=True)
    assert "3 organisaties werken aan" in html
    section = html[html.index("3 organisaties werken aan") :]
    section = section[: section.index("</section>")]
    for p in funeral:
        assert p.title in section
    for p in others:
        assert p.title not in section


def test_province_filter_keeps_groups_with_an_organisation_there(client, auth):
    corpus()
    auth.login(make_user("VNG", role="vng_staff"))
    html = client.get("/portfolio/clusters?strictness=ruim&province=Utrecht").get_data(as_text=True)
    assert "3 organisaties werken aan" in html  # GM0344 is Utrecht
    html = client.get("/portfolio/clusters?strictness=ruim&province=Limburg").get_data(as_text=True)
    assert "Geen clusters gevonden" in html


def test_members_and_anonymous_may_not_see_clusters(client, auth):
    corpus()
    assert client.get("/portfolio/clusters").status_code == 302  # to the login page
    auth.login(make_user("GM0344"))
    assert client.get("/portfolio/clusters").status_code == 403
    assert client.post("/portfolio/clusters/introduce", data={"pilot": ["a", "b"]}).status_code == 403


def test_introduce_notifies_every_organisation_about_the_others(client, auth):
    funeral, _ = corpus()
    colleague = make_user("GM0687")  # a second member of an organisation in the group
    staff = make_user("VNG", role="vng_staff")
    auth.login(staff)
    response = client.post("/portfolio/clusters/introduce?strictness=ruim", data={"pilot": [p.slug for p in funeral]})
    assert response.status_code == 302 and "strictness=ruim" in response.headers["Location"]
    sent = list(db.session.scalars(select(Notification).where(Notification.kind == "cluster.introduced")))
    assert len(sent) == 4  # three initiators and the colleague; never the VNG member who sent it
    assert colleague.id in {n.user_id for n in sent}
    assert staff.id not in {n.user_id for n in sent}
    mine = next(n for n in sent if n.user_id == colleague.id)
    assert mine.pilot_id == funeral[1].id
    assert "GM0200" not in mine.data["others"] and funeral[0].owner.display_name in mine.data["others"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cluster.introduced")) is not None


def test_introduce_needs_two_organisations(client, auth):
    funeral, _ = corpus()
    auth.login(make_user("VNG", role="vng_staff"))
    response = client.post("/portfolio/clusters/introduce", data={"pilot": [funeral[0].slug, "bestaat-niet"]})
    assert response.status_code == 422
    assert "minstens twee pilots" in response.get_data(as_text=True)


def test_introducing_organisations_without_accounts_says_why_nobody_was_told(client, auth):
    funeral, _ = corpus()
    # the initiators' accounts are blocked: nobody at their organisations can be told
    db.session.execute(User.__table__.update().where(User.role == "member").values(active=False))
    db.session.commit()
    auth.login(make_user("VNG", role="vng_staff"))
    page = client.post(
        "/portfolio/clusters/introduce", data={"pilot": [p.slug for p in funeral]}, follow_redirects=True
    ).get_data(as_text=True)
    assert "0 meldingen verstuurd" not in page
    assert "daar heeft nog niemand een geverifieerd account op Pilotstarter." in page
    assert funeral[0].owner.display_name in page
