"""Entry types through the site: the new-entry form, the page's badge, title and panels, lists, search facet,
API filters and OpenAPI, activity and feeds."""

from __future__ import annotations

import feedparser

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot
from tests.factories import make_pilot, make_user

FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."
SUMMARY = "Aangifte van overlijden online."


def _three():
    """A pilot, a best practice and a challenge about the same thing, by three municipalities."""
    pilot = make_pilot(make_user("GM0200"), title="Digitale overlijdensaangifte door uitvaartondernemers",
                       body=FUNERAL, summary=SUMMARY)  # fmt: skip
    practice = make_pilot(make_user("GM0363"), title="Overlijdensaangifte digitaal via uitvaartondernemers",
                          body=FUNERAL, summary=SUMMARY, entry_type="best_practice")  # fmt: skip
    challenge = make_pilot(make_user("GM0687"), title="Overlijdensaangifte digitaal door uitvaartondernemers",
                           body=FUNERAL, summary=SUMMARY, entry_type="challenge")  # fmt: skip
    return pilot, practice, challenge


def test_the_new_form_asks_for_the_type_and_preselects_it(client, auth):
    auth.login(make_user("GM0344"))
    html = client.get("/pilots/nieuw?type=best_practice").get_data(as_text=True)
    assert "<legend" in html and "Wat beschrijft u?" in html
    assert (
        '<input checked class="utrecht-radio-button" id="entry_type-1" name="entry_type" type="radio" value="best_practice">'
        in html
    )
    editor = html.split('id="body"')[1].split("</textarea>")[0]
    assert "## Wat het oplost" in editor and "## Aanleiding" not in editor
    status = html.split('id="status"')[1].split("</select>")[0]
    assert '<option selected value="in_gebruik">' in status and 'value="lopend"' not in status
    assert "Best practice publiceren" in html and "<title>Nieuwe best practice" in html
    assert "Pilot publiceren" in client.get("/pilots/new").get_data(as_text=True)


def test_publishing_a_challenge_and_a_status_of_another_type_comes_back_in_dutch(client, auth):
    auth.login(make_user("GM0344"))
    data = {"title": "Minder papier bij parkeren", "summary": "Hoe?", "body": "## Het vraagstuk\n\nPapier.\n",
            "themes": ["mobiliteit"], "entry_type": "challenge", "token": "c1"}  # fmt: skip
    refused = client.post("/pilots/nieuw", data={**data, "status": "lopend"})
    assert refused.status_code == 200
    assert "Kies een status die bij een challenge past." in refused.get_data(as_text=True)
    untouched = client.post("/pilots/nieuw", data={**data, "status": "idee", "body": "## Aanleiding\n\n"})
    editor = untouched.get_data(as_text=True).split('id="body"')[1].split("</textarea>")[0]
    assert "## Het vraagstuk" in editor and "Aanleiding" not in editor  # an untouched outline follows the type
    assert db.session.query(Pilot).count() == 0
    saved = client.post("/pilots/nieuw", data={**data, "status": "oplossing_gezocht"})
    assert saved.status_code == 302
    entry = db.session.query(Pilot).one()
    assert (entry.entry_type, entry.status) == ("challenge", "oplossing_gezocht")
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "<title>Challenge: Minder papier bij parkeren" in page
    assert 'entry-type-badge--challenge">Challenge</span>' in page
    assert "Uw challenge is gepubliceerd." in page


def test_a_challenge_page_shows_the_answers_and_a_pilot_page_the_challenges_with_reasons(client):
    pilot, practice, challenge = _three()
    page = client.get(f"/pilots/{challenge.slug}").get_data(as_text=True)
    cross = page.split('id="andere-soort-kop"')[1].split("</section>")[0]
    assert "Pilots en best practices die hier al antwoord op geven" in cross
    assert pilot.title in cross and practice.title in cross and "Overeenkomst:" in cross
    assert 'entry-type-badge--best_practice">Best practice</span>' in cross
    assert "Vergelijkbare challenges" in page and 'id="opschaling"' not in page  # no scale-up route
    pilot_page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    cross = pilot_page.split('id="andere-soort-kop"')[1].split("</section>")[0]
    assert "Challenges waar dit een antwoord op kan zijn" in cross and challenge.title in cross
    own = pilot_page.split('id="vergelijkbaar-kop"')[1].split("</section>")[0]
    assert practice.title in own and challenge.title not in own


