"""Switching the interface language in the header, anonymous and logged in, without losing one's place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from pilotstarter_web.services.accounts import user_by_email
from tests.factories import PASSWORD, make_pilot, make_user

pytestmark = pytest.mark.browser


def test_a_visitor_reads_a_pilot_in_english_logs_in_and_switches_back(page):
    member = make_user("GM0344", email="taal@utrecht.nl")
    pilot = make_pilot(member, title="Slimme lantaarnpalen", summary="Licht als het nodig is.", themes=["jeugd"])
    db.session.commit()
    db.session.rollback()
    page.goto(f"/pilots/{pilot.slug}?tab=1")

    switch = page.get_by_role("link", name="English")
    expect(switch).to_have_attribute("hreflang", "en")
    expect(switch).to_have_attribute("lang", "en")
    switch.click()
    expect(page).to_have_url(f"/pilots/{pilot.slug}?tab=1")  # the same page, in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Organisations")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Slimme lantaarnpalen")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("link", name="Youth")).to_be_visible()  # the theme, as search knows it in English

    page.get_by_role("link", name="Log in", exact=True).first.click()
    main = page.get_by_role("main")
    main.get_by_label("E-mail address").fill("taal@utrecht.nl")
    main.get_by_label("Password").fill(PASSWORD)
    main.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()  # the choice survived the login

    page.goto(f"/pilots/{pilot.slug}")
    back = page.get_by_role("button", name="Nederlands")
    expect(back).to_have_attribute("lang", "nl")
    back.click()
    expect(page).to_have_url(f"/pilots/{pilot.slug}")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Organisaties")).to_be_visible()
    page.get_by_role("button", name="English").click()  # logged in, the choice is also kept on the account
    expect(page.locator("html")).to_have_attribute("lang", "en")
    db.session.rollback()
    assert user_by_email("taal@utrecht.nl").locale == "en"
