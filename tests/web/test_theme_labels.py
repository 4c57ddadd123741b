"""Theme labels are indexed in Dutch and English whatever the language of the request that saved the pilot."""

from __future__ import annotations

import io

import flask_babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from pilotstarter_web.services.themes import THEME_NAMES_EN, THEMES
from tests.factories import make_user


@pytest.fixture
def english_catalogue(monkeypatch):
    """An English catalogue that translates "Jeugd" unlike THEME_NAMES_EN: a label rendered in the saving
    request's language would put "Youngsters" in the index instead of "Jeugd"."""
    catalogue = Catalog(locale="en")
    catalogue.add("Jeugd", "Youngsters")
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    english = Translations(compiled)
    own = flask_babel.Domain.get_translations

    def get_translations(self):
        return english if str(flask_babel.get_locale()) == "en" else own(self)

    monkeypatch.setattr(flask_babel.Domain, "get_translations", get_translations)


def _save(client, auth, organisation: str, title: str, lang: str) -> None:
    auth.login(make_user(organisation))
    data = {"title": title, "summary": "Een korte samenvatting.", "body": "## Doel\n\nIets.", "themes": ["jeugd"]}
    response = client.post(f"/pilots/new?lang={lang}", data={**data, "status": "idee", "token": title})
    assert response.status_code == 302
    auth.logout()


def _found(client, query: str) -> set[str]:
    return {item["title"] for item in client.get(f"/api/v1/search?q={query}").get_json()["items"]}


def test_a_pilot_saved_in_english_and_one_in_dutch_are_found_by_both_labels(client, auth, english_catalogue):
    with client.application.test_request_context("/?lang=en"):
        assert str(THEMES["jeugd"]) == "Youngsters"  # the catalogue is in force for English requests
    _save(client, auth, "GM0344", "Huiswerkklas", lang="en")
    _save(client, auth, "GM0599", "Sportpas", lang="nl")
    both = {"Huiswerkklas", "Sportpas"}
    assert _found(client, "jeugd") == both
    assert _found(client, "youth") == both
    assert _found(client, "youngsters") == set()


def test_every_theme_has_an_english_name():
    assert THEME_NAMES_EN.keys() == THEMES.keys()
    assert all(THEME_NAMES_EN.values())
