"""Two-factor login in the browser, as VNG staff meet it: forced enrolment with the QR code, the recovery
codes, the code step at the next login, and the sessions page; every page checked with axe-core."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.browser


@pytest.fixture
def two_factor_required(app):
    before = app.config["TWO_FACTOR_REQUIRED_ROLES"]
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = ("vng_staff", "admin")
    yield
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = before


def test_staff_enrol_then_log_in_with_a_code(page, log_in, assert_accessible, two_factor_required):
    staff = make_user("vng", role="vng_staff", email="curator@vng.nl")
    log_in(page, staff.email)
    expect(page).to_have_url(re.compile(r"/account/two-factor$"))
    expect(page.get_by_role("status")).to_contain_text("Voor uw rol is tweestapsverificatie verplicht.")
    assert_accessible(page)

    page.get_by_role("button", name="Tweestapsverificatie instellen").click()
    expect(page.get_by_role("img", name="QR-code voor uw authenticator-app")).to_be_visible()
    assert_accessible(page)
    secret = page.locator(".totp-secret").inner_text().replace(" ", "")
    page.get_by_label(re.compile(r"^Code uit de app")).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bevestigen en aanzetten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie staat aan")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)

    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/account/login")
    main = page.get_by_role("main")
    main.get_by_label("E-mailadres").fill(staff.email)
    main.get_by_label("Wachtwoord").fill(PASSWORD)
    main.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    main.get_by_role("button", name="Inloggen").click()  # empty: the error summary names the field
    expect(page.get_by_role("alert")).to_contain_text("Code: Dit veld is verplicht.")
    assert_accessible(page)
    main.get_by_label(re.compile(r"^Code\b")).fill(totp_code(staff))
    main.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    pages = [("/account/sessions", "Ingelogde apparaten"), ("/account/password", "Wachtwoord wijzigen")]
    for path, heading in [("/account/two-factor", "Tweestapsverificatie"), *pages]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord wijzigen")
