"""Duplicates in a real browser: the warning while typing a new pilot, joining instead, and the staff
"dubbel van" and merge, with axe-core on every state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Participation
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."
TITLE = "Digitale overlijdensaangifte door uitvaartondernemers"


def existing():
    return make_pilot(make_user("GM0200"), title=TITLE, body=FUNERAL, summary="Aangifte van overlijden online.")


def write_a_duplicate(page: Page) -> None:
    page.goto("/pilots/new")
    main = page.get_by_role("main")
    main.get_by_label("Titel").fill("Overlijdensaangifte digitaal door uitvaartondernemers")
    main.get_by_label("Korte samenvatting").press_sequentially("Aangifte van overlijden online.", delay=5)
    main.get_by_label("Beschrijving").fill(FUNERAL + "\n\nOnze eigen aanpak.")


def test_typing_a_duplicate_warns_and_joining_makes_the_organisation_a_partner(page, log_in, assert_accessible):
    main_pilot = existing()
    user = make_user("GM0344")
    log_in(page, user.email)
    write_a_duplicate(page)
    panel = page.get_by_role("region", name="Lijkt op bestaande pilots")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(TITLE)
    expect(panel).to_contain_text(re.compile("(waarschijnlijk|mogelijk) dubbel"))
    # beside the title and summary as they are typed, not under the body's textarea
    box, title = panel.bounding_box(), page.get_by_role("textbox", name=re.compile("^Titel")).bounding_box()
    assert box["y"] < page.get_by_label("Beschrijving").bounding_box()["y"] and box["x"] > title["x"] + title["width"]
    # Screen readers hear a short count, not the whole panel.
    expect(page.get_by_role("status").filter(has_text="vergelijkbare pilot")).to_have_text(
        re.compile(r"^\d+ vergelijkbare pilots? gevonden, waarvan 1 mogelijk dubbel$")
    )
    assert_accessible(page)
    # Enter in a field publishes as before, which stops at the check step: nothing joined, nothing saved.
    page.get_by_role("main").get_by_label("Titel").press("Enter")
    expect(page.get_by_text("Uw pilot is nog niet gepubliceerd.")).to_be_visible()
    expect(page.get_by_label("Beschrijving")).to_have_value(re.compile("Onze eigen aanpak"))
    expect(panel.get_by_role("button", name="Ik heb deze pilots bekeken; toch publiceren")).to_be_visible()
    assert_accessible(page)
    panel.get_by_role("button", name=re.compile("^Doe mee met deze pilot")).click()
    # the text written is kept: offered as a contribution in the joined pilot's editor, saved when the writer says
    expect(page.get_by_text("Utrecht doet nu mee aan deze pilot.")).to_be_visible()
    body = page.get_by_label("Beschrijving")
    expect(body).to_have_value(
        re.compile(r"## Bijdrage van Utrecht: Overlijdensaangifte digitaal[\s\S]*Onze eigen aanpak")
    )
    assert_accessible(page)
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.get_by_text("Uw wijziging is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Onze eigen aanpak")
    expect(page.locator("#deelnemers")).to_contain_text("Utrecht")
    db.session.rollback()  # a fresh read: the server committed on its own connection
    part = db.session.scalar(
        select(Participation).where(
            Participation.pilot_id == main_pilot.id, Participation.organisation_id == user.organisation_id
        )
    )
    assert part is not None and part.role == "partner"


def test_on_a_phone_the_panel_comes_right_under_the_summary(page, log_in):
    existing()
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, make_user("GM0344").email)
    write_a_duplicate(page)
    panel = page.get_by_role("region", name="Lijkt op bestaande pilots")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert page.get_by_label("Korte samenvatting").bounding_box()["y"] < box["y"]
    assert box["y"] < page.get_by_label("Beschrijving").bounding_box()["y"]
    assert box["x"] + box["width"] <= 375


def test_starting_a_new_pilot_anyway_keeps_the_text_and_publishes(page, log_in):
    existing()
    log_in(page, make_user("GM0344").email)
    write_a_duplicate(page)
    panel = page.get_by_role("region", name="Lijkt op bestaande pilots")
    panel.get_by_role("button", name="Toch een nieuwe pilot starten").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_label("Beschrijving")).to_have_value(re.compile("Onze eigen aanpak"))
    expect(page.get_by_label("Beschrijving")).to_be_focused()
    page.get_by_role("button", name="Pilot publiceren").click()
    expect(page.get_by_text("Uw pilot is gepubliceerd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overlijdensaangifte digitaal door uitvaartondernemers")


def test_staff_mark_and_merge_with_accessible_pages(page, log_in, assert_accessible):
    main_pilot = existing()
    dup = make_pilot(
        make_user("GM0687"), title="Overlijdensaangifte digitaal door uitvaartondernemers", body=FUNERAL,
        summary="Aangifte van overlijden online.",
    )  # fmt: skip
    log_in(page, make_user("vng", role="vng_staff").email)
    page.goto(f"/pilots/{dup.slug}")
    form = page.get_by_role("region", name="Dubbel van een andere pilot?")
    form.get_by_label("Hoofdpilot").select_option(main_pilot.slug)
    form.get_by_role("button", name="Markeer als dubbel").click()
    expect(page.get_by_text("Deze pilot is een dubbel van")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Samenvoegen met {TITLE}").click()
    expect(page).to_have_url(re.compile(rf"/pilots/{main_pilot.slug}#dubbel-melding$"))
    expect(page.get_by_text("Samengevoegd met deze pilot:")).to_be_visible()
    expect(page.locator("#deelnemers")).to_contain_text(dup.owner.name)  # the duplicate's initiator, now partner
    assert_accessible(page)
    page.goto(f"/pilots/{dup.slug}")
    expect(page).to_have_url(re.compile(rf"/pilots/{main_pilot.slug}$"))
    page.goto(f"/pilots/{dup.slug}/history")
    expect(page.get_by_text("samengevoegd met")).to_be_visible()
    assert_accessible(page)
