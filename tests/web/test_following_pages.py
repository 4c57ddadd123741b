"""Theme pages, the follow buttons, "Volg deze zoekopdracht" and "Wat ik volg" through the pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Notification, OrganisationFollow, SavedSearch, ThemeFollow
from pilotstarter_web.services import follows, saved_search_matching, saved_searches
from tests.factories import make_pilot, make_user, org

YOUTH = "## Aanleiding\n\nJongeren vinden de weg naar de jeugdzorg niet. Een wijkcoach helpt.\n"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# -- theme pages -----------------------------------------------------------------------------------------
def test_theme_index_lists_every_theme_with_its_pilot_count(client):
    make_pilot(title="Eerste", themes=["jeugd", "data"])
    make_pilot(title="Tweede", themes=["jeugd"])
    html = text_of(client.get("/themas"))
    assert 'href="/themas/jeugd">Jeugd</a> <span class="muted">2 pilots</span>' in html
    assert 'href="/themas/data">Data</a> <span class="muted">1 pilot</span>' in html
    assert 'href="/themas/wonen">Wonen</a> <span class="muted">0 pilots</span>' in html


def test_theme_page_shows_label_description_and_live_pilots_latest_activity_first(client):
    older = make_pilot(title="Oudere jeugdpilot", themes=["jeugd"])
    newer = make_pilot(title="Nieuwere jeugdpilot", themes=["jeugd"])
    make_pilot(title="Over wonen", themes=["wonen"])
    from pilotstarter_web.services.pilots import PilotText, edit_pilot

    rev = older.current_revision
    edit_pilot(make_user(), older, PilotText(rev.title, rev.summary, rev.body + "\nMeer.\n", ["jeugd"]), rev.number)
    db.session.commit()
    html = text_of(client.get("/themas/jeugd"))
    assert "Thema: Jeugd" in html and "Jeugdhulp, jongerenwerk" in html and "2 pilots" in html
    assert html.index("Oudere jeugdpilot") < html.index("Nieuwere jeugdpilot")  # edited last: first
    assert "Over wonen" not in html
    assert newer.title in html


def test_theme_pages_page_through_pilots(client):
    author = make_user()
    for i in range(22):
        make_pilot(author, title=f"Datapilot {i:02d}", themes=["data"])
    first, second = text_of(client.get("/themas/data")), text_of(client.get("/themas/data?page=2"))
    assert first.count('class="pilot-card"') == 20 and second.count('class="pilot-card"') == 2
    assert 'href="/themas/data?page=2"' in first
    assert client.get("/themas/data?page=9").status_code == 404


def test_unknown_theme_is_a_404_page(client, auth):
    response = client.get("/themas/bestaat-niet")
    assert response.status_code == 404 and "Dit thema bestaat niet" in response.get_data(as_text=True)
    auth.login(make_user())
    assert client.post("/themas/bestaat-niet/volgen").status_code == 404


def test_pilot_pages_cards_and_home_link_themes_to_their_pages(client):
    pilot = make_pilot(title="Een jeugdpilot", themes=["jeugd"])
    assert 'href="/themas/jeugd"' in client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert 'href="/themas/jeugd"' in client.get("/pilots").get_data(as_text=True)
    assert 'href="/themas/jeugd"' in client.get("/").get_data(as_text=True)
    html = client.get("/search?q=jeugdpilot&theme=jeugd").get_data(as_text=True)
    assert 'href="/themas/jeugd">Alle pilots in het thema Jeugd</a>' in html


# -- follow buttons --------------------------------------------------------------------------------------
def test_following_a_theme_toggles_with_the_button(client, auth):
    user = make_user()
    assert "Thema volgen" not in client.get("/themas/jeugd").get_data(as_text=True)  # anonymous: log in first
    auth.login(user)
    assert "Thema volgen" in client.get("/themas/jeugd").get_data(as_text=True)
    response = client.post("/themas/jeugd/volgen", follow_redirects=True)
    html = text_of(response)
    assert "U volgt het thema Jeugd" in html and "Thema niet meer volgen" in html
    assert follows.is_following_theme(user, "jeugd")
    html = text_of(client.post("/themas/jeugd/niet-meer-volgen", follow_redirects=True))
    assert "U volgt het thema Jeugd niet meer" in html and "Thema volgen" in html
    assert db.session.scalars(select(ThemeFollow)).all() == []


def test_following_an_organisation_toggles_with_the_button(client, auth):
    user = make_user("GM0014")
    auth.login(user)
    html = text_of(client.post("/organisations/GM0599/volgen", follow_redirects=True))
    assert "U volgt Rotterdam" in html and "Organisatie niet meer volgen" in html
    assert db.session.scalar(select(OrganisationFollow.user_id)) == user.id
    html = text_of(client.post("/organisations/GM0599/niet-meer-volgen", follow_redirects=True))
    assert "U volgt Rotterdam niet meer" in html and "Organisatie volgen" in html


def test_unverified_accounts_get_no_follow_buttons_and_cannot_follow(client, auth):
    auth.login(make_user(verified=False))
    assert "Thema volgen" not in client.get("/themas/jeugd").get_data(as_text=True)
    assert "Organisatie volgen" not in client.get("/organisations/GM0599").get_data(as_text=True)
    assert client.post("/themas/jeugd/volgen").status_code == 403
    assert client.post("/organisations/GM0599/volgen").status_code == 403
    assert client.post("/account/volgt/zoekopdrachten", data={"q": "jeugd"}).status_code == 403
    assert db.session.scalars(select(SavedSearch)).all() == []


@pytest.mark.parametrize(
    "url", ["/themas/jeugd/volgen", "/organisations/GM0599/volgen", "/account/volgt", "/account/volgt/zoekopdrachten"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.post(url) if url != "/account/volgt" else client.get(url)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


# -- saved searches --------------------------------------------------------------------------------------
def test_follow_this_search_saves_words_and_filters_and_then_says_so(client, auth):
    user = make_user()
    auth.login(user)
    page = text_of(client.get("/search?q=jeugdzorg&theme=jeugd"))
    assert "Volg deze zoekopdracht" in page and 'name="theme" value="jeugd"' in page
    response = client.post(
        "/account/volgt/zoekopdrachten", data={"q": "jeugdzorg", "theme": "jeugd", "name": "Jeugdzorg in de wijk"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/search?q=jeugdzorg&theme=jeugd"
    page = text_of(client.get(response.headers["Location"]))
    assert "U volgt deze zoekopdracht als ‘Jeugdzorg in de wijk’" in page
    search = db.session.scalar(select(SavedSearch))
    assert (search.query, search.filters, search.name) == ("jeugdzorg", {"theme": ["jeugd"]}, "Jeugdzorg in de wijk")


def test_saving_a_search_refuses_clearly(client, auth):
    user = make_user()
    auth.login(user)
    html = text_of(client.post("/account/volgt/zoekopdrachten", data={"q": ""}, follow_redirects=True))
    assert "Zoek eerst op woorden of kies een filter" in html
    html = text_of(client.post("/account/volgt/zoekopdrachten", data={"q": "x" * 201}, follow_redirects=True))
    assert "De zoekwoorden zijn te lang" in html
    html = text_of(
        client.post("/account/volgt/zoekopdrachten", data={"q": "jeugd", "name": "n" * 101}, follow_redirects=True)
    )
    assert "Een naam is hoogstens 100 tekens lang" in html
    for i in range(saved_searches.MAX_PER_USER):
        saved_searches.save_search(user, f"woord{i}", {})
    db.session.commit()
    html = text_of(client.post("/account/volgt/zoekopdrachten", data={"q": "nog een"}, follow_redirects=True))
    assert "U volgt al 25 zoekopdrachten, het maximum" in html
    assert len(db.session.scalars(select(SavedSearch)).all()) == 25


# -- "Wat ik volg" ---------------------------------------------------------------------------------------
@pytest.fixture
def follower(client, auth):
    user = make_user("GM0014")
    pilot = make_pilot(make_user("GM0344"), title="Gevolgde pilot")
    follows.follow(user, pilot)
    follows.follow_theme(user, "jeugd")
    follows.follow_organisation(user, org("GM0599"))
    search, _ = saved_searches.save_search(user, "jeugdzorg", {"theme": ["jeugd"]})
    db.session.commit()
    auth.login(user)
    return {"user": user, "pilot": pilot, "search": search}


def test_following_page_lists_everything_with_links(client, follower):
    html = text_of(client.get("/account/volgt"))
    assert 'href="/account/volgt"' in text_of(client.get("/account/profile"))  # account page and header menu
    assert f'href="/pilots/{follower["pilot"].slug}">Gevolgde pilot</a>' in html
    assert 'href="/themas/jeugd">Jeugd</a>' in html
    assert 'href="/organisations/GM0599">Rotterdam</a>' in html
    assert 'href="/search?q=jeugdzorg&amp;theme=jeugd">jeugdzorg</a>' in html
    assert html.count("Niet meer volgen") == 3 and "Naam wijzigen" in html and "Verwijderen" in html


def test_unfollow_buttons_on_the_following_page_come_back_to_it(client, follower):
    slug = follower["pilot"].slug
    for url in (f"/pilots/{slug}/unfollow", "/themas/jeugd/niet-meer-volgen", "/organisations/GM0599/niet-meer-volgen"):
        response = client.post(url, data={"from": "following"})
        assert response.status_code == 302 and response.headers["Location"] == "/account/volgt"
    found = follows.following(follower["user"])
    assert found.pilots == [] and found.themes == [] and found.organisations == []
    html = text_of(client.get("/account/volgt"))
    assert "U volgt de pilot ‘Gevolgde pilot’ niet meer" in html or "U volgt geen pilots" in html


def test_rename_and_delete_a_saved_search(client, follower):
    search_id = follower["search"].id
    html = text_of(
        client.post(f"/account/volgt/zoekopdrachten/{search_id}/naam", data={"name": "Jeugd"}, follow_redirects=True)
    )
    assert "De zoekopdracht heet nu ‘Jeugd’" in html
    html = text_of(
        client.post(f"/account/volgt/zoekopdrachten/{search_id}/naam", data={"name": " "}, follow_redirects=True)
    )
    assert "Vul een naam in" in html
    html = text_of(client.post(f"/account/volgt/zoekopdrachten/{search_id}/verwijderen", follow_redirects=True))
    assert "U volgt de zoekopdracht ‘Jeugd’ niet meer" in html and "U volgt geen zoekopdrachten" in html


def test_someone_elses_saved_search_is_not_found(client, auth, follower):
    auth.logout()
    auth.login(make_user())
    search_id = follower["search"].id
    assert client.post(f"/account/volgt/zoekopdrachten/{search_id}/verwijderen").status_code == 404
    assert client.post(f"/account/volgt/zoekopdrachten/{search_id}/naam", data={"name": "x"}).status_code == 404
    assert db.session.get(SavedSearch, search_id).name == "jeugdzorg"


def test_publishing_through_the_page_tells_a_saved_search_once(client, auth, follower):
    """The after-commit step of the publishing request does the matching: no command needed."""
    auth.logout()
    author = make_user("GM0344")
    auth.login(author)
    response = client.post(
        "/pilots/new",
        data={"title": "Jeugdzorg met een wijkcoach", "summary": "Kort.", "body": YOUTH, "themes": ["jeugd"],
              "status": "idee", "confirm_reviewed": "1"},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    got = db.session.scalars(select(Notification).where(Notification.user_id == follower["user"].id)).all()
    assert [n.kind for n in got] == ["theme.new_pilot"]  # the theme, not the organisation or the search too
    assert saved_search_matching.drain() == 0  # the request's own step did the work
