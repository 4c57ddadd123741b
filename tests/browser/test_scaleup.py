"""The scale-up route in a real browser: a participant nominates, VNG flags, plans a meeting, puts the pilot
on the agenda and records the decision; the pilot page then shows it. axe-core checks every new page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

BODY = """## Aanleiding

Burgers melden problemen in de openbare ruimte.

## Resultaten

Volgens Common Ground gebouwd; broncode op GitHub onder EUPL, met DPIA. Kosten: 30.000 euro.
"""


def test_nominate_flag_schedule_decide_and_the_pilot_page_shows_it(new_page, log_in, assert_accessible):
    owner = make_user("GM0344", email="initiatief@utrecht.nl")
    staff = make_user("vng", role="vng_staff", email="portfolio@vng.nl")
    make_pilot(owner, title="Meldingen openbare ruimte", body=BODY, status="lopend", partners=["GM0307"])

    # 1. A participant nominates from the pilot page (the form works without JavaScript).
    page = new_page()
    log_in(page, owner.email)
    page.goto("/pilots/meldingen-openbare-ruimte")
    panel = page.locator("details#opschaling")  # folded: the pilot's own text stays at the top
    expect(panel.get_by_text("Minstens twee deelnemende gemeenten")).to_be_hidden()
    panel.get_by_text("Opschalen? Bekijk de checklist").click()  # opens the <details>
    expect(panel.get_by_text("Minstens twee deelnemende gemeenten")).to_be_visible()
    assert_accessible(page)
    panel.get_by_label("Waarom opschalen?").fill("Werkt in Utrecht en Amersfoort; halveert de afhandeltijd.")
    panel.get_by_role("button", name="Voordragen voor opschaling").click()
    expect(page.get_by_role("status")).to_contain_text("de pilot is voorgedragen voor opschaling")
    expect(page.get_by_role("region", name="Opschaling: Voorgedragen voor opschaling")).to_be_visible()
    assert_accessible(page)

    # 2. VNG staff see the queue on the dashboard and flag the pilot.
    vng = new_page()
    log_in(vng, staff.email)
    vng.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Portfolio").click()
    expect(vng.get_by_role("heading", level=1)).to_have_text("Portfolio: opschaling")
    assert_accessible(vng)
    vng.get_by_role("link", name="Meldingen openbare ruimte").first.click()
    assert_accessible(vng)
    vng.get_by_label("Motivering: waarom opschaalbaar?").fill("Veel gemeenten vragen hierom.")
    vng.get_by_role("button", name="Opschaalbaar: naar het portfolio-overleg").click()
    expect(vng.get_by_role("status")).to_contain_text("opschaalbaar verklaard")

    # 3. Plan a meeting and put the pilot on its agenda (the meeting is today: its decision can be recorded).
    vng.get_by_role("navigation", name="Portfolio").get_by_role("link", name="Portfolio-overleggen").click()
    assert_accessible(vng)
    vng.get_by_role("main").get_by_label("Datum").fill(date.today().isoformat())
    vng.get_by_role("main").get_by_label("Titel", exact=True).fill("Portfolio-overleg december")
    vng.get_by_role("button", name="Overleg aanmaken").click()
    expect(vng.get_by_role("heading", level=1)).to_have_text("Portfolio-overleg december")
    vng.get_by_label("Pilot", exact=True).select_option(label="Meldingen openbare ruimte")
    vng.get_by_role("button", name="Op de agenda zetten").click()
    expect(vng.get_by_role("status")).to_contain_text("staat op de agenda")
    assert_accessible(vng)
    meeting_url = vng.url
    vng.get_by_role("link", name="Agenda afdrukken").click()
    expect(vng.get_by_role("heading", level=1)).to_have_text("Agenda: Portfolio-overleg december")
    assert_accessible(vng)
    vng.goto(meeting_url)

    # 4. Record the decision.
    vng.get_by_role("link", name=re.compile(r"^Besluit vastleggen\W+Meldingen openbare ruimte")).click()
    vng.get_by_label("Besluit", exact=True).select_option("opschalen")
    vng.get_by_label("Motivering van het besluit").fill("Breed bruikbaar en al in twee gemeenten bewezen.")
    vng.get_by_label("Vervolgacties").fill("VNG Realisatie maakt er een bouwblok van")
    vng.get_by_role("button", name="Besluit vastleggen").click()
    expect(vng.get_by_role("status")).to_contain_text("Het besluit is vastgelegd")
    assert_accessible(vng)
    vng.goto("/portfolio/audit?action=scaleup.")
    expect(vng.get_by_text("4 gebeurtenissen")).to_be_visible()
    assert_accessible(vng)

    # 5. The pilot page shows the decision and the route, for everyone.
    page.goto("/pilots/meldingen-openbare-ruimte")
    panel = page.get_by_role("region", name="Opschaling: Wordt opgeschaald")
    expect(panel).to_contain_text("Breed bruikbaar en al in twee gemeenten bewezen.")
    expect(panel).to_contain_text("VNG Realisatie maakt er een bouwblok van")
    expect(panel.get_by_role("list").last).to_contain_text("Portfolio-overleg december")
    assert_accessible(page)
    public = new_page()
    public.goto("/portfolio/opgeschaald")
    expect(public.get_by_role("link", name="Meldingen openbare ruimte")).to_be_visible()
    assert_accessible(public)
