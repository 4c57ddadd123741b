"""Two people edit the same paragraph at once; the second resolves the conflict with the keyboard only,
choosing per part between "Uw versie" and the other's version. Checked with axe, and at 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pilotstarter_web.extensions import db
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

ANNA, BART = "anna@utrecht.nl", "bart@rotterdam.nl"
SLUG = "slimme-bruggen"
BODY = "## Aanpak\n\nWe plaatsen sensoren.\n\n## Resultaat\n\nNog niet bekend.\n\n## Kosten\n\nOnbekend.\n"
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def bridge() -> None:
    anna = make_user("GM0344", email=ANNA, name="Anna de Vries")
    make_user("GM0599", email=BART, name="Bart Smit")
    make_pilot(anna, title="Slimme bruggen", body=BODY, status="lopend")
    db.session.commit()
    db.session.rollback()  # end the read transaction before the server thread writes


def change_description(page: Page, old: str, new: str) -> None:
    page.goto(f"/pilots/{SLUG}/edit")
    body = page.get_by_role("main").get_by_label("Beschrijving")
    body.fill(body.input_value().replace(old, new))


def test_two_people_edit_one_paragraph_and_resolve_it_by_keyboard(new_page, bridge, log_in, assert_accessible):
    anna, bart = new_page(), new_page()
    log_in(anna, ANNA)
    log_in(bart, BART)
    change_description(anna, "Nog niet bekend.", "Dertig procent minder onderhoud.\nDe lijst bevat 6 bruggen.")
    change_description(bart, "Nog niet bekend.", "Twintig procent minder onderhoud.\nDe lijst bevat 6 bruggen.")
    bart.get_by_role("main").get_by_label("Beschrijving").fill(
        bart.get_by_role("main").get_by_label("Beschrijving").input_value().replace("Onbekend.", "€ 40.000.")
    )
    bart.get_by_role("button", name="Wijziging opslaan").click()
    expect(bart.get_by_text("Uw wijziging is opgeslagen.")).to_be_visible()

    anna.get_by_role("button", name="Wijziging opslaan").click()
    expect(anna.get_by_role("alert").filter(has_text="Bewerkingsconflict")).to_be_visible()
    part = anna.get_by_role("group", name="Conflict 1 van 1")
    expect(part.get_by_role("heading", name="Uw versie")).to_be_visible()
    expect(part.get_by_role("heading", name="De versie van Bart Smit")).to_be_visible()
    expect(part).to_contain_text("Dertig procent minder onderhoud.")
    expect(part).to_contain_text("Twintig procent minder onderhoud.")
    expect(part).not_to_contain_text("De lijst bevat 6 bruggen.")  # the line both wrote is agreed text, shown once
    assert anna.get_by_text("De lijst bevat 6 bruggen.").count() == 1
    assert "<<<<<<<" not in anna.content() and ">>>>>>>" not in anna.content()
    assert_accessible(anna)

    # Keyboard only: into the choices, the arrow key moves from "Uw versie houden" to the other's version.
    mine = part.get_by_role("radio", name="Uw versie houden")
    mine.focus()
    anna.keyboard.press("Space")
    expect(mine).to_be_checked()
    anna.keyboard.press("ArrowDown")
    expect(part.get_by_role("radio", name="De versie van Bart Smit houden")).to_be_checked()
    anna.keyboard.press("ArrowDown")
    expect(part.get_by_role("radio", name="Allebei houden (uw versie eerst)")).to_be_focused()
    anna.keyboard.press("Tab")  # to the text for "zelf aanpassen"
    expect(part.get_by_role("textbox")).to_be_focused()
    anna.get_by_role("button", name="Wijziging opslaan").focus()
    anna.keyboard.press("Enter")

    expect(anna).to_have_url(re.compile(rf"/pilots/{SLUG}$"))
    text = anna.get_by_role("main").locator(".markdown-body")
    expect(text).to_contain_text("Dertig procent minder onderhoud.")
    expect(text).to_contain_text("Twintig procent minder onderhoud.")  # both kept, Anna's first
    expect(text).to_contain_text("€ 40.000.")  # Bart's other change was merged in
    assert text.inner_text().count("De lijst bevat 6 bruggen.") == 1


def test_conflict_page_fits_a_phone_and_asks_for_every_choice(new_page, bridge, log_in, assert_accessible):
    anna = new_page(viewport={"width": 375, "height": 740})
    bart = new_page()
    log_in(anna, ANNA)
    log_in(bart, BART)
    change_description(anna, "Nog niet bekend.", "Dertig procent.")
    change_description(bart, "Nog niet bekend.", "Twintig procent.")
    bart.get_by_role("button", name="Wijziging opslaan").click()
    expect(bart.get_by_role("heading", name="Slimme bruggen", level=1)).to_be_visible()
    anna.get_by_role("button", name="Wijziging opslaan").click()
    expect(anna.get_by_role("group", name="Conflict 1 van 1")).to_be_visible()
    assert anna.evaluate(FITS_SCREEN)
    anna.get_by_role("button", name="Wijziging opslaan").click()  # no choice made
    error = anna.get_by_role("alert").filter(has_text="Kies bij elk conflict")
    expect(error).to_be_visible()
    error.get_by_role("link", name="Kies welke tekst u houdt bij conflict 1.").click()
    assert anna.evaluate(FITS_SCREEN)
    assert_accessible(anna)
    part = anna.get_by_role("group", name="Conflict 1 van 1")
    own = part.get_by_role("textbox")
    expect(own).to_have_value("Dertig procent.\nTwintig procent.\n")  # "both" to start from
    own.fill("Vijfentwintig procent.")
    expect(part.get_by_role("radio", name="Allebei houden en zelf aanpassen")).to_be_checked()
    anna.get_by_role("button", name="Wijziging opslaan").click()
    expect(anna.get_by_text("Uw wijziging is opgeslagen.")).to_be_visible()
    text = anna.get_by_role("main").locator(".markdown-body")
    expect(text).to_contain_text("Vijfentwintig procent.")
    expect(text).not_to_contain_text("Twintig procent.")
