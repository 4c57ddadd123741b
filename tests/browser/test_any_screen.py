"""Any screen (issue 15, "Mobile" and "Form controls"): at 375 px no page scrolls sideways, search results start
on the first screen, the header folds its menu away, tables stay in their own scroll region and the pilot page
reaches its matchmaking panels from the top; selects show a chevron, a required field is not red before anyone
touched it, and the new-pilot form asks for one partner at a time and no edit summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from pilotstarter_web.services import portfolio, scaleup
from pilotstarter_web.services.pilot_queries import get_pilot
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}  # the smallest common phone screen: iPhone SE
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"
MEMBER, STAFF = "lid@utrecht.nl", "portfolio@vng.nl"
PARKING = "## Aanleiding\n\nBewoners willen hun parkeervergunning online regelen.\n\n## Resultaten\n\nHet werkt.\n"
SLUG = "parkeervergunning-online"


@pytest.fixture
def site() -> dict[str, int]:
    """Pilots in several themes, provinces and states (so search has facets), a nomination waiting with a long
    motivation, a pilot on a meeting's agenda, and so audit events; returns the meeting's id."""
    member = make_user("GM0344", email=MEMBER, name="Sanne Jansen")
    staff = make_user("vng", role="vng_staff", email=STAFF, name="Vera de Vries")
    rotterdam = make_user("GM0599", name="Mohamed El Amrani")
    pilot = make_pilot(
        member, title="Parkeervergunning online", body=PARKING, themes=["mobiliteit"], status="lopend",
        partners=["GM0599"],
    )  # fmt: skip
    make_pilot(rotterdam, title="Parkeren met kenteken", body=PARKING, themes=["mobiliteit", "data"], status="idee")
    make_pilot(make_user("GM0363"), title="Digitaal parkeerloket", body=PARKING, themes=["dienstverlening"])
    for n, org in enumerate(["GM0014", "GM0034", "GM0153", "GM0200"]):
        make_pilot(
            make_user(org), title=f"Parkeerapp nummer {n}", body=PARKING, themes=["mobiliteit"], status="afgerond"
        )
    bridges = make_pilot(rotterdam, title="Sensoren in bruggen", body=PARKING, status="lopend", partners=["GM0344"])
    scaleup.nominate(member, pilot, "Werkt in Utrecht en Rotterdam; " * 12, costs="0,5 fte per gemeente")
    scaleup.nominate(rotterdam, bridges, "Sensordata voorspellen onderhoud aan bruggen en kademuren.")
    scaleup.flag(staff, bridges, "Veel gemeenten met bruggen en kademuren vragen hierom.")
    meeting = portfolio.create_meeting(staff, date.today() + timedelta(days=14), "Portfolio-overleg december")
    scaleup.schedule(staff, bridges, meeting.id, "Graag bespreken met de werkgroep")
    db.session.commit()
    ids = {"meeting": meeting.id}
    db.session.rollback()  # end the read transaction before the server thread writes
    return ids


def test_no_page_scrolls_sideways_on_a_phone(new_page, site, log_in, assert_accessible, subtests):
    """Public, member and staff pages at 375 px: nothing wider than the screen (WCAG 1.4.10), axe finds nothing."""
    page = new_page(viewport=PHONE)

    def check(path: str) -> None:
        with subtests.test(path=path):
            assert page.goto(path).status == 200
            assert page.evaluate(FITS_SCREEN), f"{path} scrolls sideways"
            assert_accessible(page)

    for path in ["/", "/pilots", "/search?q=parkeren", f"/pilots/{SLUG}", "/organisations", "/organisations/GM0344"]:
        check(path)
    log_in(page, MEMBER)
    for path in ["/pilots/new", f"/pilots/{SLUG}/edit", f"/pilots/{SLUG}/history", "/account/profile"]:
        check(path)
    check("/account/sessions")
    staff = new_page(viewport=PHONE)
    log_in(staff, STAFF)
    page = staff
    for path in [
        "/portfolio",
        "/portfolio/meetings",
        f"/portfolio/meetings/{site['meeting']}",
        f"/portfolio/pilots/{SLUG}",
        "/portfolio/audit",
        "/notifications",
    ]:
        check(path)


def test_search_results_start_on_the_first_screen_and_filters_fold_away(page_at, site, assert_accessible):
    page = page_at(PHONE)
    page.goto("/search?q=parkeren")
    first = page.locator(".search-hit").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < PHONE["height"], "the first result starts below the first screen"
    filters = page.get_by_text("Filters", exact=True)
    theme = page.get_by_role("link", name="Mobiliteit en parkeren")
    expect(theme).to_be_hidden()
    filters.click()
    expect(theme).to_be_visible()
    assert_accessible(page)
    theme.click()
    expect(page.get_by_text("Filters (1 actief)")).to_be_visible()
    assert page.evaluate(FITS_SCREEN)
    wide = page_at({"width": 1280, "height": 900})
    wide.goto("/search?q=parkeren")
    expect(wide.get_by_role("link", name="Mobiliteit en parkeren")).to_be_visible()  # beside the results
    expect(wide.get_by_text("Filters", exact=True)).to_be_hidden()


@pytest.fixture
def page_at(new_page):
    return lambda viewport: new_page(viewport=viewport)


def test_header_menu_folds_away_on_a_phone_and_opens_by_keyboard(page_at, site, log_in, assert_accessible):
    page = page_at(PHONE)
    log_in(page, STAFF)
    page.goto("/pilots")
    header = page.get_by_role("banner")
    assert header.bounding_box()["height"] <= 130, "the header takes too much of a phone's screen"
    portfolio_link = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Portfolio")
    expect(portfolio_link).to_be_hidden()
    toggle = header.locator("summary", has_text="Menu")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(portfolio_link).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    assert page.evaluate(FITS_SCREEN)
    assert_accessible(page)
    page.keyboard.press("Enter")  # the same key closes it
    expect(portfolio_link).to_be_hidden()
    wide = page_at({"width": 1280, "height": 900})
    log_in(wide, STAFF)
    expect(wide.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Portfolio")).to_be_visible()
    expect(wide.get_by_role("banner").locator("summary")).to_be_hidden()


def test_header_menu_works_without_javascript(browser, live_server, site):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto("/")
        link = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Organisaties")
        expect(link).to_be_hidden()
        page.get_by_role("banner").locator("summary", has_text="Menu").click()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Organisaties")
        wide = context.new_page()
        wide.set_viewport_size({"width": 1280, "height": 900})
        wide.goto("/")  # wide and no JavaScript: the menu shows by CSS alone
        expect(
            wide.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Organisaties")
        ).to_be_visible()
    finally:
        context.close()


def test_wide_tables_scroll_in_their_own_region(page_at, site, log_in):
    page = page_at(PHONE)
    log_in(page, STAFF)
    page.goto(f"/pilots/{SLUG}/history")
    region = page.get_by_role("region", name="Revisies")
    expect(region.get_by_role("table")).to_be_visible()
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the history's columns need more room"
    expect(region).to_have_attribute("tabindex", "0")  # keyboard users can scroll it
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")
    assert page.evaluate(FITS_SCREEN)
    page.goto("/organisations")  # fits: no extra tab stop
    region = page.get_by_role("region", name="Organisaties")
    expect(region.get_by_role("table")).to_be_visible()
    expect(region).not_to_have_attribute("tabindex", "0")


def test_pilot_page_reaches_the_matchmaking_panels_from_the_top(page_at, site):
    page = page_at(PHONE)
    page.goto(f"/pilots/{SLUG}")
    jumps = page.get_by_role("navigation", name="Op deze pagina")
    assert jumps.bounding_box()["y"] < 2 * PHONE["height"]
    jumps.get_by_role("link", name="Vergelijkbare pilots").click()
    expect(page.get_by_role("heading", name="Vergelijkbare pilots")).to_be_in_viewport()
    wide = page_at({"width": 1280, "height": 900})
    wide.goto(f"/pilots/{SLUG}")
    expect(wide.get_by_role("navigation", name="Op deze pagina")).to_be_hidden()  # the panels sit beside the text


def test_selects_show_a_chevron_and_a_focus_ring(page_at, site):
    page = page_at({"width": 1280, "height": 900})
    page.goto("/pilots")
    selects = page.locator("select")
    assert selects.count() >= 3
    for i in range(selects.count()):
        style = selects.nth(i).evaluate("s => getComputedStyle(s).backgroundImage")
        assert "svg" in style, f"select {i} has no chevron: {style}"
    selects.first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = selects.first.evaluate("s => getComputedStyle(s).outlineStyle + ' ' + getComputedStyle(s).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline


def test_required_textarea_is_not_red_before_anyone_types(page_at, site, log_in):
    page = page_at({"width": 1280, "height": 900})
    log_in(page, STAFF)
    page.goto(f"/portfolio/pilots/{SLUG}")
    questions = page.get_by_label("Vragen aan de voordragers")
    expect(questions).to_have_attribute("required", "")

    def border(locator) -> str:
        return locator.evaluate("t => getComputedStyle(t).borderTopColor + ' ' + getComputedStyle(t).borderTopWidth")

    untouched = border(questions)
    assert questions.evaluate("t => t.matches(':invalid') && !t.matches(':user-invalid')")
    plain = questions.evaluate(
        "t => { t.required = false; const b = getComputedStyle(t).borderTopColor + ' ' + getComputedStyle(t).borderTopWidth;"
        " t.required = true; return b; }"
    )
    assert untouched == plain, "a required field looks invalid before anyone typed"
    page.get_by_role("button", name="Terugsturen met vragen").click()  # the browser refuses the empty field
    page.wait_for_function("() => document.querySelector('textarea[required]:user-invalid') !== null")
    assert border(questions) != untouched, "after a submit attempt the empty required field shows as invalid"


def test_new_pilot_form_asks_one_partner_at_a_time_and_no_edit_summary(page_at, site, log_in):
    page = page_at(PHONE)
    log_in(page, MEMBER)
    page.goto("/pilots/new")
    main = page.get_by_role("main")
    expect(main.get_by_label("Samenvatting van uw wijziging")).to_have_count(0)
    partners = main.get_by_role("group", name="Partnerorganisaties (optioneel)").get_by_role("combobox")
    expect(partners).to_have_count(1)
    main.get_by_label("Partnerorganisatie 1").fill("Rotterdam [GM0599]")
    main.get_by_role("button", name="Nog een partner toevoegen").click()
    expect(partners).to_have_count(2)
    expect(main.get_by_label("Partnerorganisatie 2")).to_be_focused()
    main.get_by_label("Titel").fill("Zwerfafval melden met een app")
    main.get_by_label("Beschrijving").fill("## Aanleiding\n\nInwoners melden zwerfafval met een foto.")
    main.get_by_label("Partnerorganisatie 2").fill("Amsterdam [GM0363]")
    main.get_by_role("button", name="Pilot publiceren").click()
    expect(page.get_by_role("status").first).to_contain_text("gepubliceerd")
    participants = page.get_by_role("region", name="Deelnemers")
    expect(participants).to_contain_text("Rotterdam")
    expect(participants).to_contain_text("Amsterdam")
    assert get_pilot("zwerfafval-melden-met-een-app").current_revision.edit_summary == ""
