"""VNG staff find a group of municipalities working on the same thing and introduce them; axe on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from tests.factories import make_user
from tests.web.matchmaking.test_cluster_pages import corpus

pytestmark = pytest.mark.browser

STAFF = "curator@vng.nl"


def test_staff_introduce_a_cluster(page, log_in, assert_accessible):
    funeral, _ = corpus()
    make_user("VNG", role="vng_staff", email=STAFF)
    db.session.rollback()  # end the read transaction before the server thread writes
    log_in(page, STAFF)
    page.goto("/portfolio/clusters")
    page.get_by_label("Hoe sterk moeten pilots lijken?").select_option("ruim")
    page.get_by_role("button", name="Tonen").click()
    group = page.get_by_role("region", name="3 organisaties werken aan")
    for p in funeral:
        expect(group.get_by_role("link", name=p.title)).to_be_visible()
    assert_accessible(page)
    group.get_by_role("button", name="Breng deze organisaties met elkaar in contact").click()
    expect(page.get_by_role("status").first).to_contain_text("3 meldingen verstuurd.")
    expect(page.get_by_label("Hoe sterk moeten pilots lijken?")).to_have_value("ruim")
    assert_accessible(page)
