"""axe-core finds no WCAG 2.1 A/AA violation on any page, on desktop and on a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from pilotstarter_web.services import follows, invitations, saved_searches
from pilotstarter_web.services.accounts import user_by_email
from pilotstarter_web.services.organisations import find_organisation
from pilotstarter_web.services.pilot_queries import get_pilot
from pilotstarter_web.services.pilots import PilotText, edit_pilot
from tests.factories import make_pilot, make_user

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
FITS_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"
BODY = (
    "## Aanleiding\n\nLantaarnpalen branden de hele nacht. Zie ook [[Slimme afvalbakken]] en [[Bestaat nog niet]].\n\n"
    "## Aanpak\n\n- sensoren\n- **dimmen** als er niemand is\n\n### Planning\n\n| Fase | Wanneer |\n|---|---|\n"
    "| Proef | 2026 |\n\n## Resultaat\n\n> Nog niet bekend.\n"
)
MEMBER, ADMIN = "lid@utrecht.nl", "beheer@vng.nl"
SLUG = "slimme-lantaarnpalen"


@pytest.fixture
def wiki() -> None:
    """A few pilots: one with a table of contents, partners, a wiki link, a missing one, a backlink and
    two revisions; a verified member, an admin and one account waiting for verification."""
    member = make_user("GM0344", email=MEMBER)
    make_user("vng", role="admin", email=ADMIN)
    make_user("GM0599", verified=False, name="Nog Niet Geverifieerd")
    make_pilot(member, title="Slimme afvalbakken", body="## Doel\n\nZie [[Slimme lantaarnpalen]].", themes=["data"])
    pilot = make_pilot(
        member,
        title="Slimme lantaarnpalen",
        body=BODY,
        themes=["duurzaamheid", "openbare-ruimte"],
        status="lopend",
        partners=["GM0599", "datalab-noord"],
    )
    make_pilot(make_user("GM0599"), title="Digitale balie", themes=["dienstverlening"], status="afgerond")
    text = PilotText(
        "Slimme lantaarnpalen",
        "Lantaarnpalen die alleen branden als het nodig is.",
        BODY.replace("de hele nacht", "de hele nacht op vol vermogen"),
        ["duurzaamheid", "openbare-ruimte"],
        [],
        "lopend",
        "vermogen toegevoegd",
    )
    edit_pilot(member, pilot, text, 1)
    invitations.invite(member, pilot, find_organisation("GM0363"))  # the team sees "uitgenodigd, nog niet bevestigd"
    db.session.commit()
    assert pilot.slug == SLUG
    db.session.rollback()  # end the read transaction that loaded the slug before the server thread writes


PUBLIC_PAGES = [
    "/",
    "/pilots",
    "/pilots?theme=duurzaamheid&status=lopend&province=Utrecht&sort=changed",
    "/pilots?theme=jeugd",  # no results
    "/pilots/{slug}",
    "/pilots/{slug}/history",
    "/pilots/{slug}/diff?from=1&to=2",
    "/pilots/{slug}/revisions/1",
    "/organisations",
    "/organisations/GM0344",
    "/activiteit",
    "/activiteit?theme=duurzaamheid&kind=edit",
    "/activiteit?theme=jeugd",  # no activity
    "/themas",
    "/themas/duurzaamheid",
    "/themas/bestaat-niet",  # 404
    "/kaart",
    "/kaart?niveau=provincie",
    "/statistieken",
    "/markdown-hulp",
    "/toegankelijkheid",
    "/privacy",
    "/contact",
    "/colofon",
    "/oproepen",  # the call pages themselves: tests/browser/test_calls.py (1280 and 375 px)
    "/pilots/{slug}/afdrukken",
    "/account/login",
    "/account/register",
    "/account/reset",
    "/api/v1/docs",
    "/open-data",
    "/bestaat-niet",  # 404
]


def test_public_pages_are_accessible(page, wiki, assert_accessible, subtests):
    for path in PUBLIC_PAGES:
        with subtests.test(path=path):
            response = page.goto(path.format(slug=SLUG))
            assert response.status == (404 if path.endswith("/bestaat-niet") else 200)
            assert_accessible(page)


def test_pilot_page_has_what_the_accessibility_check_is_meant_to_cover(page, wiki):
    page.goto(f"/pilots/{SLUG}")
    expect(page.get_by_role("navigation", name="Inhoud").get_by_role("link")).to_have_count(4)
    body = page.locator(".markdown-body")
    expect(body.get_by_role("link", name="Slimme afvalbakken")).to_have_attribute("href", "/pilots/slimme-afvalbakken")
    expect(body.get_by_role("link", name="Bestaat nog niet")).to_have_class("wikilink wikilink--missing")
    expect(page.get_by_role("region", name="Deelnemers")).to_contain_text("Rotterdam")
    expect(page.get_by_role("region", name="Deelnemers")).to_contain_text("Datalab Noord")
    expect(page.get_by_role("region", name="Pagina's die hiernaar linken").get_by_role("link")).to_have_text(
        "Slimme afvalbakken"
    )


def follow_everything(email: str) -> None:
    """A pilot, a theme, an organisation and a saved search, so "Wat ik volg" has every section filled."""
    user = user_by_email(email)
    follows.follow(user, get_pilot(SLUG, user))
    follows.follow_theme(user, "duurzaamheid")
    follows.follow_organisation(user, find_organisation("GM0599"))
    saved_searches.save_search(user, "lantaarnpalen", {"theme": ["duurzaamheid"]}, "Slimme verlichting")
    db.session.commit()
    db.session.rollback()


FOLLOWING_PAGES = ["/account/volgt", "/themas/duurzaamheid", "/organisations/GM0599", "/search?q=lantaarnpalen"]


def test_member_pages_are_accessible(page, wiki, log_in, assert_accessible, subtests):
    log_in(page, MEMBER)
    follow_everything(MEMBER)
    for path in [
        "/pilots/new",
        "/pilots/{slug}",
        "/pilots/{slug}/edit",
        "/pilots/{slug}/delete",  # the confirmation page
        "/account/profile",
        "/account/mail",
        *FOLLOWING_PAGES,
    ]:
        with subtests.test(path=path):
            response = page.goto(path.format(slug=SLUG))
            assert response.status == 200
            assert_accessible(page)


def test_admin_accounts_page_is_accessible(page, wiki, log_in, assert_accessible):
    log_in(page, ADMIN)
    page.goto("/admin/accounts")
    expect(page.get_by_role("button", name="Verifiëren Nog Niet Geverifieerd")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Rol wijzigen")).first).to_be_visible()
    assert_accessible(page)
    page.goto("/admin/accounts?q=utrecht&state=actief")
    page.get_by_role("link", name=re.compile("^Blokkeren")).first.click()
    expect(page.get_by_role("heading", name="Account blokkeren")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(MOBILE)
    for path in ("/admin/accounts", "/admin/accounts?q=utrecht"):
        page.goto(path)
        assert page.evaluate(FITS_SCREEN), f"{path} scrolls sideways at 375 px"
    page.goto("/admin/mail")
    expect(page.get_by_role("heading", name="E-mail", exact=True)).to_be_visible()
    assert_accessible(page)


def test_unverified_profile_is_accessible(page, log_in, assert_accessible):
    make_user(verified=False, email="wacht@example.nl")
    log_in(page, "wacht@example.nl")
    page.goto("/account/profile")
    expect(page.get_by_text("niet geverifieerd", exact=True)).to_be_visible()
    assert_accessible(page)


def test_login_errors_are_accessible(page, assert_accessible):
    page.goto("/account/login")
    main = page.get_by_role("main")
    main.get_by_role("button", name="Inloggen").click()
    expect(main.get_by_role("alert")).to_contain_text("Controleer het formulier")
    expect(main.get_by_label("E-mailadres")).to_have_attribute("aria-invalid", "true")
    expect(main.get_by_label("E-mailadres")).to_have_accessible_description("Dit veld is verplicht.")
    assert_accessible(page)
    main.get_by_label("E-mailadres").fill("niemand@example.nl")
    main.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    main.get_by_role("button", name="Inloggen").click()
    expect(main.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_register_errors_are_accessible(page, assert_accessible):
    page.goto("/account/register")
    page.get_by_role("main").get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een geldig e-mailadres in.")
    assert_accessible(page)


def test_pilot_form_errors_and_preview_are_accessible(page, wiki, log_in, assert_accessible):
    log_in(page, MEMBER)
    page.goto("/pilots/new")
    page.get_by_role("button", name="Pilot publiceren").click()
    expect(page.get_by_role("alert")).to_contain_text("Geef de pilot een titel.")
    assert_accessible(page)
    page.get_by_role("main").get_by_label("Beschrijving").fill("## Kop\n\nTekst met [[Slimme lantaarnpalen]].")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.locator("#preview-output").get_by_role("heading", name="Kop")).to_be_visible()
    assert_accessible(page)


def test_edit_conflict_page_is_accessible(page, wiki, log_in, assert_accessible):
    log_in(page, MEMBER)
    page.goto(f"/pilots/{SLUG}/edit")
    body = page.get_by_role("main").get_by_label("Beschrijving")
    body.fill(body.input_value().replace("Nog niet bekend.", "Dertig procent minder stroom."))
    someone_else_changes_the_same_line(SLUG, "Nog niet bekend.", "Twintig procent minder stroom.")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.get_by_role("alert").filter(has_text="Bewerkingsconflict")).to_be_visible()
    expect(page.get_by_role("group", name="Conflict 1 van 1")).to_be_visible()
    assert "<<<<<<<" not in page.content()
    assert_accessible(page)


def someone_else_changes_the_same_line(slug: str, old: str, new: str) -> None:
    other = make_user("GM0599")
    pilot = get_pilot(slug, other)
    rev = pilot.current_revision
    text = PilotText(rev.title, rev.summary, rev.body.replace(old, new), pilot.theme_keys, [], pilot.status)
    edit_pilot(other, pilot, text, rev.number)
    db.session.commit()


def test_mobile_pages_fit_and_are_accessible(new_page, wiki, log_in, assert_accessible, subtests):
    """On a 375 px wide screen nothing scrolls sideways (WCAG 1.4.10 Reflow), and the pages stay accessible."""
    # Not is_mobile=True: Chromium's mobile emulation widens the layout viewport to fit wide content, which
    # would make innerWidth grow with scrollWidth and the check below always pass.
    page = new_page(viewport=MOBILE)

    def check(path: str) -> None:
        with subtests.test(path=path, viewport="375px"):
            page.goto(path.format(slug=SLUG))
            assert page.evaluate(FITS_SCREEN), "the page scrolls sideways"
            assert_accessible(page)

    for path in [
        "/",
        "/pilots/{slug}",
        "/pilots/{slug}/diff?from=1&to=2",
        "/open-data",
        "/activiteit",
        "/account/register",
        "/themas",
        "/oproepen",
        "/api/v1/docs",
    ]:
        check(path)
    log_in(page, MEMBER)
    check("/pilots/new")
    check("/pilots/{slug}")  # as the team: remove buttons and the invited organisation
    check("/account/mail")
    follow_everything(MEMBER)
    for path in FOLLOWING_PAGES:
        check(path)


def test_live_preview_follows_typing(page, wiki, log_in):
    """app.js asks the server to render the text shortly after the author stops typing."""
    log_in(page, MEMBER)
    page.goto("/pilots/new")
    preview = page.get_by_role("region", name="Voorbeeld")
    expect(preview.get_by_role("heading", name="Resultaten")).to_be_visible()  # the outline a new pilot starts from
    body = page.get_by_role("main").get_by_label("Beschrijving")
    body.fill("")
    body.press_sequentially("## Eerste kop\n\n**vet** [[Slimme lantaarnpalen]]")
    expect(preview.get_by_role("heading", name="Eerste kop")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("vet")
    expect(preview.get_by_role("link", name="Slimme lantaarnpalen")).to_have_attribute("href", f"/pilots/{SLUG}")
    body.press("End")
    body.press_sequentially("\n\n## Tweede")
    expect(preview.get_by_role("heading", name="Tweede")).to_be_visible()
    expect(preview.get_by_role("heading", name="Eerste kop")).to_be_visible()


def discussion(member_email: str) -> dict[str, int]:
    """A discussion on the wiki's pilot: a thread with a reply, a reported one, a hidden one and a deleted
    placeholder; returns the ids of the member's own comment and of someone else's."""
    from pilotstarter_web.services import comment_moderation, comments
    from pilotstarter_web.services.accounts import user_by_email

    member, other = user_by_email(member_email), make_user("GM0599", name="Rob Rotterdam")
    staff = make_user("vng", role="vng_staff")
    pilot = get_pilot(SLUG, member)
    own = comments.post_comment(member, pilot, f"Vraag aan @[Rob](user:{other.id}): **hoe** ging de aanbesteding?")
    reply = comments.post_comment(other, pilot, "Via een raamcontract.\n\n- stap 1\n- stap 2", own)
    comment_moderation.report(member, reply, "Klopt niet")
    hidden = comments.post_comment(other, pilot, "Reclame voor ons product")
    comment_moderation.hide(staff, hidden, "Reclame")
    gone = comments.post_comment(other, pilot, "Later verwijderd")
    comments.post_comment(member, pilot, "Antwoord op een verwijderde reactie", gone)
    comments.delete_comment(other, gone)
    comments.toggle_useful(member, reply)
    db.session.commit()
    ids = {"own": own.id, "other": reply.id}
    db.session.rollback()
    return ids


def test_discussion_pages_are_accessible(new_page, wiki, log_in, assert_accessible, subtests):
    """The pilot page's discussion, the edit and report pages and the moderation queue, desktop and 375 px."""
    ids = discussion(MEMBER)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("375px", MOBILE)):
        member = new_page(viewport=viewport)
        log_in(member, MEMBER)
        admin = new_page(viewport=viewport)
        log_in(admin, ADMIN)
        for page, path in [
            (member, "/pilots/{slug}"),
            (member, f"/reacties/{ids['own']}/bewerken"),
            (member, f"/reacties/{ids['other']}/melden"),
            (admin, "/pilots/{slug}"),
            (admin, "/moderatie"),
        ]:
            with subtests.test(path=path, viewport=name):
                assert page.goto(path.format(slug=SLUG)).status == 200
                assert page.evaluate(FITS_SCREEN), "the page scrolls sideways"
                assert_accessible(page)


