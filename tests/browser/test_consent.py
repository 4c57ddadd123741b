"""Consent in a real browser: the team lists a partner, which shows as invited until one of its members
accepts; another organisation joins, the team hears of it and removes it, and the audit log says so in words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_list_confirm_join_notify_remove_and_audit(new_page, log_in, assert_accessible):
    make_user("GM0344", email="team@utrecht.nl", name="Tessa Team")
    make_user("GM0599", email="lid@rotterdam.nl", name="Rob Rotterdam")
    make_user("GM0363", email="lid@amsterdam.nl", name="Anouk Amsterdam")
    make_user("vng", role="admin", email="beheer@vng.nl")

    # 1. The team writes a pilot and lists Rotterdam as partner: Rotterdam is invited, not yet a partner.
    team = new_page()
    log_in(team, "team@utrecht.nl")
    team.goto("/pilots/new")
    main = team.get_by_role("main")
    main.get_by_label(re.compile(r"^Titel\b")).fill("Slimme bruggen")
    main.get_by_label("Korte samenvatting").fill("Sensoren melden storingen aan bruggen.")
    main.get_by_label("Beschrijving").fill("## Aanleiding\n\nBruggen haperen.\n\n## Aanpak\n\nSensoren plaatsen.\n")
    main.get_by_label("Partnerorganisatie 1").fill("Rotterdam [GM0599]")
    team.get_by_role("button", name="Pilot publiceren").click()
    expect(team.get_by_role("heading", level=1)).to_have_text("Slimme bruggen")
    participants = team.get_by_role("region", name="Deelnemers")
    expect(participants).to_contain_text("Uitgenodigd, nog niet bevestigd")
    expect(participants.get_by_role("listitem").filter(has_text="Rotterdam")).to_contain_text("uitgenodigd op")
    assert_accessible(team)
    pilot_url = team.url

    # 2. Rotterdam's member accepts: now Rotterdam is a partner.
    rotterdam = new_page()
    log_in(rotterdam, "lid@rotterdam.nl")
    rotterdam.goto(pilot_url)
    rotterdam.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(rotterdam.get_by_role("status")).to_have_text(re.compile(r"^\s*Rotterdam doet nu mee aan deze pilot.\s*$"))
    team.reload()
    expect(participants).not_to_contain_text("Uitgenodigd, nog niet bevestigd")
    expect(participants.get_by_role("link", name="Rotterdam")).to_be_visible()

    # 3. Amsterdam joins on its own; the team is told.
    amsterdam = new_page()
    log_in(amsterdam, "lid@amsterdam.nl")
    amsterdam.goto(pilot_url)
    amsterdam.get_by_role("button", name="Doe mee", exact=True).click()
    expect(amsterdam.get_by_role("status")).to_contain_text("Amsterdam doet nu mee aan deze pilot.")
    team.goto("/notifications")
    expect(team.get_by_role("main")).to_contain_text("Amsterdam doet nu mee met de pilot Slimme bruggen")

    # 4. The team removes Amsterdam; Amsterdam's member is told.
    team.goto(pilot_url)
    assert_accessible(team)
    team.get_by_role("button", name="Verwijderen als deelnemer: Amsterdam").click()
    expect(team.get_by_role("status")).to_contain_text("Amsterdam staat niet meer als deelnemer bij deze pilot.")
    expect(participants.get_by_role("link", name="Amsterdam")).to_have_count(0)
    amsterdam.goto("/notifications")
    expect(amsterdam.get_by_role("main")).to_contain_text("Tessa Team heeft Amsterdam van de deelnemers")

    # 5. The audit log tells it in words.
    admin = new_page()
    log_in(admin, "beheer@vng.nl")
    admin.goto("/portfolio/audit?action=pilot.participant_removed")
    row = admin.get_by_role("row").filter(has_text="haalde")
    expect(row).to_contain_text(
        "Tessa Team (team@utrecht.nl) haalde Amsterdam (partner) van de deelnemers aan Slimme bruggen"
    )
    expect(row.get_by_role("link", name="Slimme bruggen")).to_have_attribute("href", "/pilots/slimme-bruggen")
    assert_accessible(admin)
