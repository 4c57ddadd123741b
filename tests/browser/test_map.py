"""/kaart in a browser: a keyboard user tabs from the skip link to a municipality and follows it; axe finds nothing at
1280 and 375 px, at both levels, and the map fits a phone screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def participation() -> None:
    utrecht = make_user("GM0344")
    make_pilot(utrecht, title="Slimme lantaarnpalen", partners=["GM0363"])
    make_pilot(utrecht, title="Digitale balie")
    make_pilot(make_user("BE44021"), title="Slimme parkeerplaatsen")  # Gent
    db.session.commit()
    db.session.rollback()  # end the read transaction before the server thread reads


def test_a_keyboard_user_tabs_to_a_municipality_and_follows_it(page, participation):
    page.goto("/kaart")
    page.get_by_role("link", name="Sla de kaart over: naar de tabel met dezelfde cijfers").focus()
    page.keyboard.press("Tab")
    focused = page.locator("a.map-link:focus")
    expect(focused).to_have_attribute("aria-label", "Gemeente Gent / Gand: 1 pilot")
    page.keyboard.press("Tab")
    expect(focused).to_have_attribute("aria-label", "Gemeente Utrecht: 2 pilots")
    # The focused area is visibly marked: yellow with a dark edge.
    fill = focused.locator("path").evaluate("p => getComputedStyle(p).fill")
    assert fill == "rgb(255, 221, 0)"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utrecht")
    assert page.url.endswith("/organisations/GM0344")


def test_the_skip_link_leads_to_the_table(page, participation):
    page.goto("/kaart")
    page.get_by_role("link", name="Sla de kaart over: naar de tabel met dezelfde cijfers").click()
    expect(page.get_by_role("heading", name="3 gemeenten doen mee")).to_be_focused()
    table = page.get_by_role("table", name="Utrecht")
    expect(table.get_by_role("row", name="Utrecht 2")).to_be_visible()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "375"])
def test_both_levels_are_accessible_and_fit_the_screen(new_page, participation, assert_accessible, viewport):
    page = new_page(viewport=viewport)
    for path in ("/kaart", "/kaart?niveau=provincie"):
        assert page.goto(path).status == 200
        expect(page.locator("a.map-link")).to_have_count(3)
        assert page.evaluate(FITS_SCREEN), f"{path} scrolls sideways"
        box = page.locator("svg.participation-map__svg").bounding_box()
        assert box is not None and box["width"] <= viewport["width"]
        assert_accessible(page)
