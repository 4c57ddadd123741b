"""The whole way through, as people do it: register, wait for verification, write a pilot, edit it,
compare revisions. Controls are found by their labels and roles, as a screen reader user finds them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

EMAIL = "fatima.elamrani@utrecht.nl"
NAME = "Fatima El Amrani"


def register(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registreren")
    main = page.get_by_role("main")
    main.get_by_label("E-mailadres").fill(EMAIL)
    main.get_by_label(re.compile(r"^Naam\b")).fill(NAME)
    organisation = main.get_by_label("Organisatie", exact=True)
    organisation.fill("Utrecht")
    # The field searches a <datalist>; the browser's suggestion popup is native UI, so pick the option a
    # user would see for "Utrecht" and type it, as choosing it does.
    list_id = organisation.get_attribute("list")
    options = page.locator(f"datalist#{list_id} option").evaluate_all("els => els.map(e => e.value)")
    choice = next(o for o in options if o.startswith("Utrecht ["))
    assert choice == "Utrecht [GM0344]"
    organisation.fill(choice)
    main.get_by_label(re.compile(r"^Wachtwoord")).fill(PASSWORD)
    main.get_by_label(re.compile(r"^Herhaal wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()


def test_register_verify_write_edit_and_compare(new_page, log_in):
    # 1. Register through the form.
    page = new_page()
    register(page)
    expect(page.get_by_role("status")).to_contain_text("Controleer uw e-mail")  # the same for a known address
    log_in(page, EMAIL)
    page.goto("/account/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn profiel")
    expect(page.get_by_role("link", name="Utrecht", exact=True)).to_be_visible()

    # 2. Unverified: reading yes, writing no — and the page says so.
    expect(page.get_by_text("Tot die tijd kunt u alles lezen, maar nog niets schrijven.")).to_be_visible()
    expect(page.get_by_text("niet geverifieerd", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Nieuwe pilot")).to_have_count(0)
    response = page.goto("/pilots/new")
    assert response.status == 403
    expect(page.get_by_role("main")).to_contain_text("Uw account is nog niet geverifieerd.")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd.")

    # 3. An admin verifies the account, in a browser of their own.
    make_user("vng", role="admin", email="beheer@vng.nl")
    admin_page = new_page()
    log_in(admin_page, "beheer@vng.nl")
    admin_page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beheer").click()
    expect(admin_page).to_have_url(re.compile(r"/admin/accounts$"))
    row = admin_page.get_by_role("region", name="Accounts verifiëren").get_by_role("row").filter(has_text=EMAIL)
    expect(row).to_contain_text("Utrecht")
    row.get_by_role("button", name=f"Verifiëren {NAME}").click()
    expect(admin_page.get_by_role("status")).to_contain_text(f"{NAME} ({EMAIL}) is geverifieerd")
    expect(admin_page.get_by_text("Er wachten geen accounts op verificatie.")).to_be_visible()

    # 4. The user logs in and writes a pilot.
    log_in(page, EMAIL)
    expect(page.get_by_text("niet geverifieerd", exact=True)).to_have_count(0)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe pilot").click()
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"^Titel\b")).fill("Slimme lantaarnpalen")
    main.get_by_label("Korte samenvatting").fill("Lantaarnpalen die dimmen als er niemand is.")
    main.get_by_label("Beschrijving").fill(
        "## Aanleiding\n\nDe palen branden **de hele nacht**.\n\n## Aanpak\n\n- sensoren plaatsen\n- dimmen\n"
    )
    main.get_by_role("group", name="Thema's").get_by_label("Duurzaamheid en energie").check()
    main.get_by_label("Status").select_option(label="Partners gezocht")
    page.get_by_role("button", name="Pilot publiceren").click()

    # 5. The rendered page.
    expect(page).to_have_url(re.compile(r"/pilots/slimme-lantaarnpalen$"))
    expect(page.get_by_role("status")).to_contain_text("Uw pilot is gepubliceerd.")
    article = page.get_by_role("article")
    expect(article.get_by_role("heading", level=1)).to_have_text("Slimme lantaarnpalen")
    expect(article.get_by_role("heading", name="Aanleiding")).to_be_visible()
    expect(article.locator(".markdown-body strong")).to_have_text("de hele nacht")
    expect(article.get_by_role("listitem").filter(has_text="sensoren plaatsen")).to_be_visible()
    expect(article.get_by_role("link", name="Duurzaamheid en energie")).to_be_visible()
    expect(article.get_by_text("Partners gezocht")).to_be_visible()
    expect(page.get_by_role("complementary", name="Over deze pilot")).to_contain_text("Utrecht")

    # 6. Edit it with an edit summary.
    article.get_by_role("link", name="Bewerken", exact=True).click()
    body = main.get_by_label("Beschrijving")
    body.fill(body.input_value().replace("- dimmen\n", "- dimmen tot twintig procent\n"))
    main.get_by_label("Samenvatting van uw wijziging").fill("dimniveau toegevoegd")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw wijziging is opgeslagen.")
    expect(
        page.get_by_role("article").get_by_role("listitem").filter(has_text="dimmen tot twintig procent")
    ).to_be_visible()

    # 7. History: two revisions, the newest with the edit summary.
    page.get_by_role("link", name="2 revisies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Geschiedenis")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # header + two revisions
    expect(rows.nth(1)).to_contain_text("Revisie 2")
    expect(rows.nth(1)).to_contain_text("dimniveau toegevoegd")
    expect(rows.nth(1)).to_contain_text(NAME)
    expect(main.get_by_label("Vergelijk vanaf revisie 1")).to_be_checked()
    expect(main.get_by_label("Vergelijk tot revisie 2")).to_be_checked()

    # 8. The diff between revision 1 and 2 shows the inserted words.
    page.get_by_role("button", name="Vergelijk gekozen revisies").click()
    expect(page).to_have_url(re.compile(r"/pilots/slimme-lantaarnpalen/diff\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verschillen tussen revisie 1 en 2")
    changes = page.locator(".diff-text")
    expect(changes.get_by_role("insertion")).to_have_count(1)
    expect(changes.get_by_role("insertion")).to_have_text(re.compile(r"^toegevoegd:\s+tot twintig procent$"))
    expect(changes.get_by_role("deletion")).to_have_count(0)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/pilots")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).not_to_be_in_viewport()  # off screen until focused
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#inhoud$"))
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab stop is inside the main content, past the site navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    expect(page.get_by_role("main").get_by_label("Soort", exact=True)).to_be_focused()


def test_browser_tests_run_with_csrf_protection(page):
    """The forms above passed real CSRF checks: a post without the form's token is refused."""
    page.goto("/account/login")
    response = page.request.post("/account/login", form={"email": "iemand@example.nl", "password": PASSWORD})
    assert response.status == 400
    assert page.get_by_role("main").locator("input[name=csrf_token]").input_value()
