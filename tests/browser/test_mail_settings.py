"""Mail settings in the browser: from the profile to a saved choice, one-click unsubscribe from a mail's link,
and the admin's outbox page; axe finds nothing, and at 375 px nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from pilotstarter_web.models import OutboxMail
from pilotstarter_web.services import mail_preferences
from tests.factories import make_user

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"
JOINED = "Een organisatie doet mee met uw pilot"


def test_a_member_chooses_a_daily_digest_from_the_profile(new_page, log_in, assert_accessible):
    user = make_user(email="lezer@example.nl")
    db.session.rollback()
    page = new_page(viewport=MOBILE)
    log_in(page, "lezer@example.nl")
    page.goto("/account/profile")
    page.get_by_role("link", name="E-mailinstellingen").click()
    expect(page.get_by_role("heading", name="E-mailinstellingen")).to_be_visible()
    assert page.evaluate(FITS_SCREEN), "the page scrolls sideways"
    assert_accessible(page)
    choice = page.get_by_label(JOINED)
    expect(choice).to_have_value("immediately")
    choice.select_option(label="Dagelijkse samenvatting")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw e-mailinstellingen zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_label(JOINED)).to_have_value("daily")
    assert_accessible(page)
    db.session.rollback()
    assert mail_preferences.for_user(user)["pilot.joined"] == "daily"


def test_unsubscribing_from_a_mail_link_without_logging_in(page, assert_accessible):
    user = make_user(email="afmelden@example.nl")
    token = mail_preferences.unsubscribe_token(user, "pilot.edited")
    db.session.rollback()
    page.goto(f"/account/mail/unsubscribe/{token}")
    expect(page.get_by_text("afmelden@example.nl")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("status")).to_contain_text("U bent afgemeld")
    assert_accessible(page)
    db.session.rollback()
    assert mail_preferences.for_user(user)["pilot.edited"] == "never"
    response = page.goto(f"/account/mail/unsubscribe/{token[:-3]}abc")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Deze afmeldlink is ongeldig of beschadigd")
    assert_accessible(page)


def test_the_admin_outbox_page_with_a_failed_mail(new_page, log_in, assert_accessible):
    make_user("vng", role="admin", email="beheer@vng.nl")
    user = make_user(email="kapot@example.nl")
    db.session.add(
        OutboxMail(user_id=user.id, to_address=user.email, kind="account.password_reset", subject="x", body="y",
                   status="failed", attempts=8, last_error="ConnectionRefusedError: [Errno 111] Connection refused")
    )  # fmt: skip
    db.session.commit()
    for viewport in ({"width": 1280, "height": 900}, MOBILE):
        page = new_page(viewport=viewport)
        log_in(page, "beheer@vng.nl")
        page.goto("/admin/accounts")
        page.get_by_role("link", name="E-mail: wachtrij en mislukte e-mails").click()
        expect(page.get_by_role("table")).to_contain_text("kapot@example.nl")
        assert page.evaluate(FITS_SCREEN), "the page scrolls sideways"
        assert_accessible(page)
    page.get_by_role("button", name="Opnieuw versturen kapot@example.nl").click()
    expect(page.get_by_text("1 e-mail staat weer in de wachtrij.")).to_be_visible()
    expect(page.get_by_text("Er zijn geen mislukte e-mails.")).to_be_visible()
