"""API tokens in the browser: make one, see it exactly once, use it, revoke it after confirming; the tokens page,
its errors, the confirmation and the API docs checked with axe-core at 1280 px and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"
WIDEST = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
    ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
)  # what sticks out, for the failure message


def test_make_a_token_see_it_once_use_it_and_revoke_it(page, log_in, assert_accessible):
    user = make_user(email="koppeling@example.nl", name="Bo")
    log_in(page, user.email)
    page.goto("/account/profile")
    page.get_by_role("link", name="API-tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-tokens")
    assert_accessible(page)

    page.get_by_role("button", name="Token maken").click()  # no name: the field says so
    expect(page.get_by_role("alert")).to_contain_text("Dit veld is verplicht.")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Naam")).fill("Zaaksysteem")
    page.get_by_label("Rechten").select_option("write")
    page.get_by_label("Geldig").select_option("30")
    page.get_by_role("button", name="Token maken").click()
    shown = page.locator("#nieuw-token")
    expect(shown).to_have_text(re.compile(r"^pst_[\w-]{40,}$"))
    token = shown.inner_text()
    expect(page.get_by_role("status")).to_contain_text("U ziet het maar één keer")
    expect(page.get_by_role("cell", name="Zaaksysteem", exact=True)).to_be_visible()
    assert_accessible(page)

    page.goto("/account/tokens")  # the token was in that one answer only
    expect(page.locator("#nieuw-token")).to_have_count(0)
    assert token not in page.content()
    expect(page.get_by_text(token[:10] + "…")).to_be_visible()

    answer = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.json()["scopes"] == ["read", "write"]

    page.get_by_role("link", name=re.compile(r"^Intrekken\s*: Zaaksysteem$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Token intrekken")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, token intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("is ingetrokken")
    expect(page.get_by_text("U heeft nog geen tokens.")).to_be_visible()
    assert page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status == 401


def test_tokens_page_and_api_docs_are_accessible_on_a_phone(new_page, log_in, assert_accessible, subtests):
    page = new_page(viewport=MOBILE)
    log_in(page, make_user(email="telefoon@example.nl", name="Ans").email)
    page.goto("/account/tokens")
    page.get_by_label(re.compile(r"^Naam")).fill("Een script met een lange naam voor de rapportage")
    page.get_by_role("button", name="Token maken").click()
    expect(page.locator("#nieuw-token")).to_be_visible()
    page.wait_for_load_state("load")  # measured with the style sheets, not before them
    for path in (None, "/account/tokens", "/api/v1/docs"):
        if path:
            page.goto(path)
        with subtests.test(path=path or "na het maken"):
            wide = page.evaluate(WIDEST)
            assert page.evaluate(FITS_SCREEN), f"{page.url} scrolls sideways at 375 px: {wide}"
            assert_accessible(page)
    expect(page.get_by_role("heading", name="Aanmelden met een API-token")).to_be_visible()
