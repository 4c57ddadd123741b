"""The pages every government site is expected to have, the favicon, and the print view of a pilot."""

from __future__ import annotations

import html as html_module

import pytest

from tests.factories import make_pilot, make_user

STATEMENTS = {
    "/toegankelijkheid": ["Toegankelijkheidsverklaring", "Status", "Voor welke pagina's", "Bekende problemen"],
    "/privacy": ["Privacyverklaring", "Het auditlog", "IP-adressen tegen misbruik", "Uw rechten", "AVG"],
    "/contact": ["Contact", "toegankelijkheidsverklaring", "privacyverklaring"],
    "/colofon": ["Colofon", "NL Design System", "EUPL-1.2", "Bron: CBS", "Statbel"],
}


@pytest.mark.parametrize("path", list(STATEMENTS))
def test_each_statement_page_answers_with_its_sections_and_a_contact_address(client, app, path):
    html = client.get(path).get_data(as_text=True)
    for expected in STATEMENTS[path]:
        assert expected in html
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in html


def test_the_footer_links_every_statement_page(client):
    html = client.get("/").get_data(as_text=True)
    footer = html[html.index("<footer") :]
    for path in STATEMENTS:
        assert f'href="{path}"' in footer


def test_the_contact_address_comes_from_the_configuration(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "digitaal@gemeente.example")
    assert 'href="mailto:digitaal@gemeente.example"' in client.get("/contact").get_data(as_text=True)


def test_favicon_ico_is_served_and_pages_name_the_icons(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an icon file
    response.close()
    html = client.get("/").get_data(as_text=True)
    assert 'rel="icon" href="/favicon.ico"' in html and "icons/favicon.svg" in html
    svg = client.get("/static/icons/favicon.svg")
    assert svg.status_code == 200
    svg.close()


def test_print_view_shows_the_text_and_metadata_without_site_navigation_or_forms(client):
    owner = make_user("GM0344")
    make_pilot(
        owner,
        title="Slimme lantaarnpalen",
        body="## Aanleiding\n\nZie [de handreiking](https://example.org/handreiking).",
        partners=["GM0599"],
        status="lopend",
    )
    pilot_page = client.get("/pilots/slimme-lantaarnpalen").get_data(as_text=True)
    assert 'href="/pilots/slimme-lantaarnpalen/afdrukken"' in pilot_page
    html = client.get("/pilots/slimme-lantaarnpalen/afdrukken").get_data(as_text=True)
    article = html[html.index("<article") : html.index("</article>")]
    assert "Slimme lantaarnpalen" in article and "https://example.org/handreiking" in article
    assert "Lopend" in article or "lopend" in article
    assert "Rotterdam" in article  # the partner, named in the metadata
    assert "http://localhost/pilots/slimme-lantaarnpalen" in article  # the address, for paper readers
    assert "<form" not in article and "Deelnemers" not in article
    assert "Ctrl+P" in article


def test_print_view_of_a_missing_pilot_is_404(client):
    assert client.get("/pilots/bestaat-niet/afdrukken").status_code == 404


def test_the_new_pilot_editor_starts_from_the_outline_and_publishing_drops_what_was_left_empty(client, auth):
    auth.login(make_user("GM0344"))
    html = client.get("/pilots/new").get_data(as_text=True)
    assert "## Resultaten" in html and "## Kosten en inspanning" in html and "&lt;!-- Welk probleem" in html
    assert "kopjes die het portfolio-overleg nodig heeft" in html  # explained next to the field
    body = client.get("/pilots/new").get_data(as_text=True)
    outline = body[body.index('name="body"') :]
    outline = outline[outline.index(">") + 1 : outline.index("</textarea>")]
    filled = html_module.unescape(outline).replace("## Aanleiding\n", "## Aanleiding\n\nTe veel storingen.\n")
    response = client.post(
        "/pilots/new",
        data={"title": "Slimme bruggen", "body": filled, "status": "idee", "themes": ["data"], "token": "t-outline"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from pilotstarter_web.services.pilot_queries import get_pilot

    assert get_pilot("slimme-bruggen", None).current_revision.body == "## Aanleiding\n\nTe veel storingen.\n"
