"""Challenge calls in a real browser — the done-when test: staff open a call, two municipalities submit a
challenge together, the call closes, two committee members score, staff publish the selection with reasons,
a supplier proposes, the lead accepts, and the public call page shows it. axe-core checks every new page, at
1280 px and (for the committee's second member, the supplier and the public) at 375 px."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import FITS_SCREEN, MOBILE
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_call_from_opening_to_an_accepted_proposal(new_page, log_in, assert_accessible):
    staff = make_user("vng", role="vng_staff", email="oproepen@vng.example")
    lead = make_user("GM0344", email="penvoerder@utrecht.example")
    co = make_user("GM0307", email="mede@amersfoort.example")
    judges = [make_user("GM0363", email="jury1@amsterdam.example"), make_user("vng", email="jury2@vng.example")]
    supplier = make_user("datalab-noord", email="aanbod@datalab.example")

    def fits_and_accessible(page) -> None:
        assert page.evaluate(FITS_SCREEN), "the page scrolls sideways"
        assert_accessible(page)

    # 1. Staff make the call, put two members on the committee and open it.
    vng = new_page()
    log_in(vng, staff.email)
    vng.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Oproepen").click()
    vng.get_by_role("link", name="Nieuwe oproep").click()
    assert_accessible(vng)
    main = vng.get_by_role("main")
    main.get_by_label("Titel").fill("Innovatieoproep 2027")
    main.get_by_label("Beschrijving").fill("Dien **samen** een challenge in.")
    main.get_by_label("Open vanaf").fill(date.today().isoformat())
    main.get_by_label("Sluitingsdatum").fill((date.today() + timedelta(days=30)).isoformat())
    main.get_by_role("button", name="Opslaan").click()
    expect(vng.get_by_role("status")).to_contain_text("aangemaakt als concept")
    assert_accessible(vng)
    vng.get_by_role("link", name=re.compile("^Commissie")).click()
    for judge in judges:
        vng.get_by_label("E-mailadres van het commissielid").fill(judge.email)
        vng.get_by_role("button", name="Toevoegen aan de commissie").click()
        expect(vng.get_by_role("status")).to_contain_text("zit nu in de commissie")
    assert_accessible(vng)
    vng.get_by_role("link", name="Terug naar de oproep").click()
    vng.get_by_role("button", name="Oproep openstellen").click()
    expect(vng.get_by_role("status")).to_contain_text("De oproep is open")
    call_url = vng.url

    # 2. Utrecht starts a challenge and invites Amersfoort.
    utrecht = new_page()
    log_in(utrecht, lead.email)
    utrecht.goto("/oproepen")
    assert_accessible(utrecht)
    utrecht.get_by_role("link", name="Innovatieoproep 2027").click()
    utrecht.get_by_role("link", name="Challenge indienen").click()
    assert_accessible(utrecht)
    utrecht.get_by_label("Titel van de nieuwe challenge").fill("Sneller antwoord op vergunningaanvragen")
    utrecht.get_by_label("Samenvatting").fill("Inwoners wachten weken op een eerste reactie.")
    utrecht.get_by_label("Beschrijving van de challenge").fill("## Probleem\n\nAanvragen blijven liggen.")
    utrecht.get_by_label("Cofinanciering door uw organisatie (%)").fill("10")
    utrecht.get_by_role("button", name="Inzending aanmaken").click()
    expect(utrecht.get_by_role("status")).to_contain_text("Nodig nu de medeindieners uit")
    expect(utrecht.get_by_text("Minstens 2 overheden moeten bevestigd hebben (nu 1).")).to_be_visible()
    utrecht.get_by_label("Organisatie").select_option(label="Amersfoort")
    utrecht.get_by_role("button", name="Uitnodigen", exact=True).click()
    expect(utrecht.get_by_role("status")).to_contain_text("uitgenodigd als medeindiener")
    assert_accessible(utrecht)

    # 3. Amersfoort hears of it, confirms and pledges.
    amersfoort = new_page()
    log_in(amersfoort, co.email)
    amersfoort.goto("/notifications")
    amersfoort.get_by_role("link", name=re.compile("mee in te dienen")).click()
    amersfoort.get_by_label("Cofinanciering door uw organisatie (%)").fill("10")
    amersfoort.get_by_role("button", name="Bevestigen: wij dienen mee in").click()
    expect(amersfoort.get_by_role("status")).to_contain_text("dient deze challenge mee in")

    # 4. Utrecht submits: two governments, 20 % together.
    utrecht.reload()
    expect(utrecht.get_by_text("Samen 20% cofinanciering")).to_be_visible()
    utrecht.get_by_role("button", name="Challenge indienen bij de oproep").click()
    expect(utrecht.get_by_role("status")).to_contain_text("ingediend bij de oproep")

    # 5. Staff close the call.
    vng.goto(call_url)
    vng.get_by_role("button", name="Oproep sluiten").click()
    expect(vng.get_by_role("status")).to_contain_text("De oproep is gesloten")

    # 6. Two committee members score every criterion (the second on a phone-sized screen).
    for judge, score, viewport in ((judges[0], "4", None), (judges[1], "5", MOBILE)):
        page = new_page(viewport=viewport) if viewport else new_page()
        log_in(page, judge.email)
        page.goto(call_url)
        page.get_by_role("link", name=re.compile("^Beoordelen")).click()
        fits_and_accessible(page)
        for select in page.get_by_role("main").locator("select").all():
            select.select_option(score)
        for box in page.get_by_role("main").locator("textarea").all():
            box.fill("Helder probleem dat veel gemeenten herkennen.")
        page.get_by_role("button", name="Beoordeling opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("opgeslagen")
        expect(page.get_by_role("heading", name="Scores van de commissie")).to_have_count(
            1 if judge is judges[1] else 0
        )
        fits_and_accessible(page)

    # 7. Staff publish the selection with a reason.
    vng.goto(call_url)
    vng.get_by_role("link", name="Rangorde en selectie").click()
    assert_accessible(vng)
    vng.get_by_label("Selecteren: Sneller antwoord op vergunningaanvragen").check()
    vng.get_by_label(re.compile("^Reden \\(openbaar\\)")).fill("Urgent en in veel gemeenten herkenbaar.")
    vng.get_by_role("button", name="Selectie publiceren").click()
    expect(vng.get_by_role("status")).to_contain_text("De selectie is gepubliceerd")
    vng.get_by_role("link", name="Rangorde en selectie").click()  # now read-only, with the correction forms
    expect(vng.get_by_role("button", name=re.compile("^Toch niet selecteren"))).to_be_visible()
    assert_accessible(vng)

    # 8. A supplier proposes (on a phone-sized screen).
    aanbod = new_page(viewport=MOBILE)
    log_in(aanbod, supplier.email)
    aanbod.goto(call_url)
    aanbod.get_by_role("link", name="Sneller antwoord op vergunningaanvragen").first.click()
    aanbod.get_by_label("Titel van het voorstel").fill("Slimme wachtrij voor aanvragen")
    aanbod.get_by_label("Voorstel", exact=True).fill("Een **wachtrij** die aanvragen sorteert.")
    aanbod.get_by_label("Prijs in euro's (optioneel)").fill("45000")
    aanbod.get_by_role("button", name="Voorstel versturen").click()
    expect(aanbod.get_by_role("status")).to_contain_text("Uw voorstel is verstuurd")
    fits_and_accessible(aanbod)

    # 9. The lead accepts it with a reason.
    utrecht.reload()
    utrecht.get_by_label("Reden om dit voorstel te aanvaarden").fill("Past bij onze werkwijze en is snel in te voeren.")
    utrecht.get_by_role("button", name=re.compile("^Voorstel aanvaarden")).click()
    expect(utrecht.get_by_role("status")).to_contain_text("Het voorstel is aanvaard")
    assert_accessible(utrecht)

    # 10. Anyone sees the selection, its reason and the accepted proposal on the call page.
    for viewport in (None, MOBILE):
        public = new_page(viewport=viewport) if viewport else new_page()
        public.goto(call_url)
        selection = public.get_by_role("region", name="Selectie")
        expect(selection.get_by_role("cell", name="Urgent en in veel gemeenten herkenbaar.")).to_be_visible()
        expect(selection.get_by_role("cell", name="Open voor voorstellen")).to_have_count(0)
        expect(selection.get_by_text("Slimme wachtrij voor aanvragen")).to_be_visible()
        expect(selection.get_by_text("Past bij onze werkwijze en is snel in te voeren.")).to_be_visible()
        fits_and_accessible(public)
        public.goto("/oproepen")
        fits_and_accessible(public)
