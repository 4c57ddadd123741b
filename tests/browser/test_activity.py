"""The activity page in the browser: filter it with the GET form, follow an edit's diff link, page back
and forth; and a VNG staff member makes a calendar link. axe-core checks each page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.pilots import PilotText, edit_pilot
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def activity() -> str:
    anna = make_user("GM0344", name="Anna de Vries")
    bram = make_user("GM0599", name="Bram Jansen")
    lamps = make_pilot(anna, title="Slimme lantaarnpalen", themes=["duurzaamheid"], body="## Doel\n\nMinder stroom.\n")
    for n in range(30):
        make_pilot(bram, title=f"Datapilot {n}", themes=["data"])
    rev = lamps.current_revision
    text = PilotText(rev.title, rev.summary, "## Doel\n\nDertig procent minder stroom.\n", ["duurzaamheid"], [], "idee",
                     "resultaat ingevuld")  # fmt: skip
    edit_pilot(anna, lamps, text, 1)
    join_pilot(bram, lamps)
    db.session.commit()
    slug = lamps.slug
    db.session.rollback()  # end the read transaction before the server thread writes
    return slug


def test_filter_the_activity_and_follow_a_diff_link(page, activity, assert_accessible):
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Activiteit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activiteit")
    expect(page.get_by_role("link", name="Oudere activiteit")).to_be_visible()
    assert_accessible(page)

    form = page.get_by_role("form", name="Activiteit filteren")
    form.get_by_label("Thema").select_option(label="Duurzaamheid en energie")
    form.get_by_label("Soort").select_option(label="Bewerkingen")
    form.get_by_role("button", name="Toon activiteit").click()
    expect(page).to_have_url(re.compile(r"theme=duurzaamheid.*kind=edit"))
    items = page.locator(".activity-item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Bewerkt door Anna de Vries")
    expect(items.first).to_contain_text("resultaat ingevuld")
    expect(page.get_by_role("link", name="Oudere activiteit")).to_have_count(0)
    assert_accessible(page)

    items.first.get_by_role("link", name=re.compile("Bekijk wijzigingen")).click()
    expect(page).to_have_url(re.compile(rf"/pilots/{activity}/diff\?from=1&to=2"))
    expect(page.locator("ins").filter(has_text="Dertig")).to_have_count(1)


def test_older_activity_and_the_pilots_own_list(page, activity):
    page.goto("/activiteit")
    page.get_by_role("link", name="Oudere activiteit").click()
    expect(page.get_by_role("link", name="Nieuwste activiteit")).to_be_visible()
    expect(page.locator(".activity-item").filter(has_text="Slimme lantaarnpalen").first).to_be_visible()

    page.goto(f"/pilots/{activity}")
    own = page.get_by_role("region", name="Recente activiteit")
    expect(own).to_contain_text("Rotterdam doet mee als partner")
    own.get_by_role("link", name="Alle activiteit van deze pilot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activiteit: Slimme lantaarnpalen")
    expect(page.locator(".activity-item")).to_have_count(3)


def test_staff_make_a_calendar_link(page, log_in, assert_accessible):
    make_user("vng", role="vng_staff", email="agenda@vng.nl")
    log_in(page, "agenda@vng.nl")
    page.goto("/portfolio/meetings")
    panel = page.get_by_role("region", name="In uw eigen agenda")
    panel.get_by_role("button", name="Agenda-link maken").click()
    link = page.get_by_label("Agenda-link")
    expect(link).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/agenda/[\w-]+/portfolio-overleg\.ics$"))
    assert_accessible(page)
    url = link.input_value()
    response = page.request.get(url)
    assert response.status == 200 and b"BEGIN:VCALENDAR" in response.body()
    page.get_by_role("link", name="Terug naar de portfolio-overleggen").click()
    page.get_by_role("region", name="In uw eigen agenda").get_by_role("link", name="Link intrekken").click()
    expect(page.get_by_role("heading", name="Agenda-link intrekken")).to_be_visible()  # asks first
    assert page.request.get(url).status == 200
    page.get_by_role("button", name="Ja, link intrekken").click()
    expect(page.get_by_role("status")).to_contain_text("De agenda-link is ingetrokken")
    assert page.request.get(url).status == 404
