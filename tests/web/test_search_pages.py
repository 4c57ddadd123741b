"""Search through the site: in step with every write, facets, paging, suggestions, API, broken index."""

from __future__ import annotations

import shutil

from pilotstarter_web.services.fulltext_search import search_service
from tests.factories import make_pilot, make_user

PARKING = "## Aanleiding\n\nBewoners vragen hun parkeervergunning nu op papier aan.\n"


def test_a_saved_pilot_is_found_at_once_and_a_deleted_one_is_gone(client, auth):
    owner = make_user("GM0599")
    auth.login(owner)
    client.post(
        "/pilots/new",
        data={
            "title": "Slimme lantaarnpalen",
            "summary": "Sensoren in lantaarnpalen.",
            "body": PARKING,
            "themes": ["data"],
            "status": "idee",
            "token": "s1",
        },
    )
    assert "Slimme lantaarnpalen" in client.get("/search?q=lantaarnpaal").get_data(as_text=True)
    assert "Slimme lantaarnpalen" in client.get("/search?q=vergunning").get_data(as_text=True)  # compound part
    client.post("/pilots/slimme-lantaarnpalen/delete", data={"reason": "test"})
    assert "Slimme lantaarnpalen" not in client.get("/search?q=lantaarnpaal").get_data(as_text=True)


def test_results_page_has_snippets_facets_filters_and_paging(client):
    user = make_user("GM0344")
    for i in range(23):
        theme = "zorg" if i % 2 else "data"
        make_pilot(user, title=f"Chatbot voor de Wmo {i}", body="De chatbot beantwoordt vragen.", themes=[theme])
    html = client.get("/search?q=chatbot").get_data(as_text=True)
    assert "23 pilots gevonden" in html
    assert "<mark>Chatbot</mark>" in html or "<mark>chatbot</mark>" in html
    assert "/search?q=chatbot&amp;theme=zorg" in html and "(11)" in html
    filtered = client.get("/search?q=chatbot&theme=zorg").get_data(as_text=True)
    assert "11 pilots gevonden" in filtered and 'aria-current="true"' in filtered
    assert 'rel="next"' in html
    page2 = client.get("/search?q=chatbot&page=2").get_data(as_text=True)
    assert 'rel="prev"' in page2 and 'start="21"' in page2


def test_suggestion_broadening_and_empty_state(client):
    make_pilot(title="Parkeervergunning online aanvragen", body=PARKING)
    misspelt = client.get("/search?q=parkeervergunnig").get_data(as_text=True)
    assert "Bedoelde u" in misspelt and "parkeervergunning</a>" in misspelt
    broad = client.get("/search?q=parkeervergunning+zwembad").get_data(as_text=True)
    assert "Geen pilot bevat al uw zoekwoorden" in broad and "Parkeervergunning online aanvragen" in broad
    empty = client.get("/search?q=xylofoonorkest").get_data(as_text=True)
    assert "Niets gevonden" in empty


def test_bad_search_input_never_errors(client):
    make_pilot(title="Pilot", body=PARKING)
    for url in [
        "/search?q=title:(",
        "/search?q=(((",
        "/search?q=*",
        "/search?page=abc",
        "/search?page=-1",
        "/search?sort=evil",
        "/search?q=" + "x" * 5000,
        "/search?theme=nope",
        "/search?q=%00%01",
    ]:
        assert client.get(url).status_code == 200, url


def test_search_api_shape_and_problems(client):
    make_pilot(title="Parkeervergunning online aanvragen", body=PARKING, themes=["mobiliteit"])
    data = client.get("/api/v1/search?q=parkeren").get_json()
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 20
    item = data["items"][0]
    assert item["slug"] == "parkeervergunning-online-aanvragen" and "<mark>" in item["snippet"] and item["score"] > 0
    assert data["facets"]["theme"] == {"mobiliteit": 1} and data["suggestion"] is None and data["degraded"] is False
    for url in ["/api/v1/search?page=0", "/api/v1/search?per_page=1000", "/api/v1/search?sort=evil"]:
        response = client.get(url)
        assert response.status_code == 400 and response.content_type == "application/problem+json", url


def test_autocomplete_by_title_words(client):
    make_pilot(title="Digitaal parkeerloket voor bewoners", body=PARKING)
    make_pilot(title="Schuldhulp in de wijk", body=PARKING)
    titles = [item["title"] for item in client.get("/search/suggest?q=park").get_json()]
    assert titles == ["Digitaal parkeerloket voor bewoners"]
    assert client.get("/search/suggest?q=p").get_json() == []


def test_a_broken_index_is_rebuilt_and_the_site_keeps_answering(client, app):
    make_pilot(title="Parkeervergunning online aanvragen", body=PARKING)
    assert "Parkeervergunning online aanvragen" in client.get("/search?q=parkeren").get_data(as_text=True)
    service = search_service()
    shutil.rmtree(service.index.directory)  # a deleted or corrupted folder; CURRENT still points at it
    service.index.close()
    first = client.get("/search?q=parkeervergunning").get_data(as_text=True)
    assert "Parkeervergunning online aanvragen" in first
    again = client.get("/search?q=parkeren").get_data(as_text=True)
    assert "Parkeervergunning online aanvragen" in again and "wordt opnieuw opgebouwd" not in again
