"""The API answers as the pages do, because it calls the same services: a pilot's partners on the API are
its page's "Mogelijke partners", and a "geen dubbel" mark demotes a pair on POST /api/v1/similar as on the
pilot's own similar list."""

from __future__ import annotations

import re

from pilotstarter_web.extensions import db
from pilotstarter_web.services.matchmaking import duplicates
from tests.factories import make_pilot, make_user
from tests.services.matchmaking.test_duplicates import FUNERAL, SUMMARY, main_pilot, twin
from tests.web.matchmaking.test_matchmaking_pages import three_pilots


def test_the_api_partners_are_the_page_partners(client):
    a, _b, _c = three_pilots()
    html = client.get(f"/pilots/{a.slug}").get_data(as_text=True)
    section = html[html.index('id="partners"') :]
    section = section[: section.index("</section>")]
    on_page = re.findall(r'href="/organisations/([^"]+)"', section)
    api = [p["code"] for p in client.get(f"/api/v1/pilots/{a.slug}/partners").get_json()["items"]]
    assert api and api == on_page


def test_geen_dubbel_holds_for_an_edit_sent_to_the_api(client):
    main, other = main_pilot(), twin()
    text = {"title": main.title, "summary": SUMMARY, "body": FUNERAL}

    def api_flags(**extra) -> dict[str, bool]:
        items = client.post("/api/v1/similar", json={**text, **extra}).get_json()["items"]
        return {i["slug"]: i["duplicate"] for i in items}

    def page_flags() -> dict[str, bool]:
        items = client.get(f"/api/v1/pilots/{main.slug}/similar").get_json()["items"]
        return {i["slug"]: i["duplicate"] for i in items}

    assert api_flags(pilot=main.slug)[other.slug] is page_flags()[other.slug] is True
    assert main.slug not in api_flags(pilot=main.slug)  # an edit never lists itself
    duplicates.dismiss_duplicate(make_user("GM0344"), main, other)
    db.session.commit()
    assert api_flags(pilot=main.slug)[other.slug] is page_flags()[other.slug] is False
    assert api_flags()[other.slug] is True  # a new text has no pair to mark: still a possible duplicate


def test_a_few_words_still_get_matches_from_the_api():
    """Only the writing panel waits for MIN_WORDS; the API answered short texts before and still does."""
    make_pilot(make_user("GM0200"), title="Overlijdensaangifte", body=FUNERAL)
    assert duplicates.similar_to_text("overlijden", "", "") != []
