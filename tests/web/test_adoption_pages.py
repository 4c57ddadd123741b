"""Adoption pages: the entry page's "Wie neemt dit over", declaring through the form (and its refusals), updating
and withdrawing, the API's ``adoptions`` field, the OpenAPI document, the portfolio dashboard, and
`flask demo-adoptions`."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Adoption, AuditEvent, Pilot
from pilotstarter_web.services import adoptions
from pilotstarter_web.services.adoptions import AdoptionInput
from tests.conftest import CONTENT
from tests.factories import make_pilot, make_user
from tests.services.test_adoptions import scale_up

FORM = {
    "stage": "gepland",
    "since": "",
    "contact_name": "An de Boer",
    "contact_email": "an@rotterdam.example",
    "contact_phone": "",
    "note": "We starten in het voorjaar.",
}


@pytest.fixture
def scaled():
    """A pilot decided "opschalen", its owner, VNG staff and a Rotterdam member."""
    owner = make_user("GM0344", email="owner@example.nl")
    staff = make_user("vng", role="vng_staff", email="staff@example.nl")
    pilot = make_pilot(owner, title="Meldingen openbare ruimte", status="afgerond", partners=["GM0307"])
    scale_up(pilot, owner, staff)
    return {"pilot": pilot, "owner": owner, "staff": staff, "rotterdam": make_user("GM0599", email="r@example.nl")}


def adopt(user, pilot, stage="gepland", **overrides):
    values = {"contact_name": "An de Boer", "contact_email": "an@rotterdam.example"} | overrides
    adoption = adoptions.declare(user, pilot, AdoptionInput(stage, **values))
    db.session.commit()
    return adoption


def test_declaring_through_the_page_lists_the_organisation_with_its_contact(client, auth, scaled):
    auth.login(scaled["rotterdam"])
    page = client.get("/pilots/meldingen-openbare-ruimte").get_data(as_text=True)
    assert "Wie neemt dit over" in page and "Nog geen andere organisatie" in page
    assert 'action="/pilots/meldingen-openbare-ruimte/overnemen"' in page
    response = client.post("/pilots/meldingen-openbare-ruimte/overnemen", data=FORM)
    assert response.status_code == 302 and response.headers["Location"].endswith("#overnemen")
    page = client.get("/pilots/meldingen-openbare-ruimte").get_data(as_text=True)
    assert "1 organisatie neemt dit over" in page and "Rotterdam" in page
    assert "an@rotterdam.example" in page and "We starten in het voorjaar." in page
    assert "/kaart?hergebruik=meldingen-openbare-ruimte" in page
    assert 'action="/pilots/meldingen-openbare-ruimte/overnemen"' not in page  # once per organisation
    assert "Bijwerken" in page and "Intrekken" in page


def test_anonymous_visitors_see_who_but_not_the_contact(client, scaled):
    adopt(scaled["rotterdam"], scaled["pilot"], contact_phone="010 123 45 67")
    page = client.get("/pilots/meldingen-openbare-ruimte").get_data(as_text=True)
    assert "Rotterdam" in page and "Gepland sinds" in page
    assert "an@rotterdam.example" not in page and "010 123 45 67" not in page
    assert "Log in om de contactpersonen te zien." in page
    assert client.get("/pilots/meldingen-openbare-ruimte/overnemen").status_code == 302  # to the login page
    assert client.post("/pilots/meldingen-openbare-ruimte/overnemen", data=FORM).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Adoption)) == 1


def test_a_form_error_comes_back_in_dutch_with_the_typed_text(client, auth, scaled):
    auth.login(scaled["rotterdam"])
    bad = FORM | {"contact_email": "", "since": "morgen"}
    response = client.post("/pilots/meldingen-openbare-ruimte/overnemen", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vul een datum in als jjjj-mm-dd" in page and "An de Boer" in page
    response = client.post("/pilots/meldingen-openbare-ruimte/overnemen", data=FORM | {"contact_email": ""})
    assert response.status_code == 422 and "Vul een e-mailadres of een telefoonnummer in." in response.get_data(True)
    assert db.session.scalar(select(Adoption)) is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 403), ("staff", 403), ("unverified", 403), ("twice", 409), ("unscaled", 409)],
)
def test_who_may_not_open_the_form(client, auth, scaled, who, status):
    slug = "meldingen-openbare-ruimte"
    if who == "unverified":
        auth.login(make_user("GM0363", verified=False))
    elif who == "twice":
        adopt(scaled["rotterdam"], scaled["pilot"])
        auth.login(make_user("GM0599"))
    elif who == "unscaled":
        slug = make_pilot(scaled["owner"], title="Nog een idee").slug
        auth.login(scaled["rotterdam"])
    else:
        auth.login(scaled[who])
    assert client.get(f"/pilots/{slug}/overnemen").status_code == status
    assert client.post(f"/pilots/{slug}/overnemen", data=FORM).status_code == status
    assert db.session.scalar(select(func.count()).select_from(Adoption)) == (1 if who == "twice" else 0)


def test_updating_the_stage_and_withdrawing(client, auth, scaled):
    adoption = adopt(scaled["rotterdam"], scaled["pilot"], since=date(2026, 9, 1))
    base = f"/pilots/meldingen-openbare-ruimte/overnemen/{adoption.id}"
    auth.login(make_user("GM0014"))  # another municipality
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/intrekken").status_code == 403
    auth.logout()
    auth.login(scaled["rotterdam"])
    page = client.get(base).get_data(as_text=True)
    assert 'value="2026-09-01"' in page and "Gepland sinds 1 september 2026" in page
    assert "<title>Overname bijwerken: Meldingen openbare ruimte" in page
    assert client.post(base, data=FORM | {"stage": "in_gebruik", "since": "2026-11-02"}).status_code == 302
    page = client.get("/pilots/meldingen-openbare-ruimte").get_data(as_text=True)
    assert "In gebruik sinds 2 november 2026" in page
    assert "Overname intrekken" in client.get(f"{base}/intrekken").get_data(as_text=True)
    assert client.post(f"{base}/intrekken").status_code == 302
    assert db.session.scalar(select(Adoption)) is None
    assert client.get(base).status_code == 404
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("adoption.%"))))
    assert actions == {"adoption.declared", "adoption.stage_changed", "adoption.withdrawn"}


def test_staff_correct_and_the_audit_log_names_it(client, auth, scaled):
    adoption = adopt(scaled["rotterdam"], scaled["pilot"])
    auth.login(scaled["staff"])
    page = client.get("/pilots/meldingen-openbare-ruimte").get_data(as_text=True)
    assert "Corrigeren" in page and "Verwijderen" in page
    base = f"/pilots/meldingen-openbare-ruimte/overnemen/{adoption.id}"
    assert client.post(base, data=FORM | {"contact_name": "Juiste Naam"}).status_code == 302
    log = client.get("/portfolio/audit?action=adoption.corrected").get_data(as_text=True)
    assert "corrigeerde de overname van" in log and "Rotterdam" in log


def test_the_api_gives_public_adoption_fields_only(client, scaled):
    adopt(scaled["rotterdam"], scaled["pilot"], "in_uitvoering", since=date(2026, 10, 1), contact_phone="010 123 45 67")
    body = client.get("/api/v1/pilots/meldingen-openbare-ruimte").get_json()
    assert body["adoptions"] == [
        {"organisation": {"code": "GM0599", "name": "Rotterdam"}, "stage": "in_uitvoering", "since": "2026-10-01"}
    ]
    assert "an@rotterdam.example" not in str(body) and "An de Boer" not in str(body) and "45 67" not in str(body)
    plain = make_pilot(scaled["owner"], title="Gewone pilot")
    assert client.get(f"/api/v1/pilots/{plain.slug}").get_json()["adoptions"] == []
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["components"]["schemas"]["Adoption"]["properties"]["stage"]["enum"] == [
        "gepland", "in_uitvoering", "in_gebruik",
    ]  # fmt: skip
    detail = spec["components"]["schemas"]["Pilot"]["allOf"][1]["properties"]
    assert detail["adoptions"]["items"] == {"$ref": "#/components/schemas/Adoption"}


def test_the_dashboard_shows_adoption_per_decision_to_staff_only(client, auth, scaled):
    lonely = make_pilot(scaled["owner"], title="Niemand neemt dit over")
    scale_up(lonely, scaled["owner"], scaled["staff"])
    adopt(scaled["rotterdam"], scaled["pilot"], "in_gebruik")
    auth.login(scaled["rotterdam"])
    assert client.get("/portfolio/hergebruik").status_code == 403
    auth.logout()
    auth.login(scaled["staff"])
    page = client.get("/portfolio/hergebruik").get_data(as_text=True)
    assert page.index("Niemand neemt dit over") < page.index("Meldingen openbare ruimte")
    assert "0 maanden geleden" in page and "zonder overname na 6 maanden" in page
    assert "Hergebruik" in client.get("/portfolio").get_data(as_text=True)  # in the portfolio's menu
    assert client.get("/portfolio/hergebruik?maanden=abc").status_code == 200  # a bad number: the default
    assert 'value="60"' in client.get("/portfolio/hergebruik?maanden=99999").get_data(as_text=True)


def test_mail_settings_name_the_adoption_kinds(client, auth, scaled):
    auth.login(scaled["owner"])
    page = client.get("/account/mail").get_data(as_text=True)
    assert "Een organisatie neemt uw pilot of goede praktijk over" in page


def test_demo_adoptions_gives_the_scaled_demo_pilot_several_stages_and_is_idempotent(runner):
    assert runner.invoke(args=["import-content", str(CONTENT / "pilots")]).exit_code == 0
    assert runner.invoke(args=["demo-accounts"]).exit_code == 0
    assert runner.invoke(args=["demo-scaleup"]).exit_code == 0
    first = runner.invoke(args=["demo-adoptions"])
    assert first.exit_code == 0, first.output
    texel = adoptions.adoptions_of(
        db.session.scalar(select(Pilot).where(Pilot.slug == "digitale-aangifte-toeristenbelasting-texel"))
    )
    assert {a.stage for a in texel} == {"gepland", "in_uitvoering", "in_gebruik"} and len(texel) >= 3
    assert all(a.since <= date.today() for a in texel)
    count = db.session.scalar(select(func.count()).select_from(Adoption))
    again = runner.invoke(args=["demo-adoptions"])
    assert again.exit_code == 0 and "al aanwezig" in again.output
    assert db.session.scalar(select(func.count()).select_from(Adoption)) == count
