"""Matches come to you: a municipality publishes a pilot like another's, and the other hears of it —
the unread count in the header, the notifications page, the link to the new pilot. Checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

BODY = (
    "## Aanleiding\n\nUitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder "
    "loketbezoek bij de gemeente.\n\n## Aanpak\n\nDe uitvaartondernemer logt in met eHerkenning en meldt het "
    "overlijden online; de burgerlijke stand verwerkt de akte.\n"
)


def publish(page: Page, title: str, body: str) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwe pilot").click()
    main = page.get_by_role("main")
    main.get_by_label(re.compile(r"^Titel\b")).fill(title)
    main.get_by_label("Korte samenvatting").fill("Overlijden digitaal aangeven door de uitvaartondernemer.")
    main.get_by_label("Beschrijving").fill(body)
    main.get_by_role("group", name="Thema's").get_by_label("Dienstverlening").check()
    page.get_by_role("button", name="Pilot publiceren").click()
    page.wait_for_load_state()
    seen = page.get_by_role("button", name=re.compile("toch publiceren"))
    if seen.count():  # the duplicate check step: we have looked, and publish anyway
        seen.click()
    expect(page.get_by_role("status")).to_contain_text("Uw pilot is gepubliceerd.")


def test_a_similar_pilot_elsewhere_reaches_the_other_municipality(new_page, log_in, assert_accessible):
    apeldoorn = make_user("GM0200", email="b@apeldoorn.nl", name="Bram Apeldoorn")
    make_user("GM0344", email="a@utrecht.nl", name="Anna Utrecht")
    make_pilot(apeldoorn, title="Digitale overlijdensaangifte door uitvaartondernemers", body=BODY)
    make_pilot(make_user("GM0363"), title="Parkeervergunning online", body="Bewoners vragen een vergunning aan.")

    # A (Utrecht) publishes a pilot much like Apeldoorn's.
    a = new_page()
    log_in(a, "a@utrecht.nl")
    publish(a, "Overlijden digitaal aangeven via de uitvaartondernemer", BODY.replace("portaal", "webportaal"))
    expect(a).to_have_url(re.compile(r"/pilots/overlijden-digitaal-aangeven-via-de-uitvaartondernemer$"))

    # B (Apeldoorn) sees the unread count in the header, opens the notifications, follows the link.
    b = new_page()
    log_in(b, "b@apeldoorn.nl")
    account = b.get_by_role("navigation", name="Hoofdmenu")
    link = account.get_by_role("link", name=re.compile(r"^Meldingen"))
    expect(link).to_have_accessible_name("Meldingen 1 ongelezen")
    link.click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Meldingen")
    notice = b.get_by_role("main").get_by_role("listitem").filter(has_text="Utrecht start een pilot")
    expect(notice.get_by_text("Nieuw", exact=True)).to_be_visible()  # unread, in words
    expect(notice).to_contain_text(
        "Utrecht start een pilot die mogelijk dezelfde is als uw pilot Digitale overlijdensaangifte door uitvaartondernemers: "
        "Overlijden digitaal aangeven via de uitvaartondernemer"
    )
    assert_accessible(b)
    notice.get_by_role("link").click()
    expect(b).to_have_url(re.compile(r"/pilots/overlijden-digitaal-aangeven-via-de-uitvaartondernemer$"))
    expect(b.get_by_role("heading", level=1)).to_have_text("Overlijden digitaal aangeven via de uitvaartondernemer")
    expect(account.get_by_role("link", name=re.compile(r"^Meldingen"))).to_have_accessible_name("Meldingen")

    # B follows the new pilot; the pilot page with its follow and partner controls passes axe.
    b.get_by_role("button", name="Volgen", exact=True).click()
    expect(b.get_by_role("status")).to_contain_text("U volgt deze pilot.")
    expect(b.get_by_role("button", name="Niet meer volgen")).to_be_visible()
    assert_accessible(b)

    # The notifications page, all read now: no "Nieuw" left, and still accessible.
    b.goto("/notifications")
    expect(b.get_by_role("main").get_by_text("Nieuw", exact=True)).to_have_count(0)
    expect(b.get_by_role("main").get_by_role("listitem").filter(has_text="Utrecht start")).to_contain_text("gelezen")
    assert_accessible(b)


def test_invite_from_the_organisation_page_and_accept_from_the_notification(new_page, log_in, assert_accessible):
    apeldoorn = make_user("GM0200", email="b@apeldoorn.nl", name="Bram Apeldoorn")
    goes = make_user("GM0664", email="c@goes.nl", name="Carla Goes")
    own = make_pilot(apeldoorn, title="Digitale overlijdensaangifte door uitvaartondernemers", body=BODY)
    make_pilot(goes, title="Uitvaartportaal Zeeuwse gemeenten", body=BODY.replace("eHerkenning", "een portaal"))

    # Apeldoorn's member invites Goes from "Organisaties om mee samen te werken", filtered to Zeeland.
    b = new_page()
    log_in(b, "b@apeldoorn.nl")
    b.goto("/organisations/GM0200")
    section = b.get_by_role("region", name="Organisaties om mee samen te werken")
    section.get_by_label("Provincie").select_option("Zeeland")
    section.get_by_role("button", name="Filteren").click()
    expect(b).to_have_url(re.compile(r"province=Zeeland"))
    section = b.get_by_role("region", name="Organisaties om mee samen te werken")
    expect(section.get_by_role("listitem")).to_have_count(1)
    assert_accessible(b)
    section.get_by_role("button", name=re.compile(r"^Uitnodigen Goes voor")).click()
    expect(b.get_by_role("status")).to_contain_text("Goes is uitgenodigd voor deze pilot.")
    expect(b.get_by_role("region", name="Organisaties om mee samen te werken")).to_contain_text("Uitgenodigd")

    # Goes's member opens the notification and accepts on the pilot page.
    c = new_page()
    log_in(c, "c@goes.nl")
    c.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Meldingen 1 ongelezen").click()
    c.get_by_role("main").get_by_role("link", name=re.compile("Apeldoorn nodigt uw organisatie uit")).click()
    expect(c).to_have_url(re.compile(rf"/pilots/{own.slug}#uitnodiging$"))
    banner = c.get_by_role("region", name="Uw organisatie is uitgenodigd")
    expect(banner).to_contain_text("Apeldoorn nodigt Goes uit om mee te doen met deze pilot.")
    assert_accessible(c)
    banner.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(c.get_by_role("status")).to_contain_text("Goes doet nu mee aan deze pilot.")
    expect(c.get_by_role("complementary", name="Over deze pilot").get_by_role("link", name="Goes")).to_be_visible()
