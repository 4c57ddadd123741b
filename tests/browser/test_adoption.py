"""Done when: a scaled-up pilot gets three adoptions from three municipalities through its page (one moves on to
"in gebruik"), the page lists all three, and the team hears of it. axe-core finds nothing on the entry page with
adoptions and on the portfolio's adoption dashboard, at 1280 and at 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import FITS_SCREEN, MOBILE
from tests.factories import make_pilot, make_user
from tests.services.test_adoptions import scale_up

pytestmark = pytest.mark.browser

SLUG = "meldingen-openbare-ruimte"


def test_three_municipalities_adopt_through_the_page_and_the_team_hears_of_it(new_page, log_in, assert_accessible):
    owner = make_user("GM0344", email="team@utrecht.nl")
    staff = make_user("vng", role="vng_staff", email="portfolio@vng.nl")
    pilot = make_pilot(owner, title="Meldingen openbare ruimte", status="afgerond", partners=["GM0307"])
    scale_up(pilot, owner, staff)
    adopters = {
        "Rotterdam": make_user("GM0599", email="hergebruik@rotterdam.nl"),
        "Zwolle": make_user("GM0193", email="hergebruik@zwolle.nl"),
        "Groningen": make_user("GM0014", email="hergebruik@groningen.nl"),
    }

    for n, (town, user) in enumerate(adopters.items()):
        page = new_page()
        log_in(page, user.email)
        page.goto(f"/pilots/{SLUG}")
        section = page.get_by_role("region", name="Wie neemt dit over")
        section.locator("details.adoption-declare summary").click()
        if n == 0:
            assert_accessible(page)  # the opened form
        section.get_by_label("Fase").select_option(label="In uitvoering" if town == "Zwolle" else "Gepland")
        section.get_by_label("Naam contactpersoon").fill(f"Contact {town}")
        section.get_by_label("E-mailadres contactpersoon").fill(f"contact@{town.lower()}.example")
        section.get_by_role("button", name="Wij nemen dit over").click()
        expect(page.get_by_role("status")).to_contain_text(f"{town} staat nu bij wie dit overneemt")
        if town == "Zwolle":  # a month later: in use
            section = page.get_by_role("region", name="Wie neemt dit over")
            section.get_by_role("link", name="Bijwerken").click()
            page.get_by_label("Fase").select_option(label="In gebruik")
            page.get_by_role("button", name="Opslaan").click()
            expect(page.get_by_role("status")).to_contain_text("De overname is bijgewerkt")

    # The page lists all three, per stage, with counts; a logged-in reader sees the contacts.
    reader = new_page()
    log_in(reader, owner.email)
    reader.goto(f"/pilots/{SLUG}")
    section = reader.get_by_role("region", name="Wie neemt dit over")
    expect(section).to_contain_text("3 organisaties nemen dit over")
    for town in adopters:
        expect(section.get_by_role("link", name=town, exact=True)).to_be_visible()
    expect(section.get_by_role("heading", name="In gebruik (1)")).to_be_visible()
    expect(section.get_by_role("heading", name="Gepland (2)")).to_be_visible()
    expect(section.get_by_role("link", name="contact@zwolle.example")).to_be_visible()
    expect(section.get_by_role("link", name="Bekijk op de kaart")).to_have_attribute(
        "href", f"/kaart?hergebruik={SLUG}"
    )
    assert_accessible(reader)
    reader.set_viewport_size(MOBILE)
    reader.reload()
    assert reader.evaluate(FITS_SCREEN), "the entry page scrolls sideways at 375 px"
    assert_accessible(reader)

    # The team member sees the notifications.
    reader.set_viewport_size({"width": 1280, "height": 900})
    reader.goto("/notifications")
    main = reader.get_by_role("main")
    for town in adopters:
        expect(main.get_by_text(f"{town} neemt Meldingen openbare ruimte over")).to_be_visible()
    expect(main.get_by_text("Zwolle gebruikt Meldingen openbare ruimte nu")).to_be_visible()

    # VNG's dashboard: the decision with one adoption in use and two planned, at both sizes.
    vng = new_page()
    log_in(vng, staff.email)
    vng.goto("/portfolio/hergebruik")
    row = vng.get_by_role("row", name="Meldingen openbare ruimte")
    expect(row.get_by_role("cell")).to_contain_text(["0 maanden geleden", "2", "0", "1", "3"])
    assert_accessible(vng)
    vng.set_viewport_size(MOBILE)
    vng.reload()
    assert vng.evaluate(FITS_SCREEN), "the dashboard scrolls sideways at 375 px"
    assert_accessible(vng)
