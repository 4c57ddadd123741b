"""/kaart: the participation map as inline SVG with its legend and table, both levels, both languages, the API."""

from __future__ import annotations

import gc
import re
import time

from tests.factories import make_pilot, make_user

LINK = re.compile(
    r'<a class="map-link" href="([^"]+)" aria-label="([^"]+)"><title>([^<]+)</title><path class="(map-bin-\d)"'
)
ROW = re.compile(r'scope="row"><a class="utrecht-link" href="([^"]+)">([^<]+)</a></th>\s*<td[^>]*>(\d+)</td>')


def pilots() -> None:
    """Utrecht takes part in three pilots (two with Amsterdam), Antwerpen in one."""
    utrecht = make_user("GM0344")
    make_pilot(utrecht, partners=["GM0363"])
    make_pilot(utrecht, partners=["GM0363"])
    make_pilot(utrecht)
    make_pilot(make_user("BE11002"))


def test_one_link_per_participating_municipality_with_its_number(client):
    pilots()
    html = client.get("/kaart").get_data(as_text=True)
    assert sorted(LINK.findall(html)) == [
        (
            "/organisations/BE11002",
            "Gemeente Antwerpen / Anvers: 1 pilot",
            "Gemeente Antwerpen / Anvers: 1 pilot",
            "map-bin-1",
        ),
        ("/organisations/GM0344", "Gemeente Utrecht: 3 pilots", "Gemeente Utrecht: 3 pilots", "map-bin-2"),
        ("/organisations/GM0363", "Gemeente Amsterdam: 2 pilots", "Gemeente Amsterdam: 2 pilots", "map-bin-2"),
    ]
    # Every other municipality is drawn, hidden from assistive technology and out of the tab order.
    hidden = html.split('<g class="map-areas" aria-hidden="true">')[1].split("</g>")[0]
    assert hidden.count('<path class="map-bin-0"') == 342 + 285 - 3 and "<a " not in hidden
    assert hidden.count('<path class="map-border"') == 12 + 5  # province lines for orientation
    assert '<a class="utrecht-link" href="#kaart-tabel">' in html and 'id="kaart-tabel"' in html
    for label in ("geen pilots", "1 pilot", "2–3 pilots", "4–6 pilots", "7 of meer pilots"):
        assert f"</span>{label}</li>" in html
    assert ROW.findall(html) == [
        ("/organisations/GM0363", "Amsterdam", "2"),
        ("/organisations/GM0344", "Utrecht", "3"),
        ("/organisations/BE11002", "Antwerpen / Anvers", "1"),
    ]
    assert "3 gemeenten doen mee" in html
    assert '<caption class="utrecht-table__caption">Noord-Holland</caption>' in html


def test_provinces(client):
    pilots()
    html = client.get("/kaart?niveau=provincie").get_data(as_text=True)
    assert sorted((href, label) for href, label, *_ in LINK.findall(html)) == [
        ("/organisations?province=Antwerpen+(BE)", "Provincie Antwerpen (BE): 1 pilot"),
        ("/organisations?province=Noord-Holland", "Provincie Noord-Holland: 2 pilots"),
        ("/organisations?province=Utrecht", "Provincie Utrecht: 3 pilots"),
    ]
    hidden = html.split('aria-hidden="true">')[1].split("</g>")[0]
    assert hidden.count('<path class="map-bin-0"') == 12 + 5 - 3 and "map-border" not in hidden
    assert 'aria-current="page">Provincies</a>' in html


def test_nothing_yet_and_nonsense_levels(client):
    html = client.get("/kaart?niveau=%3Cscript%3E").get_data(as_text=True)
    assert "Nog geen enkele gemeente doet mee aan een pilot." in html
    assert 'aria-current="page">Gemeenten</a>' in html and not LINK.findall(html)


def test_english(client):
    pilots()
    response = client.get("/kaart", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="en"' in html
    assert len(LINK.findall(html)) == 3


def test_api(client):
    pilots()
    body = client.get("/api/v1/map").get_json()
    assert body == {
        "niveau": "gemeente",
        "total": 3,
        "items": [
            {"code": "GM0363", "name": "Amsterdam", "province": "Noord-Holland", "pilots": 2},
            {"code": "GM0344", "name": "Utrecht", "province": "Utrecht", "pilots": 3},
            {"code": "BE11002", "name": "Antwerpen / Anvers", "province": "Antwerpen (BE)", "pilots": 1},
        ],
    }
    provinces = client.get("/api/v1/map?niveau=provincie").get_json()
    assert [(i["code"], i["pilots"]) for i in provinces["items"]] == [("PV27", 2), ("PV26", 3), ("BE10000", 1)]
    bad = client.get("/api/v1/map?niveau=wijk")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert "/map" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_the_map_renders_about_as_fast_as_a_simple_page(client):
    """The outlines are parsed once per process; a page of 627 areas costs a few simple pages at most."""
    pilots()
    client.get("/kaart")  # warm: outlines and templates loaded

    def cost(path: str, runs: int = 5) -> float:
        """The cheapest of a few requests, with the garbage collector held off: a full collection of the whole
        test session's objects can land in any one request and says nothing about the page."""
        spent = []
        gc.collect()
        gc.disable()
        try:
            for _ in range(runs):
                started = time.process_time()
                assert client.get(path).status_code == 200
                spent.append(time.process_time() - started)
        finally:
            gc.enable()
        return min(spent)

    assert cost("/kaart") < 6 * cost("/themas")


def test_the_map_of_one_entry_shows_who_adopts_it(client):
    from pilotstarter_web.extensions import db
    from pilotstarter_web.services.adoptions import AdoptionInput, declare

    owner = make_user("GM0344")
    practice = make_pilot(owner, title="Slim afvalinzamelen")
    practice.entry_type = "best_practice"  # adoptable as it is
    db.session.commit()
    for code, stage in (("GM0599", "in_gebruik"), ("GM0363", "gepland")):
        declare(make_user(code), practice, AdoptionInput(stage=stage, contact_name="Contact", contact_phone="010 123"))
    db.session.commit()
    entry_page = client.get(f"/pilots/{practice.slug}").get_data(as_text=True)
    assert f'href="/kaart?hergebruik={practice.slug}"' in entry_page

    html = client.get(f"/kaart?hergebruik={practice.slug}&niveau=provincie").get_data(as_text=True)
    assert sorted((href, label) for href, label, _title, _bin in LINK.findall(html)) == [
        ("/organisations/GM0363", "Gemeente Amsterdam neemt dit over"),
        ("/organisations/GM0599", "Gemeente Rotterdam neemt dit over"),
    ]  # municipalities only, whatever the level asked for; Utrecht's own participation is not adoption
    assert "2 gemeenten nemen dit over" in html and "Niveau van de kaart" not in html
    assert client.get("/kaart?hergebruik=bestaat-niet").status_code == 404
