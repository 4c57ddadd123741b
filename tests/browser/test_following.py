"""Following more than a pilot, in the browser: a person saves a search and follows a theme; another
publishes a pilot that fits both; the first hears of it once, with a link to the pilot. Checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import MOBILE
from tests.factories import make_user

pytestmark = pytest.mark.browser

BODY = (
    "## Aanleiding\n\nJongeren vinden de weg naar de jeugdzorg niet. Een wijkcoach spreekt hen aan op school en "
    "in de sportclub.\n\n## Aanpak\n\nGesprekken met ouders en een vast aanspreekpunt in de wijk.\n"
)
TITLE = "Wijkcoaches brengen jongeren naar de jeugdzorg"


def publish(page: Page) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe pilot").click()
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"^Titel\b")).fill(TITLE)
    main.get_by_label("Korte samenvatting").fill("Een wijkcoach als vast aanspreekpunt voor jongeren.")
    main.get_by_label("Beschrijving").fill(BODY)
    main.get_by_role("group", name="Thema's").get_by_label("Jeugd", exact=True).check()
    page.get_by_role("button", name="Pilot publiceren").click()
    page.wait_for_load_state()
    seen = page.get_by_role("button", name=re.compile("toch publiceren"))
    if seen.count():
        seen.click()
    expect(page.get_by_role("status")).to_contain_text("Uw pilot is gepubliceerd.")


def test_saved_search_and_theme_bring_one_notification(new_page, log_in, assert_accessible):
    make_user("GM0363", email="a@amsterdam.nl", name="Aisha Amsterdam")
    make_user("GM0344", email="b@utrecht.nl", name="Bas Utrecht")

    # A searches for what does not exist yet and follows the search, with a name of her own.
    a = new_page()
    log_in(a, "a@amsterdam.nl")
    a.goto("/search?q=wijkcoach+jongeren")
    a.get_by_text("Volg deze zoekopdracht", exact=True).click()
    a.get_by_role("main").get_by_label("Naam (niet verplicht)").fill("Wijkcoaches")
    assert_accessible(a)
    a.get_by_role("button", name="Zoekopdracht volgen").click()
    expect(a.get_by_role("status").filter(has_text="U volgt deze zoekopdracht")).to_contain_text("‘Wijkcoaches’")
    expect(a.get_by_role("main")).to_contain_text("U volgt deze zoekopdracht als ‘Wijkcoaches’.")

    # ... and follows the theme Jeugd from the theme pages.
    a.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Thema's").click()
    a.get_by_role("main").get_by_role("link", name="Jeugd", exact=True).click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Thema: Jeugd")
    a.get_by_role("button", name="Thema volgen").click()
    expect(a.get_by_role("status")).to_contain_text("U volgt het thema Jeugd.")
    expect(a.get_by_role("button", name="Thema niet meer volgen")).to_be_visible()

    # B publishes a pilot in that theme that the saved search matches too.
    b = new_page()
    log_in(b, "b@utrecht.nl")
    publish(b)

    # A has exactly one notification, and it leads to the pilot.
    a.goto("/")
    menu = a.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name=re.compile(r"^Meldingen"))).to_have_accessible_name("Meldingen 1 ongelezen")
    menu.get_by_role("link", name=re.compile(r"^Meldingen")).click()
    items = a.get_by_role("list", name="Meldingen, nieuwste eerst").get_by_role("listitem")
    expect(items).to_have_count(1)
    expect(items).to_contain_text(f"Nieuwe pilot in het thema Jeugd: {TITLE}")
    items.get_by_role("link").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(TITLE)

    # "Wat ik volg" lists both, and stops following from there.
    menu.get_by_role("link", name="Wat ik volg").click()
    main = a.get_by_role("main")
    expect(main.get_by_role("region", name=re.compile("^Thema's"))).to_contain_text("Jeugd")
    searches = main.get_by_role("region", name=re.compile("^Zoekopdrachten"))
    expect(searches.get_by_role("link", name="Wijkcoaches", exact=True)).to_have_attribute(
        "href", "/search?q=wijkcoach+jongeren"
    )
    assert_accessible(a)
    searches.get_by_label("Nieuwe naam voor ‘Wijkcoaches’").fill("Jongeren en wijkcoaches")
    searches.get_by_role("button", name="Naam wijzigen").click()
    expect(a.get_by_role("status")).to_contain_text("De zoekopdracht heet nu ‘Jongeren en wijkcoaches’.")
    main.get_by_role("region", name=re.compile("^Thema's")).get_by_role("button", name="Niet meer volgen").click()
    expect(a).to_have_url(re.compile(r"/account/volgt$"))
    expect(main.get_by_role("region", name=re.compile("^Thema's"))).to_contain_text("U volgt geen thema's.")

    # The same pages on a phone-sized screen: nothing scrolls sideways, still accessible.
    phone = new_page(viewport=MOBILE)
    log_in(phone, "a@amsterdam.nl")
    for path in ("/account/volgt", "/themas", "/themas/jeugd", "/search?q=wijkcoach+jongeren"):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert_accessible(phone)
