"""The Atom feeds: read back with feedparser (no bozo), valid by RFC 4287's rules, stable ids, filters,
404 problems, caching, and text XML cannot hold."""

from __future__ import annotations

import feedparser
import pytest

from pilotstarter_web.activity.feeds import xml_text
from pilotstarter_web.extensions import db
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.pilots import PilotText, delete_pilot, edit_pilot
from tests.factories import make_pilot, make_user
from tests.web.atom_checks import ATOM, check_atom

ATOM_TYPE = "application/atom+xml; charset=utf-8"


@pytest.fixture
def world():
    anna = make_user("GM0344", name="Anna de Vries")
    bram = make_user("GM0599", name="Bram Jansen")
    lamps = make_pilot(anna, title="Slimme lantaarnpalen", summary="Licht als het nodig is.", themes=["duurzaamheid"])
    bins = make_pilot(bram, title="Slimme afvalbakken", themes=["data"])
    rev = lamps.current_revision
    edit_pilot(
        anna, lamps, PilotText(rev.title, rev.summary, rev.body + "\n\nMeer.", ["duurzaamheid"], [], "idee", "meer"), 1
    )
    join_pilot(bram, lamps)
    db.session.commit()
    return {"anna": anna, "bram": bram, "lamps": lamps, "bins": bins}


def read_feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == ATOM_TYPE
    check_atom(response.data)
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return response, parsed


