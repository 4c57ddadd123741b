"""Saved revisions' HTML comes from an in-process cache (render_cache.py): a second view does not run
Python-Markdown, yet a page that starts existing turns its red link blue and a new revision shows at once."""

from __future__ import annotations

import markdown
import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.markdown import Rendered
from pilotstarter_web.render_cache import RenderCache
from pilotstarter_web.services.pilots import PilotText, edit_pilot
from tests.factories import make_pilot, make_user


@pytest.fixture
def conversions(monkeypatch):
    """How often Python-Markdown converts a text."""
    calls: list[str] = []
    real = markdown.Markdown.convert

    def convert(self, source):
        calls.append(source)
        return real(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", convert)
    return calls


def test_a_second_view_of_a_pilot_does_not_render_its_markdown_again(client, conversions):
    pilot = make_pilot(body="## Aanleiding\n\nZie [[Bestaat nog niet]].\n")
    first = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    rendered_once = len(conversions)
    assert rendered_once >= 1
    second = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert len(conversions) == rendered_once
    assert first.count("wikilink--missing") == second.count("wikilink--missing") == 1
    client.get(f"/pilots/{pilot.slug}/revisions/1")  # the same revision on its own page: also cached
    client.get(f"/api/v1/pilots/{pilot.slug}")
    assert len(conversions) == rendered_once


def test_a_page_that_starts_existing_turns_the_red_link_blue(client):
    pilot = make_pilot(body="Zie [[Slimme bankjes]].\n")
    assert "wikilink--missing" in client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    target = make_pilot(title="Slimme bankjes")
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "wikilink--missing" not in page and f'href="/pilots/{target.slug}"' in page


def test_a_new_revision_shows_its_own_text(client):
    author = make_user()
    pilot = make_pilot(author, body="Eerste versie.\n")
    assert "Eerste versie." in client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    edit_pilot(author, pilot, PilotText(pilot.title, pilot.summary, "Tweede versie.\n", ["data"]), 1)
    db.session.commit()
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Tweede versie." in page and "Eerste versie." not in page


def test_previews_are_never_cached(client, conversions):
    for _ in range(2):
        assert client.post("/pilots/preview", json={"body": "*Onopgeslagen*"}).status_code == 200
    assert conversions.count("*Onopgeslagen*") == 2


def test_the_cache_is_bounded_by_entries_and_by_bytes():
    cache = RenderCache(max_entries=3, max_bytes=100)
    for n in range(5):
        cache.rendered((n,), f"tekst {n}", lambda titles: {})
    assert len(cache) == 3
    cache.rendered(("groot",), "x" * 200, lambda titles: {})  # bigger than the whole cache: not kept
    assert len(cache) == 3
    cache.rendered(("middel",), "y" * 60, lambda titles: {})  # pushes older entries out by size
    assert cache._bytes <= 100 and (2,) not in cache._entries and (4,) in cache._entries  # oldest out first
    assert isinstance(cache.rendered(("middel",), "y" * 60, lambda titles: {}), Rendered)
