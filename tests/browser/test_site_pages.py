"""A visitor finds the statements from the footer (also on a phone), prints a pilot, and an owner deletes a
pilot through the confirmation step; the browser gets a favicon and no 404 for /favicon.ico."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"
# What sticks out, to name it when a page does not fit: elements, and text wider than its box.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 || e.scrollWidth > e.clientWidth + 1)
  .slice(0, 8).map(e => `${e.tagName}.${e.className} ${e.scrollWidth}/${e.clientWidth}`)"""


@pytest.fixture
def pilot_with_link() -> str:
    owner = make_user("GM0344", email="eigenaar@utrecht.nl")
    make_pilot(
        owner,
        title="Slimme lantaarnpalen",
        body="## Aanleiding\n\nZie [de handreiking](https://example.org/handreiking).\n",
        partners=["GM0599"],
    )
    db.session.commit()
    db.session.rollback()
    return "slimme-lantaarnpalen"


def test_statements_are_reached_from_the_footer_and_fit_a_phone(new_page, assert_accessible):
    page = new_page(viewport=MOBILE)
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto("/")
    footer = page.get_by_role("navigation", name="Over deze site")
    for link, heading in [
        ("Toegankelijkheid", "Toegankelijkheidsverklaring"),
        ("Privacy", "Privacyverklaring"),
        ("Contact", "Contact"),
        ("Colofon", "Colofon"),
    ]:
        page.goto("/")
        footer.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        page.wait_for_load_state("load")  # the heading is there before the style sheets: measure with them
        assert page.evaluate(FITS_SCREEN), f"{heading} scrolls sideways at 375 px: {page.evaluate(WIDE)}"
    assert_accessible(page)
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert not failed, failed


def test_printing_a_pilot_drops_the_site_and_prints_link_addresses(page, pilot_with_link):
    page.goto(f"/pilots/{pilot_with_link}")
    page.get_by_role("link", name="Afdrukken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slimme lantaarnpalen")
    expect(page.get_by_text("Ctrl+P")).to_be_visible()
    expect(page.locator(".print-pilot__meta")).to_contain_text("Rotterdam")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Ctrl+P")).to_be_hidden()
    after = page.locator(".markdown-body a").evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (https://example.org/handreiking)"'
    page.goto(f"/pilots/{pilot_with_link}")  # the pilot page itself prints without its panels too
    expect(page.get_by_role("complementary", name="Over deze pilot")).to_be_hidden()


def test_deleting_a_pilot_goes_through_a_confirmation_page(page, log_in, pilot_with_link):
    log_in(page, "eigenaar@utrecht.nl")
    page.goto(f"/pilots/{pilot_with_link}")
    page.get_by_role("link", name="Pilot verwijderen").click()
    expect(page.get_by_role("heading", name="Pilot verwijderen")).to_be_visible()
    page.get_by_role("link", name="Annuleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slimme lantaarnpalen")
    page.get_by_role("link", name="Pilot verwijderen").click()
    page.get_by_label("Reden van verwijderen (optioneel)").fill("Dubbel ingevoerd")
    page.get_by_role("button", name="Ja, pilot verwijderen").click()
    expect(page.locator(".flash-messages")).to_contain_text("De pilot is verwijderd.")
    expect(page.get_by_role("button", name="Pilot terugzetten")).to_be_visible()