def test_activity_feed_has_the_page_items_with_stable_ids(client, world):
    lamps, bins = world["lamps"], world["bins"]
    part = lamps.participations[-1]
    response, feed = read_feed(client, "/activiteit/feed.atom")
    assert feed.feed.title == "Activiteit op Pilotstarter"
    assert feed.feed.language == "nl"
    assert feed.feed.link == "http://localhost/activiteit"
    assert [e.id for e in feed.entries] == [
        f"tag:localhost,2026:join/{part.id}",
        f"tag:localhost,2026:edit/{lamps.current_revision.id}",
        f"tag:localhost,2026:pilot/{bins.id}",
        f"tag:localhost,2026:pilot/{lamps.id}",
    ]
    join, edit = feed.entries[:2]
    assert join.title == "Slimme lantaarnpalen: Rotterdam doet mee als partner"
    assert join.author == "Bram Jansen"
    assert edit.link == f"http://localhost/pilots/{lamps.slug}/diff?from=1&to=2"
    assert edit.summary == "meer"
    assert edit.updated.endswith("Z")
    # The same request again: the same document, so a reader's cache (ETag) answers 304.
    again = client.get("/activiteit/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert "public" in response.headers["Cache-Control"] and response.headers["Last-Modified"]


def test_an_edit_run_is_one_entry_updated_in_place(client, world):
    lamps, anna = world["lamps"], world["anna"]
    first_edit_id = lamps.current_revision.id
    rev = lamps.current_revision
    edit_pilot(
        anna, lamps, PilotText(rev.title, rev.summary, rev.body + " Nog.", ["duurzaamheid"], [], "idee", "nog"), 2
    )
    db.session.commit()
    _, feed = read_feed(client, "/activiteit/feed.atom?kind=edit")
    assert [(e.id, e.title) for e in feed.entries] == [
        (f"tag:localhost,2026:edit/{first_edit_id}", "Slimme lantaarnpalen: 2 bewerkingen door Anna de Vries")
    ]
    assert feed.entries[0].link.endswith("/diff?from=1&to=3") and feed.entries[0].summary == "nog · meer"


def test_activity_feed_applies_the_page_filters(client, world):
    _, feed = read_feed(client, "/activiteit/feed.atom?theme=data")
    assert [e.title for e in feed.entries] == [
        "Slimme afvalbakken: Nieuwe pilot van Rotterdam, geplaatst door Bram Jansen"
    ]
    assert feed.feed.link == "http://localhost/activiteit?theme=data"
    _, feed = read_feed(client, "/activiteit/feed.atom?kind=join&organisation=GM0344")
    assert [e.id.split(":")[-1].split("/")[0] for e in feed.entries] == ["join"]
    response = client.get("/activiteit/feed.atom?pilot=bestaat-niet")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_pilot_feed_and_its_404s(client, world):
    lamps = world["lamps"]
    _, feed = read_feed(client, f"/pilots/{lamps.slug}/feed.atom")
    assert feed.feed.title == "Activiteit van Slimme lantaarnpalen"
    assert len(feed.entries) == 3 and all(e.title.startswith("Slimme lantaarnpalen") for e in feed.entries)
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {
        f"http://localhost/pilots/{lamps.slug}/feed.atom"
    }
    assert client.get("/pilots/bestaat-niet/feed.atom").status_code == 404
    delete_pilot(world["anna"], lamps)
    db.session.commit()
    response = client.get(f"/pilots/{lamps.slug}/feed.atom")
    assert response.status_code == 404 and response.json["detail"] == "Deze pilot bestaat niet (meer)."


def test_theme_feed_and_an_unknown_theme(client, world):
    _, feed = read_feed(client, "/themas/duurzaamheid/feed.atom")
    assert feed.feed.title == "Activiteit in het thema Duurzaamheid en energie"
    assert {e.title.split(":")[0] for e in feed.entries} == {"Slimme lantaarnpalen"}
    response = client.get("/themas/onzin/feed.atom")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json" and response.json["status"] == 404


def test_empty_feed_is_still_valid(client):
    _, feed = read_feed(client, "/themas/jeugd/feed.atom")
    assert feed.entries == [] and feed.feed.updated == "2026-01-01T00:00:00Z"


def test_search_feed_lists_matching_pilots(client, world):
    _, feed = read_feed(client, "/search/feed.atom?q=lantaarnpalen")
    assert [e.title for e in feed.entries] == ["Slimme lantaarnpalen"]
    entry = feed.entries[0]
    assert entry.id == f"tag:localhost,2026:pilot-page/{world['lamps'].id}"
    assert entry.link == f"http://localhost/pilots/{world['lamps'].slug}"
    assert entry.summary == "Licht als het nodig is." and entry.author == "Utrecht"
    assert feed.feed.title == "Pilots over “lantaarnpalen”"
    _, everything = read_feed(client, "/search/feed.atom")
    assert len(everything.entries) == 2
    # Bounded like the search page: an overlong query is cut, never an error.
    read_feed(client, "/search/feed.atom?q=" + "lamp " * 2000)


def test_pages_announce_their_feeds(client, world):
    head = client.get("/search?q=lantaarnpalen").get_data(as_text=True).split("</head>")[0]
    assert 'type="application/atom+xml"' in head and 'href="/search/feed.atom?q=lantaarnpalen"' in head
    head = client.get("/search?q=slimme&theme=data&theme=duurzaamheid").get_data(as_text=True).split("</head>")[0]
    assert 'href="/search/feed.atom?q=slimme&amp;theme=data&amp;theme=duurzaamheid"' in head
    _, feed = read_feed(client, "/search/feed.atom?q=slimme&theme=data&theme=duurzaamheid")
    assert len(feed.entries) == 2
    assert feed.feed.links[0].href == "http://localhost/search/feed.atom?q=slimme&theme=data&theme=duurzaamheid"


def test_text_xml_cannot_hold_is_dropped_and_markup_is_escaped(client, world):
    assert xml_text("a\x00b\x07c\x1fd\ue000") == "abcd\ue000"
    lamps = world["lamps"]
    rev = lamps.current_revision
    edit_pilot(
        world["anna"], lamps,
        PilotText(rev.title, rev.summary, rev.body + "\n\nNog meer.", ["duurzaamheid"], [], "idee", "<b>vet</b> & \x0b"),
        rev.number,
    )  # fmt: skip
    db.session.commit()
    response, _parsed = read_feed(client, f"/pilots/{lamps.slug}/feed.atom")
    root = check_atom(response.data)
    summaries = [s.text for s in root.iter(ATOM + "summary")]
    assert any(s and s.startswith("<b>vet</b> &") for s in summaries)


def test_theme_page_announces_its_feed(client, world):
    html = client.get("/themas/duurzaamheid").get_data(as_text=True)
    assert 'href="/themas/duurzaamheid/feed.atom"' in html.split("</head>")[0]
    assert 'href="/activiteit?theme=duurzaamheid"' in html
