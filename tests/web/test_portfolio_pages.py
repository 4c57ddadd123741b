"""Portfolio pages per role: the scale-up route through real forms, crafted POSTs refused, exports, bad input."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services import portfolio, scaleup
from tests.factories import make_pilot, make_user

BODY = (
    "## Aanleiding\n\nMeldingen.\n\n## Resultaten\n\nCommon Ground, broncode onder EUPL, DPIA. Kosten: 10.000 euro.\n"
)
MEETING_DAY = date.today()  # held today: its decisions can be recorded


@pytest.fixture
def world(client, auth):
    owner = make_user("GM0344", email="owner@example.nl")
    pilot = make_pilot(owner, title="Slimme meldingen", body=BODY, status="lopend", partners=["GM0307"])
    users = {
        "owner": owner,
        "unverified": make_user("GM0344", verified=False),
        "outsider": make_user("GM0363", email="outsider@example.nl"),
        "vng_staff": make_user("vng", role="vng_staff", email="staff@example.nl"),
        "admin": make_user("vng", role="admin", email="admin@example.nl"),
    }
    meeting = portfolio.create_meeting(users["vng_staff"], MEETING_DAY, "Portfolio-overleg test")
    db.session.commit()

    def login_as(persona):
        if persona != "anonymous":
            assert auth.login(users[persona]).status_code == 302

    return {"pilot": pilot, "meeting": meeting, "login_as": login_as, **users}


def walk(world, state):
    staff, pilot = world["vng_staff"], world["pilot"]
    if state in ("genomineerd", "opschaalbaar", "geagendeerd", "wordt_opgeschaald"):
        scaleup.nominate(world["owner"], pilot, "Werkt goed")
    if state in ("opschaalbaar", "geagendeerd", "wordt_opgeschaald"):
        scaleup.flag(staff, pilot, "Veel vraag")
    if state in ("geagendeerd", "wordt_opgeschaald"):
        scaleup.schedule(staff, pilot, world["meeting"].id)
    if state == "wordt_opgeschaald":
        scaleup.decide(staff, pilot, "opschalen", "Breed bruikbaar, = veilig", "- Bouwblok maken\n- =HYPERLINK()")
    db.session.commit()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_full_route_through_the_forms(client, world):
    world["login_as"]("owner")
    page = text(client.get("/pilots/slimme-meldingen"))
    assert "Voordragen voor opschaling" in page and "Opschalen? Bekijk de checklist" in page
    assert "Minstens twee deelnemende gemeenten" in page  # the checklist, folded until the pilot is on the route
    r = client.post("/portfolio/pilots/slimme-meldingen/voordragen", data={"motivation": "Werkt in twee gemeenten"})
    assert r.status_code == 302
    client.post("/account/logout")
    world["login_as"]("vng_staff")
    dash = text(client.get("/portfolio"))
    assert "Wachtrij" in dash and "Slimme meldingen" in dash and "Portfolio-overleg test" in dash
    assert client.post("/portfolio/pilots/slimme-meldingen/flag", data={"motivation": "Veel vraag"}).status_code == 302
    r = client.post("/portfolio/pilots/slimme-meldingen/schedule", data={"meeting": str(world["meeting"].id)})
    assert r.status_code == 302
    agenda = text(client.get(f"/portfolio/meetings/{world['meeting'].id}"))
    assert "Slimme meldingen" in agenda and "nog niet besloten" in agenda
    r = client.post(
        "/portfolio/pilots/slimme-meldingen/decide",
        data={"decision": "opschalen", "rationale": "Breed bruikbaar", "follow_up": "Bouwblok maken"},
    )
    assert r.status_code == 302
    page = text(client.get("/pilots/slimme-meldingen"))
    assert "Wordt opgeschaald" in page and "Breed bruikbaar" in page and "Bouwblok maken" in page
    assert "Portfolio-overleg test" in page  # the timeline names the meeting
    public = text(client.get("/portfolio/opgeschaald"))
    assert "Slimme meldingen" in public and "Breed bruikbaar" in public


@pytest.mark.parametrize("persona", ["anonymous", "unverified", "outsider", "owner", "vng_staff", "admin"])
def test_pages_per_role(client, world, persona):
    walk(world, "geagendeerd")
    world["login_as"](persona)
    staff = persona in ("vng_staff", "admin")
    m = world["meeting"].id
    staff_pages = [
        "/portfolio/pilots/slimme-meldingen",
        "/portfolio/meetings",
        f"/portfolio/meetings/{m}",
        f"/portfolio/meetings/{m}/print",
        f"/portfolio/meetings/{m}/agenda.csv",
        f"/portfolio/meetings/{m}/agenda.md",
        "/portfolio/audit",
    ]
    for url in staff_pages:
        status = client.get(url).status_code
        expected = 200 if staff else (302 if persona == "anonymous" else 403)
        assert status == expected, (url, status)
    dashboard = client.get("/portfolio")
    assert dashboard.status_code == (200 if staff else 302)
    assert client.get("/portfolio/opgeschaald").status_code == 200
    home = text(client.get("/"))
    assert ('href="/portfolio"' in home) == staff  # the nav link


CRAFTED = [
    ("/portfolio/pilots/slimme-meldingen/flag", {"motivation": "x"}, "genomineerd"),
    ("/portfolio/pilots/slimme-meldingen/send-back", {"questions": "x"}, "genomineerd"),
    ("/portfolio/pilots/slimme-meldingen/schedule", {"meeting": "MEETING"}, "opschaalbaar"),
    ("/portfolio/pilots/slimme-meldingen/unschedule", {}, "geagendeerd"),
    ("/portfolio/pilots/slimme-meldingen/decide", {"decision": "opschalen", "rationale": "x"}, "geagendeerd"),
    ("/portfolio/meetings", {"date": "2030-01-01", "title": "Nep"}, "geen"),
    ("/portfolio/meetings/MEETING/agenda", {"pilot": "slimme-meldingen"}, "opschaalbaar"),
    ("/portfolio/meetings/MEETING/move", {"review": "1", "direction": "up"}, "geagendeerd"),
    ("/portfolio/meetings/MEETING/minutes", {"minutes": "gehackt"}, "geen"),
]


@pytest.mark.parametrize("persona", ["owner", "outsider", "unverified"])
@pytest.mark.parametrize("url,data,state", CRAFTED)
def test_crafted_staff_posts_by_members_are_refused(client, world, persona, url, data, state):
    walk(world, state)
    world["login_as"](persona)
    m = str(world["meeting"].id)
    response = client.post(url.replace("MEETING", m), data={k: v.replace("MEETING", m) for k, v in data.items()})
    assert response.status_code == 403, text(response)[:300]
    assert "Geen toegang" in text(response)
    db.session.expire_all()
    assert world["pilot"].scale_up_state == state
    assert world["meeting"].minutes == ""
    assert len(portfolio.meetings()) == 1


def test_outsiders_cannot_nominate(client, world):
    world["login_as"]("outsider")
    assert "Voordragen voor opschaling" not in text(client.get("/pilots/slimme-meldingen"))
    response = client.post("/portfolio/pilots/slimme-meldingen/voordragen", data={"motivation": "Graag"})
    assert response.status_code == 403
    assert client.get("/portfolio/pilots/slimme-meldingen/voordragen").status_code == 403
    assert world["pilot"].scale_up_state == "geen"


def test_bad_input_gives_a_clear_page(client, world):
    world["login_as"]("owner")
    response = client.post("/portfolio/pilots/slimme-meldingen/voordragen", data={"motivation": "  "})
    assert response.status_code == 422
    assert "Schrijf waarom deze pilot opgeschaald kan worden." in text(response)
    client.post("/account/logout")
    world["login_as"]("vng_staff")
    response = client.post("/portfolio/meetings", data={"date": "gisteren", "title": ""})
    assert response.status_code == 422
    assert "JJJJ-MM-DD" in text(response) and "Geef het overleg een titel." in text(response)
    # deciding a pilot that is not on an agenda: a clear conflict, nothing changes
    response = client.post(
        "/portfolio/pilots/slimme-meldingen/decide", data={"decision": "opschalen", "rationale": "Goed"}
    )
    assert response.status_code == 409 and "niet toegestaan" in text(response)
    walk(world, "geagendeerd")
    response = client.post(
        "/portfolio/pilots/slimme-meldingen/decide", data={"decision": "meer_informatie", "rationale": "Onduidelijk"}
    )
    assert response.status_code == 422 and "Schrijf de vragen aan de voordragers." in text(response)
    assert "Onduidelijk" in text(response)  # the typed text is kept
    assert client.get("/portfolio/meetings/999999").status_code == 404
    assert client.post("/portfolio/pilots/onbekend/flag", data={"motivation": "x"}).status_code == 404


def test_exports(client, world):
    walk(world, "wordt_opgeschaald")
    world["login_as"]("vng_staff")
    m = world["meeting"].id
    response = client.get(f"/portfolio/meetings/{m}/agenda.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(text(response).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Nr", "Pilot", "Organisatie"]
    assert rows[1][0] == "1" and rows[1][1] == "Slimme meldingen" and rows[1][6] == "Opschalen"
    assert rows[1][3] == "http://localhost/pilots/slimme-meldingen"
    assert rows[1][8] == "Bouwblok maken; =HYPERLINK()"  # a formula sign inside a cell is harmless
    response = client.get(f"/portfolio/meetings/{m}/agenda.md")
    assert response.mimetype == "text/markdown"
    md = text(response)
    assert md.startswith("# Portfolio-overleg test\n")
    assert "## 1. [Slimme meldingen](http://localhost/pilots/slimme-meldingen)" in md
    assert "- Besluit: Opschalen — Breed bruikbaar, = veilig" in md
    page = text(client.get(f"/portfolio/meetings/{m}/print"))
    assert "Agenda: Portfolio-overleg test" in page and "no-print" in page


def test_csv_neutralises_formulas(world):
    walk(world, "wordt_opgeschaald")
    review = scaleup.current_review(world["pilot"])
    review.rationale = "=cmd|' /C calc'!A0"
    out = portfolio.agenda_csv(world["meeting"], lambda slug: slug)
    row = list(csv.reader(io.StringIO(out)))[1]
    assert row[7] == "'=cmd|' /C calc'!A0"


def agenda_of(client, meeting_id: int) -> str:
    """The agenda table only (a flash message above it names pilots too)."""
    page = text(client.get(f"/portfolio/meetings/{meeting_id}"))
    return page[page.index('id="agenda"') : page.index('id="toevoegen-kop"')]


def test_agenda_move_through_the_page(client, world):
    staff = world["vng_staff"]
    second = make_pilot(world["owner"], title="Tweede pilot")
    walk(world, "geagendeerd")
    scaleup.flag(staff, second, "Ja")
    db.session.commit()
    world["login_as"]("vng_staff")
    m = world["meeting"].id
    assert client.post(f"/portfolio/meetings/{m}/agenda", data={"pilot": second.slug}).status_code == 302
    agenda = agenda_of(client, m)
    assert agenda.index("Slimme meldingen") < agenda.index("Tweede pilot")
    review = scaleup.current_review(second)
    client.post(f"/portfolio/meetings/{m}/move", data={"review": str(review.id), "direction": "up"})
    agenda = agenda_of(client, m)
    assert agenda.index("Tweede pilot") < agenda.index("Slimme meldingen")
    client.post("/portfolio/pilots/slimme-meldingen/unschedule", data={"back": "meeting"})
    db.session.expire_all()
    assert world["pilot"].scale_up_state == "opschaalbaar"


def test_audit_page_filters_and_shows_transitions(client, world):
    walk(world, "opschaalbaar")
    world["login_as"]("admin")
    page = text(client.get("/portfolio/audit?action=scaleup."))
    assert "2 gebeurtenissen" in page and "Voorgedragen voor opschaling → Opschaalbaar" in page
    page = text(client.get("/portfolio/audit?action=scaleup.flag&actor=staff@"))
    assert "1 gebeurtenis" in page and "Veel vraag" in page
    page = text(client.get("/portfolio/audit?pilot=slimme-meldingen&from=2000-01-01&to=2000-01-02"))
    assert "Geen gebeurtenissen met deze filters." in page
    assert client.get("/portfolio/audit?from=onzin&page=abc").status_code == 200


def test_search_facet_follows_the_state(client, world):
    walk(world, "opschaalbaar")
    body = client.get("/api/v1/search?q=meldingen").get_json()
    assert body["facets"]["scale_up"] == {"opschaalbaar": 1}


def test_api_scale_up_object_and_public_decisions(client, world):
    pilot_json = client.get("/api/v1/pilots/slimme-meldingen").get_json()
    assert pilot_json["scale_up"] == {"state": "geen", "decision": None}
    assert client.get("/api/v1/portfolio/meetings").get_json()["total"] == 0
    m = world["meeting"].id
    assert client.get(f"/api/v1/portfolio/meetings/{m}").status_code == 404  # nothing decided: not published
    walk(world, "wordt_opgeschaald")
    world["meeting"].minutes = "Interne notitie"
    other = make_pilot(world["owner"], title="Nog in bespreking")
    scaleup.flag(world["vng_staff"], other, "Ja")
    scaleup.schedule(world["vng_staff"], other, m)
    db.session.commit()
    scale_up = client.get("/api/v1/pilots?per_page=5").get_json()["items"]
    by_slug = {item["slug"]: item["scale_up"] for item in scale_up}
    assert by_slug["slimme-meldingen"]["state"] == "wordt_opgeschaald"
    decision = by_slug["slimme-meldingen"]["decision"]
    assert decision["decision"] == "opschalen" and decision["follow_up"] == ["Bouwblok maken", "=HYPERLINK()"]
    assert decision["meeting"] == {"id": m, "title": "Portfolio-overleg test", "date": MEETING_DAY.isoformat()}
    assert by_slug["nog-in-bespreking"] == {"state": "geagendeerd", "decision": None}
    listing = client.get("/api/v1/portfolio/meetings").get_json()
    assert listing["total"] == 1 and listing["items"][0]["title"] == "Portfolio-overleg test"
    one = client.get(f"/api/v1/portfolio/meetings/{m}")
    assert one.mimetype == "application/json"
    body = one.get_json()
    assert [d["pilot"]["slug"] for d in body["decisions"]] == ["slimme-meldingen"]  # not the undecided item
    assert "Interne notitie" not in one.get_data(as_text=True)
    missing = client.get("/api/v1/portfolio/meetings/999999")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert client.get("/api/v1/portfolio/meetings?per_page=101").status_code == 400


def test_a_scaled_up_pilot_shows_the_public_its_decision_not_the_checklist(client, world):
    world["pilot"].current_revision.body = "## Resultaten\n"  # so the checklist has items missing
    walk(world, "wordt_opgeschaald")
    page = text(client.get("/pilots/slimme-meldingen"))
    assert "Breed bruikbaar" in page  # the decision and its reasons
    assert "ontbreekt" not in page and "Checklist voor opschaling" not in page
    world["login_as"]("owner")
    team = text(client.get("/pilots/slimme-meldingen"))
    assert "Checklist voor opschaling" in team and "ontbreekt" in team


def test_the_decision_waits_for_the_meeting_day(client, world):
    world["meeting"].date = date.today() + timedelta(days=7)
    walk(world, "geagendeerd")
    world["login_as"]("vng_staff")
    review = text(client.get("/portfolio/pilots/slimme-meldingen"))
    assert (
        "vanaf de dag van het overleg" in review and 'action="/portfolio/pilots/slimme-meldingen/decide"' not in review
    )
    meeting = text(client.get(f"/portfolio/meetings/{world['meeting'].id}"))
    assert "/portfolio/pilots/slimme-meldingen#besluit-kop" not in meeting
    response = client.post(
        "/portfolio/pilots/slimme-meldingen/decide", data={"decision": "opschalen", "rationale": "Goed"}
    )
    assert response.status_code == 422 and "pas vanaf die dag" in text(response)
    db.session.refresh(world["pilot"])
    assert world["pilot"].scale_up_state == "geagendeerd"
