"""Writing and reading pilots through the pages."""

import re

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot, Revision
from tests.factories import make_pilot, make_user

BODY = "## Aanleiding\n\nWe willen X.\n\n## Aanpak\n\nStap 1.\n\n## Resultaat\n\nNog niet.\n"


def form_values(html: str) -> dict:
    values = dict(re.findall(r'name="(base_revision|token)"[^>]*value="([^"]*)"', html))
    values.update({k: v for v, k in re.findall(r'value="([^"]*)"[^>]*name="(base_revision|token)"', html)})
    return values


def test_post_a_pilot_and_read_it(client, auth):
    auth.login(make_user("GM0344"))
    page = client.get("/pilots/new?title=Slimme%20bruggen").get_data(as_text=True)
    assert 'value="Slimme bruggen"' in page
    response = client.post(
        "/pilots/new",
        data={
            "title": "Slimme bruggen",
            "summary": "Sensoren in bruggen.",
            "body": "## Doel\n\nMinder storingen. Zie [[Bestaat niet]].",
            "themes": ["data", "openbare-ruimte"],
            "tags": "sensoren, IoT",
            "status": "idee",
            "partner_1": "Rotterdam [GM0599]",
            "token": "t1",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/pilots/slimme-bruggen")
    html = client.get("/pilots/slimme-bruggen").get_data(as_text=True)
    assert "Slimme bruggen" in html and "Minder storingen." in html
    assert "wikilink--missing" in html and "/pilots/new?title=Bestaat%20niet" in html
    assert "Rotterdam" in html and "#iot" in html


def test_unknown_partner_is_a_form_error_not_a_crash(client, auth):
    auth.login(make_user())
    response = client.post("/pilots/new", data={"title": "X", "status": "idee", "partner_1": "Atlantis"})
    assert response.status_code == 200
    assert "Onbekende organisatie" in response.get_data(as_text=True)
    assert db.session.scalar(select(Pilot)) is None


def test_edit_form_saves_a_revision_with_summary(client, auth):
    pilot = make_pilot(body=BODY)
    auth.login(make_user("GM0363"))
    values = form_values(client.get(f"/pilots/{pilot.slug}/edit").get_data(as_text=True))
    assert values["base_revision"] == "1"
    response = client.post(
        f"/pilots/{pilot.slug}/edit",
        data={
            "title": pilot.title,
            "summary": "",
            "body": BODY + "\nNieuw.\n",
            "themes": ["data"],
            "status": "lopend",
            "edit_summary": "resultaat",
            "base_revision": "1",
            "token": values["token"],
        },
    )
    assert response.status_code == 302
    history = client.get(f"/pilots/{pilot.slug}/history").get_data(as_text=True)
    assert "resultaat" in history and "Revisie 2" in history
    diff = client.get(f"/pilots/{pilot.slug}/diff?from=1&to=2").get_data(as_text=True)
    assert re.search(r'<ins class="diff-ins">(?:(?!</ins>).)*Nieuw', diff, re.S)


def test_double_submit_makes_one_revision(client, auth):
    pilot = make_pilot(body=BODY)
    auth.login(make_user())
    data = {
        "title": pilot.title,
        "body": BODY + "x\n",
        "themes": ["data"],
        "status": "idee",
        "base_revision": "1",
        "token": "dbl",
    }
    assert client.post(f"/pilots/{pilot.slug}/edit", data=data).status_code == 302
    assert client.post(f"/pilots/{pilot.slug}/edit", data=data).status_code == 302
    assert len(db.session.scalars(select(Revision).where(Revision.pilot_id == pilot.id)).all()) == 2


def test_preview_renders_sanitized_markdown(client):
    response = client.post("/pilots/preview", json={"body": "## Kop\n\n<script>x</script>"})
    html = response.get_json()["html"]
    assert "<h2" in html and "<script" not in html  # "##" is a section under the page title


def test_page_shows_toc_backlinks_participants_and_last_editor(client):
    target = make_pilot(
        make_user("GM0599", name="Anna Bos"),
        title="Doelpilot",
        body="# A\n\n## B\n\n## C\n\ntekst\n",
        partners=["GM0363"],
    )
    make_pilot(title="Bronpilot", body="Zie [[Doelpilot]].")
    html = client.get(f"/pilots/{target.slug}").get_data(as_text=True)
    assert 'aria-labelledby="toc-kop"' in html and 'href="#sectie-b"' in html
    assert "Bronpilot" in html
    assert "Amsterdam" in html and "Rotterdam" in html
    assert "Anna Bos" in html


def test_join_leave_and_delete_restore_through_pages(client, auth):
    owner = make_user("GM0599")
    pilot = make_pilot(owner)
    auth.login(make_user("GM0363"))
    client.post(f"/pilots/{pilot.slug}/join", data={"interest": "1"})
    assert "Geïnteresseerd" in client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    client.post(f"/pilots/{pilot.slug}/leave")
    assert "Geïnteresseerd" not in client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    auth.logout()
    auth.login(owner)
    client.post(f"/pilots/{pilot.slug}/delete", data={"reason": "dubbel"})
    assert client.get("/pilots").get_data(as_text=True).count(pilot.title) == 0
    assert "is verwijderd" in client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    client.post(f"/pilots/{pilot.slug}/restore")
    assert pilot.title in client.get("/pilots").get_data(as_text=True)


def test_bad_query_arguments_never_crash(client):
    make_pilot()
    for url in [
        "/pilots?page=abc",
        "/pilots?sort=evil",
        "/pilots?theme=nope",
        "/pilots/x/diff?from=a",
        "/organisations?page=-3",
        "/pilots?page=99999999999999999999",
        "/organisations?page=99999999999999999999",
        "/pilots?per_page=100000",
    ]:
        assert client.get(url).status_code in (200, 400, 404), url
    assert client.get("/pilots?page=50").status_code == 404
    assert client.get("/pilots/nope").status_code == 404
    assert "bestaat niet" in client.get("/pilots/nope").get_data(as_text=True)


def test_list_filters_and_pagination_in_the_page(client):
    user = make_user("GM0599")
    for i in range(22):
        make_pilot(user, title=f"Pilot nummer {i}", themes=["jeugd" if i % 2 else "data"])
    html = client.get("/pilots?theme=jeugd").get_data(as_text=True)
    assert "11 pilots gevonden" in html
    page1 = client.get("/pilots").get_data(as_text=True)
    assert 'rel="next"' in page1 and "22 pilots gevonden" in page1
    page2 = client.get("/pilots?page=2").get_data(as_text=True)
    assert page2.count('class="pilot-card"') == 2
