"""The open-data page and the pilot list's download links: accessible at 1280 and 375 px, no sideways scroll,
and the links carry the list's filters (the same pages are in test_accessibility.py's lists)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import FITS_SCREEN, MOBILE
from tests.factories import make_pilot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, MOBILE], ids=["1280", "375"])
def test_open_data_page_and_list_links_are_accessible(new_page, assert_accessible, viewport):
    make_pilot(title="Slimme lantaarnpalen", themes=["duurzaamheid"], status="lopend")
    page = new_page(viewport=viewport)
    page.goto("/open-data")
    expect(page.get_by_role("heading", level=1, name="Open data")).to_be_visible()
    expect(page.get_by_role("link", name="Alle pilots als CSV")).to_have_attribute("href", "/export/pilots.csv")
    assert page.evaluate(FITS_SCREEN), "/open-data scrolls sideways"
    assert_accessible(page)
    page.goto("/pilots?theme=duurzaamheid&status=lopend")
    csv_link = page.get_by_role("link", name="CSV", exact=True)
    expect(csv_link).to_have_attribute("href", "/export/pilots.csv?theme=duurzaamheid&status=lopend")
    assert page.evaluate(FITS_SCREEN), "/pilots scrolls sideways"
    assert_accessible(page)
    with page.expect_download() as download:
        csv_link.click()
    assert download.value.suggested_filename.startswith("pilotstarter-pilots-")