ENGLISH = {"locale": "en-GB"}  # the browser asks for English (Accept-Language): no choice made yet


def test_public_pages_are_accessible_in_english(new_page, wiki, assert_accessible, subtests):
    """The same pages in English, on desktop and at 375 px: the page says lang="en" (WCAG 3.1.1), the Dutch
    text of users inside it says lang="nl" (3.1.2), and axe finds nothing."""
    for viewport in ({"width": 1280, "height": 900}, MOBILE):
        page = new_page(**ENGLISH, viewport=viewport)
        for path in PUBLIC_PAGES:
            with subtests.test(path=path, width=viewport["width"]):
                response = page.goto(path.format(slug=SLUG))
                assert response.status == (404 if path.endswith("/bestaat-niet") else 200)
                expect(page.locator("html")).to_have_attribute("lang", "en")
                assert_accessible(page)
    page.goto(f"/pilots/{SLUG}")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "nl")
    expect(page.get_by_role("region", name="Participants")).to_contain_text("Datalab Noord")


def test_member_pages_are_accessible_in_english(page, wiki, log_in, assert_accessible, subtests):
    log_in(page, MEMBER)
    follow_everything(MEMBER)
    page.get_by_role("button", name="English").click()  # stored on the account from now on
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for path in ["/pilots/new", "/pilots/{slug}", "/pilots/{slug}/edit", "/account/profile", "/account/mail"]:
        with subtests.test(path=path):
            response = page.goto(path.format(slug=SLUG))
            assert response.status == 200
            expect(page.locator("html")).to_have_attribute("lang", "en")
            assert_accessible(page)
    for path in FOLLOWING_PAGES:
        with subtests.test(path=path):
            page.goto(path)
            assert_accessible(page)


def test_staff_pages_are_accessible_in_english(page, wiki, log_in, assert_accessible, subtests):
    """Administration, portfolio and moderation in English, with a discussion holding Dutch comments."""
    discussion(MEMBER)
    log_in(page, ADMIN)
    page.get_by_role("button", name="English").click()
    for path in [
        "/pilots/{slug}",
        "/admin/accounts",
        "/admin/mail",
        "/portfolio",
        "/portfolio/meetings",
        "/portfolio/audit",
        "/portfolio/clusters",
        "/portfolio/opgeschaald",
        "/portfolio/hergebruik",
        "/moderatie",
    ]:
        with subtests.test(path=path):
            assert page.goto(path.format(slug=SLUG)).status == 200
            expect(page.locator("html")).to_have_attribute("lang", "en")
            assert_accessible(page)
    page.goto(f"/pilots/{SLUG}")
    expect(page.locator(".comment__body").first).to_have_attribute("lang", "nl")
