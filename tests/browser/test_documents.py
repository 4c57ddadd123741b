"""Documents in a browser: the team uploads a file with the form (no JavaScript needed), sees it listed, adds a
version; a refused file comes back with an error summary. Every page passes axe at 1280 px and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from tests.attachment_samples import HTML, PDF
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
OWNER = "team@utrecht.nl"


@pytest.fixture(autouse=True)
def own_storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DATA_DIR", str(tmp_path))


@pytest.fixture
def slug() -> str:
    owner = make_user("GM0344", email=OWNER)
    pilot = make_pilot(owner, title="Slimme lantaarnpalen", partners=["GM0307"], status="lopend")
    db.session.commit()
    slug = pilot.slug
    db.session.rollback()  # end the read transaction before the server thread writes
    return slug


def test_the_team_uploads_a_document_and_sees_it_listed(new_page, log_in, assert_accessible, slug):
    page = new_page()
    log_in(page, OWNER)
    page.goto(f"/pilots/{slug}")
    section = page.locator("section#documenten")
    expect(section.get_by_text("Nog geen documenten.")).to_be_visible()
    assert_accessible(page)  # the open upload form of an entry without documents
    section.get_by_label("Soort document").select_option("evaluatie")
    section.get_by_label("Titel").fill("Evaluatie eerste jaar")
    section.get_by_label("Bestand").set_input_files(
        files=[{"name": "evaluatie.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    section.get_by_role("button", name="Document uploaden").click()
    expect(page.get_by_role("status")).to_contain_text("Evaluatie eerste jaar")
    row = page.locator("section#documenten tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Evaluatie")
    expect(row).to_contain_text("evaluatie.pdf")
    expect(row).to_contain_text("versie 1")
    assert_accessible(page)
    page.locator("section#documenten summary").click()  # the folded form, now that there is a document
    assert_accessible(page)

    # A new version on the document's page keeps the first.
    row.get_by_role("link", name="versie 1").click()
    page.get_by_label("Bestand").set_input_files(
        files=[{"name": "evaluatie-v2.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("Toelichting bij deze versie").fill("Met de cijfers van december")
    page.get_by_role("button", name="Versie uploaden").click()
    expect(page.get_by_role("table")).to_contain_text("evaluatie-v2.pdf")
    expect(page.get_by_role("table")).to_contain_text("Met de cijfers van december")
    assert_accessible(page)
    phone = new_page(viewport=MOBILE)
    log_in(phone, OWNER)
    phone.goto(page.url)
    assert_accessible(phone)
    phone.goto(f"/pilots/{slug}#documenten")
    expect(phone.locator("section#documenten tbody tr")).to_contain_text("versie 2")
    assert_accessible(phone)


def test_a_refused_file_shows_an_error_summary(new_page, log_in, assert_accessible, slug):
    for viewport in ({"width": 1280, "height": 900}, MOBILE):
        page = new_page(viewport=viewport)
        log_in(page, OWNER)
        page.goto(f"/pilots/{slug}/documenten/nieuw")
        assert_accessible(page)
        page.get_by_label("Soort document").select_option("dpia")
        page.get_by_role("textbox", name="Titel", exact=True).fill("DPIA")
        page.get_by_label("Bestand").set_input_files(
            files=[{"name": "dpia.pdf", "mimeType": "application/pdf", "buffer": HTML}]
        )
        page.get_by_role("button", name="Document uploaden").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Controleer het formulier")
        expect(alert).to_contain_text("HTML")
        assert_accessible(page)
