"""Searching in the browser: header box with keyboard autocomplete, results, facet filters, paging,
the back button, and axe-core on the search pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def pilots() -> None:
    user = make_user("GM0344")
    make_pilot(user, title="Digitaal parkeerloket voor bewoners", body="Bewoners regelen hun parkeervergunning online.",
               themes=["mobiliteit"])  # fmt: skip
    for i in range(24):
        make_pilot(user, title=f"Chatbot voor de Wmo {i}", body="De chatbot beantwoordt vragen over de Wmo.",
                   themes=["zorg" if i % 2 else "data"])  # fmt: skip


def test_search_filter_page_and_go_back(page, pilots, assert_accessible):
    page.goto("/")
    page.get_by_role("combobox", name="Zoeken in pilots").fill("chatbot")
    page.get_by_role("combobox", name="Zoeken in pilots").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=chatbot"))
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_contain_text("24 pilots gevonden")
    expect(page.locator(".search-hit__snippet mark").first).to_have_text(re.compile("chatbot", re.I))
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"Zorg en Wmo")).click()
    expect(page).to_have_url(re.compile(r"theme=zorg"))
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_contain_text("12 pilots gevonden")

    page.goto(page.url.replace("theme=zorg", "theme=zorg&per_page=5"))
    page.get_by_role("navigation", name="Paginering van zoekresultaten").get_by_role("link", name="Volgende").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(".search-hit-list")).to_have_attribute("start", "6")
    assert_accessible(page)

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"page=2"))
    page.get_by_role("link", name=re.compile("filter verwijderen")).click()
    expect(page.get_by_role("status").filter(has_text="gevonden")).to_contain_text("24 pilots gevonden")


def test_autocomplete_is_usable_with_the_keyboard(page, pilots, assert_accessible):
    page.goto("/pilots")
    box = page.get_by_role("combobox", name="Zoeken in pilots")
    box.press_sequentially("parke", delay=30)
    option = page.get_by_role("option", name="Digitaal parkeerloket voor bewoners")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    assert_accessible(page)
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/pilots/digitaal-parkeerloket-voor-bewoners$"))


def test_empty_search_helps_and_is_accessible(page, pilots, assert_accessible):
    page.goto("/search?q=parkeervergunnig")
    expect(page.get_by_text("Bedoelde u")).to_be_visible()
    page.goto("/search?q=xylofoonorkest")
    expect(page.get_by_role("heading", name="Niets gevonden")).to_be_visible()
    assert_accessible(page)
