"""Similar pilots and partner suggestions through the pages and the API."""

from __future__ import annotations

from tests.factories import make_pilot, make_user

FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."
FUNERAL_2 = "Uitvaartbedrijven melden een overlijden digitaal bij de gemeente; de aangifte gaat online."
PARKING = "Bewoners vragen hun parkeervergunning online aan en wijzigen hun kenteken zelf."


def three_pilots():
    a = make_pilot(make_user("GM0200"), title="Digitale overlijdensaangifte door uitvaartondernemers", body=FUNERAL)
    b = make_pilot(make_user("GM0687"), title="Uitvaartportaal voor gemeenten", body=FUNERAL_2, partners=["GM0654"])
    c = make_pilot(make_user("GM0518"), title="Parkeervergunning online", body=PARKING)
    return a, b, c


def test_pilot_page_shows_similar_pilots_with_reasons_never_itself(client):
    a, b, c = three_pilots()
    html = client.get(f"/pilots/{a.slug}").get_data(as_text=True)
    panel = html[html.index('id="vergelijkbaar"') :]
    panel = panel[: panel.index("</section>")]
    assert b.title in panel and "Overeenkomst:" in panel and "overlijden" in panel
    assert a.title not in panel
    if c.title in panel:  # an unrelated pilot may show as "verwant", but below the near-duplicate
        assert panel.index(b.title) < panel.index(c.title)


def test_api_similar_best_first_and_deleted_pilots_disappear(client, auth):
    a, b, _c = three_pilots()
    items = client.get(f"/api/v1/pilots/{a.slug}/similar?limit=5").get_json()["items"]
    assert items[0]["slug"] == b.slug
    assert a.slug not in [i["slug"] for i in items]
    assert {"slug", "title", "score", "duplicate", "likelihood", "tier", "reasons"} <= set(items[0])
    for item in items:
        assert item["tier"] in ("likely", "possible", "related") and 0 <= item["likelihood"] <= 1
        assert item["duplicate"] == (item["tier"] != "related") and item["reasons"]
    assert items == sorted(  # possible duplicates first, most likely first; then the related ones, closest first
        items, key=lambda i: (not i["duplicate"], -round(i["likelihood"], 2) if i["duplicate"] else 0, -i["score"])
    )
    high = client.get(f"/api/v1/pilots/{a.slug}/similar?min_score=0.99").get_json()["items"]
    assert all(i["score"] >= 0.99 for i in high)
    auth.login(b.current_revision.author)
    assert client.post(f"/pilots/{b.slug}/delete", data={"reason": "test"}).status_code == 302
    after = client.get(f"/api/v1/pilots/{a.slug}/similar").get_json()["items"]
    assert b.slug not in [i["slug"] for i in after]


def test_an_unrelated_pilot_shows_no_padding_and_says_so(client):
    _a, _b, c = three_pilots()
    make_pilot(make_user("GM0344"), title="Kunstgras op sportvelden", body="Rubberkorrels vervangen door kurk.")
    html = client.get(f"/pilots/{c.slug}").get_data(as_text=True)
    panel = html[html.index('id="vergelijkbaar"') :]
    panel = panel[: panel.index("</section>")]
    assert "Geen vergelijkbare pilots gevonden." in panel and "% gelijk" not in panel
    assert client.get(f"/api/v1/pilots/{c.slug}/similar?limit=20").get_json()["items"] == []


def test_a_new_pilot_is_matchable_at_once(client):
    a, _b, _c = three_pilots()
    client.get(f"/pilots/{a.slug}")  # the model exists and is loaded
    fresh = make_pilot(
        make_user("GM0344"), title="Overlijden digitaal aangeven door de uitvaartondernemer", body=FUNERAL
    )
    slugs = [i["slug"] for i in client.get(f"/api/v1/pilots/{a.slug}/similar").get_json()["items"]]
    assert fresh.slug in slugs[:2]


def test_draft_text_and_partners(client):
    a, b, _c = three_pilots()
    draft = client.post(
        "/api/v1/similar", json={"title": "Aangifte van overlijden door uitvaartondernemers", "body": FUNERAL}
    )
    assert draft.status_code == 200 and draft.get_json()["items"][0]["slug"] == a.slug
    partners = client.get(f"/api/v1/pilots/{a.slug}/partners").get_json()["items"]
    codes = [p["code"] for p in partners]
    assert "GM0687" in codes[:2] and "GM0654" in codes  # the other pilot's owner and partner
    assert "GM0200" not in codes  # never the pilot's own organisation
    top = partners[codes.index("GM0687")]
    assert top["pilots"] == [b.slug] and top["reasons"]


def test_bad_matchmaking_requests_are_problems(client):
    a, _b, _c = three_pilots()
    for response in (
        client.get(f"/api/v1/pilots/{a.slug}/similar?limit=0"),
        client.get(f"/api/v1/pilots/{a.slug}/similar?min_score=2"),
        client.get(f"/api/v1/pilots/{a.slug}/similar?min_score=abc"),
        client.post("/api/v1/similar", data="not json", content_type="application/json"),
        client.post("/api/v1/similar", json={"title": 5}),
    ):
        assert response.status_code == 400 and response.content_type == "application/problem+json"
    assert client.get("/api/v1/pilots/nope/similar").status_code == 404


def test_a_page_asks_the_change_log_once_for_similar_pilots_and_partners(client, monkeypatch):
    """Throughput: a pilot page reads the model twice (similar pilots, partners) but a GET cannot have changed
    anything in between, so the model catches up once; a pilot saved meanwhile shows on the next page."""
    from pilotstarter_web.services.matchmaking import similarity

    a, _b, _c = three_pilots()
    client.get(f"/pilots/{a.slug}")
    calls = []
    real = similarity.fetch_changes
    monkeypatch.setattr(similarity, "fetch_changes", lambda state: calls.append(state) or real(state))
    assert client.get(f"/pilots/{a.slug}").status_code == 200
    assert len(calls) == 1
    fresh = make_pilot(make_user("GM0344"), title="Overlijden digitaal aangeven bij de uitvaart", body=FUNERAL)
    html = client.get(f"/pilots/{a.slug}").get_data(as_text=True)
    panel = html[html.index('id="vergelijkbaar"') :]
    assert fresh.title in panel[: panel.index("</section>")]
