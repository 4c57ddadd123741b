"""The read API under /api/v1: shapes, filters, paging, problem+json errors, sanitized HTML, OpenAPI."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services.pilots import PilotText, delete_pilot, edit_pilot
from tests.call_world import make_world as make_call_world
from tests.factories import make_pilot, make_user

PILOT_KEYS = {
    "slug", "title", "summary", "status", "themes", "tags", "owner", "scale_up", "created_at", "updated_at", "url",
    "duplicate_of", "merged", "type",
}  # fmt: skip
DETAIL_KEYS = PILOT_KEYS | {"revision", "body_markdown", "body_html", "last_editor", "participants", "adoptions"}
ORGANISATION_KEYS = {"code", "name", "display_name", "kind", "province", "country", "url"}


@pytest.fixture
def world():
    """Three pilots: Rotterdam (Zuid-Holland) with Utrecht as partner, Utrecht's own, and Amsterdam's."""
    rotterdam = make_user("GM0599", email="rotterdam@example.nl")
    bridges = make_pilot(
        rotterdam, title="Slimme bruggen", themes=["data", "openbare-ruimte"], status="lopend", partners=["GM0344"]
    )
    youth = make_pilot(make_user("GM0344"), title="Jeugdhulp dichtbij", themes=["jeugd"], status="idee")
    parking = make_pilot(make_user("GM0363"), title="Parkeren zonder kaartje", themes=["mobiliteit"], status="afgerond")
    return {"bridges": bridges, "youth": youth, "parking": parking, "rotterdam": rotterdam}


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == ("application/json" if status == 200 else "application/problem+json"), url
    return response.get_json()


def slugs(body: dict) -> set[str]:
    return {item["slug"] for item in body["items"]}


def test_pilot_list_has_the_documented_shape(client, world):
    body = get_json(client, "/api/v1/pilots")
    assert set(body) == {"total", "items", "page", "per_page"}
    assert (body["total"], body["page"], body["per_page"]) == (3, 1, 20)
    assert slugs(body) == {"slimme-bruggen", "jeugdhulp-dichtbij", "parkeren-zonder-kaartje"}
    item = next(i for i in body["items"] if i["slug"] == "slimme-bruggen")
    assert set(item) == PILOT_KEYS
    assert item["title"] == "Slimme bruggen" and item["status"] == "lopend"
    assert item["themes"] == ["data", "openbare-ruimte"]
    assert item["owner"] == {"code": "GM0599", "name": "Rotterdam"}
    assert item["url"] == "http://localhost/pilots/slimme-bruggen"
    assert item["created_at"].endswith("Z")
    datetime.fromisoformat(item["created_at"].removesuffix("Z"))


@pytest.mark.parametrize(
    "query,expected",
    [
        ("theme=data", {"slimme-bruggen"}),
        ("theme=jeugd", {"jeugdhulp-dichtbij"}),
        ("status=afgerond", {"parkeren-zonder-kaartje"}),
        ("province=Utrecht", {"jeugdhulp-dichtbij"}),
        ("province=Zuid-Holland", {"slimme-bruggen"}),
        ("province=Nergenshuizen", set()),
        ("organisation=GM0344", {"slimme-bruggen", "jeugdhulp-dichtbij"}),  # partner in one, owner of the other
        ("organisation=GM0344&theme=jeugd", {"jeugdhulp-dichtbij"}),
        ("organisation=GM0014", set()),
    ],
)
def test_pilot_list_filters(client, world, query, expected):
    body = get_json(client, f"/api/v1/pilots?{query}")
    assert slugs(body) == expected and body["total"] == len(expected)


def test_pilot_list_pages(client, world):
    first = get_json(client, "/api/v1/pilots?per_page=2")
    second = get_json(client, "/api/v1/pilots?per_page=2&page=2")
    assert (first["total"], len(first["items"]), second["total"], len(second["items"])) == (3, 2, 3, 1)
    assert slugs(first) | slugs(second) == {"slimme-bruggen", "jeugdhulp-dichtbij", "parkeren-zonder-kaartje"}
    beyond = get_json(client, "/api/v1/pilots?per_page=2&page=3")
    assert beyond["items"] == [] and beyond["total"] == 3
    assert get_json(client, "/api/v1/pilots?per_page=100")["per_page"] == 100


@pytest.mark.parametrize(
    "query,detail",
    [
        ("per_page=101", "'per_page' moet tussen 1 en 100 liggen."),
        ("per_page=0", "'per_page' moet tussen 1 en 100 liggen."),
        ("per_page=-5", "'per_page' moet tussen 1 en 100 liggen."),
        ("per_page=veel", "'per_page' moet een geheel getal zijn."),
        ("page=0", "'page' moet tussen 1 en"),
        ("page=1.5", "'page' moet een geheel getal zijn."),
        ("page=99999999999999999999", "'page' moet tussen 1 en"),
        ("theme=ruimtevaart", "Onbekende waarde voor 'theme': ruimtevaart"),
        ("status=klaar", "Onbekende waarde voor 'status': klaar"),
        ("sort=random", "Onbekende waarde voor 'sort': random"),
    ],
)
def test_bad_list_parameters_are_a_400_problem(client, query, detail):
    problem = get_json(client, f"/api/v1/pilots?{query}", status=400)
    assert problem["status"] == 400 and problem["title"] == "Ongeldig verzoek"
    assert detail in problem["detail"]


def test_unknown_pilot_organisation_or_route_is_a_404_problem(client):
    assert get_json(client, "/api/v1/pilots/bestaat-niet", 404)["detail"] == "Deze pilot bestaat niet (meer)."
    assert get_json(client, "/api/v1/organisations/GM9999", 404)["detail"] == "Organisatie niet gevonden."
    problem = get_json(client, "/api/v1/bestaat-niet", 404)
    assert problem["status"] == 404 and problem["title"] == "Pagina niet gevonden"
    not_allowed = client.delete("/api/v1/pilots")
    assert not_allowed.status_code == 405 and not_allowed.mimetype == "application/problem+json"


def test_pilot_detail_has_text_participants_and_revision(client):
    body = "## Doel\n\nMinder **storingen**.\n"
    pilot = make_pilot(make_user("GM0599"), title="Slimme bruggen", body=body, partners=["GM0344"])
    edited = PilotText("Slimme bruggen", "Sensoren.", body + "\nZie [[Bestaat niet]].\n", ["data"])
    edit_pilot(make_user("GM0363", name="Bram Editor"), pilot, edited, 1)
    db.session.commit()

    body = get_json(client, "/api/v1/pilots/slimme-bruggen")
    assert set(body) == DETAIL_KEYS
    assert body["revision"] == 2 and body["last_editor"] == "Bram Editor" and body["summary"] == "Sensoren."
    assert body["body_markdown"].startswith("## Doel\n\nMinder **storingen**.")
    assert "<strong>storingen</strong>" in body["body_html"]
    assert "wikilink--missing" in body["body_html"]
    assert sorted((p["code"], p["role"]) for p in body["participants"]) == [
        ("GM0344", "partner"),
        ("GM0599", "initiator"),
    ]
    assert {"code": "GM0344", "name": "Utrecht", "role": "partner"} in body["participants"]


def test_pilot_html_in_the_api_is_sanitized(client):
    body = (
        "## Aanpak\n\nGewone tekst.\n\n<script>alert('xss')</script>\n\n"
        "[klik hier](javascript:alert(1)) en [ook hier](JaVaScRiPt:alert(2))\n\n"
        '<a href="javascript:alert(3)">html-link</a> <img src="x.png" onerror="alert(4)">\n'
    )
    make_pilot(title="Onveilige tekst", body=body)
    detail = get_json(client, "/api/v1/pilots/onveilige-tekst")
    assert detail["body_markdown"] == body  # stored as written ...
    html = detail["body_html"]  # ... but served safe
    assert "Gewone tekst." in html and "klik hier" in html and "html-link" in html
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()
    assert "onerror" not in html.lower()


def test_deleted_pilots_are_not_in_the_api(client, auth, world):
    delete_pilot(world["rotterdam"], world["bridges"], "dubbel")
    db.session.commit()
    assert slugs(get_json(client, "/api/v1/pilots")) == {"jeugdhulp-dichtbij", "parkeren-zonder-kaartje"}
    assert get_json(client, "/api/v1/pilots?theme=data")["total"] == 0
    assert get_json(client, "/api/v1/pilots?organisation=GM0599")["total"] == 0
    assert get_json(client, "/api/v1/organisations/GM0599")["pilots"] == []
    assert get_json(client, "/api/v1/organisations/GM0344")["participates_in"] == []
    rotterdam_row = get_json(client, "/api/v1/organisations?q=Rotterdam")["items"][0]
    assert rotterdam_row["code"] == "GM0599" and rotterdam_row["pilot_count"] == 0
    get_json(client, "/api/v1/pilots/slimme-bruggen", 404)
    auth.login(world["rotterdam"])  # even the owner, who may still open the page to restore it
    assert client.get("/pilots/slimme-bruggen").status_code == 200
    get_json(client, "/api/v1/pilots/slimme-bruggen", 404)


def test_organisation_list_shape_filters_and_limits(client, world):
    body = get_json(client, "/api/v1/organisations")
    assert set(body) == {"total", "items", "page", "per_page"}
    assert body["total"] > 700 and body["per_page"] == 50 and len(body["items"]) == 50
    first = body["items"][0]
    assert set(first) == ORGANISATION_KEYS | {"pilot_count"}
    assert (first["code"], first["pilot_count"]) in {("GM0344", 2)}  # owner of one, partner in another
    assert first["url"] == "http://localhost/organisations/GM0344"

    associations = get_json(client, "/api/v1/organisations?kind=association")
    assert [o["code"] for o in associations["items"]] == ["vng"]
    utrecht = get_json(client, "/api/v1/organisations?province=Utrecht&per_page=500")
    assert utrecht["total"] == len(utrecht["items"]) > 10
    assert {o["province"] for o in utrecht["items"]} == {"Utrecht"}
    assert get_json(client, "/api/v1/organisations?q=den%20haag")["items"][0]["code"] == "GM0518"
    assert "kind" in get_json(client, "/api/v1/organisations?kind=bedrijf", 400)["detail"]
    assert "per_page" in get_json(client, "/api/v1/organisations?per_page=501", 400)["detail"]
    assert "page" in get_json(client, "/api/v1/organisations?page=99999999999999999999", 400)["detail"]


def test_organisation_detail_lists_own_and_joined_pilots(client, world):
    body = get_json(client, "/api/v1/organisations/GM0344")
    assert set(body) == ORGANISATION_KEYS | {"pilots", "participates_in"}
    assert (body["name"], body["kind"], body["province"], body["country"]) == (
        "Utrecht",
        "municipality",
        "Utrecht",
        "NL",
    )
    assert body["pilots"] == ["jeugdhulp-dichtbij"]
    assert body["participates_in"] == [{"slug": "slimme-bruggen", "role": "partner"}]
    den_haag = get_json(client, "/api/v1/organisations/GM0518")
    assert den_haag["display_name"] == "'s-Gravenhage (Den Haag)"


def decided_meeting(pilot) -> int:
    """A portfolio meeting that decided on ``pilot`` (its decisions are public)."""
    from pilotstarter_web.services import portfolio, scaleup

    staff = make_user("vng", role="vng_staff")
    meeting = portfolio.create_meeting(staff, "2026-10-01", "Portfolio-overleg oktober")
    scaleup.flag(staff, pilot, "Opschaalbaar")
    scaleup.schedule(staff, pilot, meeting.id)
    scaleup.decide(staff, pilot, "opschalen", "Breed bruikbaar")
    db.session.commit()
    return meeting.id


def test_openapi_document_names_the_paths_and_they_answer(client, auth, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = json.loads(response.get_data(as_text=True))
    assert spec["openapi"].startswith("3.") and spec["servers"] == [{"url": "/api/v1"}]
    assert set(spec["paths"]) == {
        "/pilots", "/pilots/{slug}", "/organisations", "/organisations/{code}", "/search",
        "/pilots/{slug}/similar", "/pilots/{slug}/partners", "/similar",
        "/portfolio/meetings", "/portfolio/meetings/{meeting_id}", "/notifications", "/notifications/read",
        "/pilots/{slug}/comments", "/map", "/statistics", "/calls", "/calls/{key}", "/me", "/pilots/{slug}/participation", "/pilots/{slug}/follow",
        "/themes/{key}/follow", "/organisations/{code}/follow", "/pilots/{slug}/not-duplicate", "/pilots/{slug}/documents",
    }  # fmt: skip
    assert auth.login(world["rotterdam"]).status_code == 302  # /notifications is the user's own
    call = make_call_world().call  # an open call: /calls/{key} answers
    examples = {
        "slug": "slimme-bruggen", "code": "GM0599", "meeting_id": str(decided_meeting(world["bridges"])),
        "key": call.slug,
    }  # fmt: skip
    for path, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        url = "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: examples[m.group(1)], path)
        assert client.get(url).status_code == 200, url
        for parameter in operations["get"].get("parameters", []):
            schema = parameter["schema"]
            for value in schema.get("enum", []):  # every documented value is accepted
                assert client.get(url, query_string={parameter["name"]: value}).status_code == 200, (url, value)
            if "maximum" in schema:  # and the documented limits are the real ones
                assert client.get(url, query_string={parameter["name"]: schema["maximum"]}).status_code == 200
                assert client.get(url, query_string={parameter["name"]: schema["maximum"] + 1}).status_code == 400
