"""Entry types in a browser: the list with its type filter, a best practice's and a challenge's page and the
new-entry form pass axe at 1280 px and 375 px, and the form's type choice swaps the statuses and the outline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"
MEMBER = "lid@utrecht.nl"
LIGHTS = "Lantaarnpalen branden de hele nacht op vol vermogen, ook als er niemand op straat is."


@pytest.fixture
def entries() -> dict[str, str]:
    """A pilot, a best practice and a challenge about street lights (so the panels have matches)."""
    member = make_user("GM0344", email=MEMBER)
    slugs = {
        "pilot": make_pilot(member, title="Slimme lantaarnpalen", body=f"## Aanleiding\n\n{LIGHTS}\n").slug,
        "best_practice": make_pilot(
            make_user("GM0599"), title="Lantaarnpalen dimmen met bewegingssensoren", body=f"## Wat het oplost\n\n{LIGHTS}\n",
            entry_type="best_practice", themes=["duurzaamheid"],
        ).slug,
        "challenge": make_pilot(
            make_user("GM0363"), title="Hoe verlichten we straten zuiniger?", body=f"## Het vraagstuk\n\n{LIGHTS}\n",
            entry_type="challenge",
        ).slug,
    }  # fmt: skip
    db.session.commit()
    db.session.rollback()  # end the read transaction before the server thread writes
    return slugs


PAGES = [
    "/pilots?type=best_practice",
    "/pilots?type=challenge&status=open",
    "/pilots/{best_practice}",
    "/pilots/{challenge}",
    "/search?q=lantaarnpaal",
]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, MOBILE], ids=["1280px", "375px"])
def test_entry_type_pages_are_accessible(new_page, entries, log_in, assert_accessible, subtests, viewport):
    page = new_page(viewport=viewport)
    for path in PAGES:
        with subtests.test(path=path):
            assert page.goto(path.format(**entries)).status == 200
            assert page.evaluate(FITS_SCREEN), "the page scrolls sideways"
            assert_accessible(page)
    log_in(page, MEMBER)
    page.goto("/pilots/nieuw?type=challenge")
    assert page.evaluate(FITS_SCREEN), "the page scrolls sideways"
    assert_accessible(page)


def test_the_type_choice_swaps_statuses_outline_and_button(page, entries, log_in):
    log_in(page, MEMBER)
    page.goto("/pilots/nieuw")
    main = page.get_by_role("main")
    body = main.get_by_label("Beschrijving")
    expect(body).to_have_value(re.compile(r"^## Aanleiding"))
    main.get_by_role("radio", name="Best practice").check()
    expect(body).to_have_value(re.compile(r"^## Wat het oplost\n\n<!--"))
    expect(main.get_by_label("Status")).to_have_value("in_gebruik")
    expect(main.get_by_role("button", name="Best practice publiceren")).to_be_visible()
    body.fill("## Wat het oplost\n\nEigen tekst.\n")
    main.get_by_role("radio", name="Challenge").check()  # the writer's own text stays
    expect(body).to_have_value("## Wat het oplost\n\nEigen tekst.\n")
    expect(main.get_by_label("Status").locator("option")).to_have_text(
        ["Open", "Oplossing gezocht", "In selectie", "Opgelost", "Gesloten"]
    )


def test_a_challenge_page_lists_the_answers_with_their_type(page, entries):
    page.goto(f"/pilots/{entries['challenge']}")
    expect(page).to_have_title("Challenge: Hoe verlichten we straten zuiniger? – Pilotstarter")
    answers = page.get_by_role("region", name="Pilots en best practices die hier al antwoord op geven")
    expect(answers).to_contain_text("Best practice")
    expect(answers.get_by_role("link", name="Slimme lantaarnpalen")).to_be_visible()