def test_the_list_filters_by_type_and_the_short_addresses_lead_there(client):
    _three()
    html = client.get("/pilots?type=best_practice").get_data(as_text=True)
    assert "1 best practice gevonden" in html and '<h1 class="utrecht-heading-1">Best practices' in html
    assert '<option value="best_practice" selected>' in html
    assert "3 pilots gevonden" in client.get("/pilots").get_data(as_text=True)  # all types without a filter
    assert "1 pilot gevonden" in client.get("/pilots?type=pilot").get_data(as_text=True)
    assert client.get("/challenges?theme=data").headers["Location"] == "/pilots?theme=data&type=challenge"
    assert client.get("/best-practices").headers["Location"] == "/pilots?type=best_practice"


def test_search_has_a_type_facet_with_counts_and_the_api_filters(client):
    _three()
    html = client.get("/search?q=overlijden").get_data(as_text=True)
    facet = html.split('id="facet-type"')[1].split("</section>")[0]
    assert "Soort" in facet and "Challenges" in facet and "(1)" in facet
    assert "1 pilot gevonden" in client.get("/search?q=overlijden&type=challenge").get_data(as_text=True)
    found = client.get("/api/v1/search?q=overlijden&type=best_practice").get_json()
    assert found["total"] == 1 and found["items"][0]["type"] == "best_practice"
    every = client.get("/api/v1/search?q=overlijden").get_json()
    assert every["facets"]["type"] == {"best_practice": 1, "challenge": 1, "pilot": 1}


def test_the_api_names_and_filters_the_type(client):
    pilot, practice, challenge = _three()
    everything = client.get("/api/v1/pilots").get_json()
    assert {i["slug"]: i["type"] for i in everything["items"]} == {
        pilot.slug: "pilot", practice.slug: "best_practice", challenge.slug: "challenge",
    }  # fmt: skip
    only = client.get("/api/v1/pilots?type=challenge").get_json()
    assert only["total"] == 1 and only["items"][0]["slug"] == challenge.slug
    bad = client.get("/api/v1/pilots?type=experiment")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    similar = client.get(f"/api/v1/pilots/{pilot.slug}/similar?type=challenge").get_json()["items"]
    assert [(i["slug"], i["type"], i["duplicate"]) for i in similar] == [(challenge.slug, "challenge", False)]
    assert client.get(f"/api/v1/pilots/{pilot.slug}/similar?type=x").status_code == 400


def test_the_openapi_document_has_the_type_enum(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["components"]["schemas"]["EntryType"]["enum"] == ["pilot", "best_practice", "challenge"]
    summary = doc["components"]["schemas"]["PilotSummary"]["properties"]
    assert summary["type"] == {"$ref": "#/components/schemas/EntryType"}
    params = {p["name"]: p for p in doc["paths"]["/pilots"]["get"]["parameters"]}
    assert params["type"]["schema"]["enum"] == ["pilot", "best_practice", "challenge"]
    assert "in_gebruik" in params["status"]["schema"]["enum"]
    assert "type" in {p["name"] for p in doc["paths"]["/pilots/{slug}/similar"]["get"]["parameters"]}


def test_activity_and_feeds_name_the_type(client):
    make_pilot(make_user("GM0599", name="Bram Jansen"), title="Slimme afvalbakken", entry_type="best_practice")
    html = client.get("/activiteit").get_data(as_text=True)
    assert "Nieuwe best practice van Rotterdam, geplaatst door Bram Jansen" in html
    titles = [e.title for e in feedparser.parse(client.get("/activiteit/feed.atom").data).entries]
    assert "Best practice: Slimme afvalbakken: Nieuwe best practice van Rotterdam, geplaatst door Bram Jansen" in titles


def test_english_pages_show_the_type_labels(client):
    _three()
    client.get("/taal/en")
    html = client.get("/pilots?type=challenge").get_data(as_text=True)
    assert '<html lang="en"' in html and "Challenges" in html
    assert "Best practice" in client.get("/pilots").get_data(as_text=True)


def test_the_similarity_api_for_unsaved_text_applies_the_type_rule(client):
    pilot, _practice, _challenge = _three()
    draft = {"title": "Uitvaartondernemers doen digitaal aangifte van overlijden", "summary": SUMMARY, "body": FUNERAL}
    as_pilot = client.post("/api/v1/similar", json=draft).get_json()["items"]
    assert [i["duplicate"] for i in as_pilot if i["slug"] == pilot.slug] == [True]
    as_challenge = client.post("/api/v1/similar", json={**draft, "type": "challenge"}).get_json()["items"]
    assert {i["slug"]: i["duplicate"] for i in as_challenge}[pilot.slug] is False
    bad = client.post("/api/v1/similar", json={**draft, "type": "experiment"})
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
