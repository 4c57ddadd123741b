"""The discussion's main journey in a real browser: A comments with an @mention chosen in the autocomplete →
B gets an in-app notification and an e-mail (a real SMTP server, aiosmtpd) → B replies → A hears of the reply → a third user reports B's reply → VNG staff
hide it from the moderation queue → the pilot page shows the moderation's reason in its place. Checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pilotstarter_web.services import mail_outbox
from tests.factories import make_pilot, make_user
from tests.mail_server import smtp_port, smtp_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SLUG = "slimme-lantaarnpalen"


def open_notification(page: Page, text: str) -> None:
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name=re.compile(r"^Meldingen"))).to_have_accessible_name(
        re.compile(r"Meldingen \d+ ongelezen")
    )
    nav.get_by_role("link", name=re.compile(r"^Meldingen")).click()
    notice = page.get_by_role("main").get_by_role("listitem").filter(has_text=text)
    expect(notice).to_be_visible()
    notice.get_by_role("link").first.click()


def test_comment_mention_reply_report_and_hide(new_page, log_in, assert_accessible, smtp_server):  # noqa: F811
    owner = make_user("GM0344", email="olga@utrecht.nl", name="Olga Eigenaar")
    make_pilot(owner, title="Slimme lantaarnpalen", body="## Doel\n\nMinder stroom.\n", status="lopend")
    make_user("GM0363", email="anna@amsterdam.nl", name="Anna Amsterdam")
    bram = make_user("GM0200", email="bram@apeldoorn.nl", name="Bram Apeldoorn")
    make_user("GM0599", email="carla@rotterdam.nl", name="Carla Rotterdam")
    make_user("vng", role="vng_staff", email="vera@vng.nl", name="Vera VNG")

    # A writes a comment and mentions B through the autocomplete (keyboard only).
    a = new_page()
    log_in(a, "anna@amsterdam.nl")
    a.goto(f"/pilots/{SLUG}")
    discussion = a.get_by_role("region", name=re.compile("^Discussie"))
    discussion.get_by_label("Uw reactie", exact=True).fill("Hoe deden jullie de DPIA? Vraag aan ")
    picker = discussion.get_by_role("combobox", name="Iemand of een organisatie vermelden").first
    picker.fill("Bram")
    option = discussion.get_by_role("option", name=re.compile("Bram Apeldoorn"))
    expect(option).to_be_visible()
    assert_accessible(a)  # with the listbox open
    picker.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    picker.press("Enter")
    expect(discussion.get_by_label("Uw reactie", exact=True)).to_have_value(
        f"Hoe deden jullie de DPIA? Vraag aan @[Bram Apeldoorn](user:{bram.id}) "
    )
    discussion.get_by_role("button", name="Reactie plaatsen").click()
    expect(a.get_by_role("status")).to_contain_text("Uw reactie is geplaatst.")
    comment = a.locator("article.comment").filter(has_text="Hoe deden jullie de DPIA?")
    expect(comment.get_by_role("link", name="@Bram Apeldoorn")).to_have_attribute(
        "href", f"/organisations/GM0200#lid-{bram.id}"
    )
    expect(a.get_by_role("heading", name=re.compile(r"Discussie \(1 reactie\)"))).to_be_visible()

    # B is told by e-mail too: the worker delivers the mention to a real SMTP server.
    assert mail_outbox.drain().sent >= 1
    [mail] = [m for m in smtp_server.messages if m["To"] == "bram@apeldoorn.nl"]
    assert "noemde u" in mail["Subject"] or "noemde u" in mail.get_body(("plain",)).get_content()
    assert "/notifications/" in mail.get_body(("plain",)).get_content() and mail["List-Unsubscribe"]

    # B sees the mention among the notifications, opens it at the comment, and replies.
    b = new_page()
    log_in(b, "bram@apeldoorn.nl")
    open_notification(b, "Anna Amsterdam noemde u in een reactie bij de pilot Slimme lantaarnpalen")
    expect(b).to_have_url(re.compile(rf"/pilots/{SLUG}#reactie-\d+$"))
    first = b.locator("article.comment").filter(has_text="Hoe deden jullie de DPIA?")
    first.get_by_text("Antwoorden", exact=True).click()
    first.get_by_label("Uw antwoord aan Anna Amsterdam").fill("Met het model van de VNG, binnen zes weken.")
    first.get_by_role("button", name="Antwoord plaatsen").click()
    expect(b.get_by_role("status")).to_contain_text("Uw antwoord is geplaatst.")
    expect(b.get_by_role("list", name="1 antwoord")).to_contain_text("Met het model van de VNG")

    # A hears of the reply.
    a.goto("/")
    open_notification(a, "Bram Apeldoorn antwoordde op uw reactie bij de pilot Slimme lantaarnpalen")
    expect(a.get_by_role("list", name="1 antwoord")).to_contain_text("binnen zes weken")

    # A third user reports B's reply.
    c = new_page()
    log_in(c, "carla@rotterdam.nl")
    c.goto(f"/pilots/{SLUG}")
    reply = c.get_by_role("list", name="1 antwoord").locator("article.comment")
    reply.get_by_text("Melden", exact=True).click()
    reply.get_by_label("Waarom meldt u deze reactie?").fill("Bevat een onjuiste bewering over de VNG")
    reply.get_by_role("button", name="Melding versturen").click()
    expect(c.get_by_role("status")).to_contain_text("Bedankt. De moderatie bekijkt uw melding.")
    expect(c.get_by_text("U heeft deze reactie gemeld.")).to_be_visible()

    # VNG staff hide it from the moderation queue, linked in the staff navigation.
    s = new_page()
    log_in(s, "vera@vng.nl")
    s.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Moderatie").click()
    expect(s.get_by_role("heading", level=1)).to_have_text("Moderatie")
    item = s.get_by_role("main").get_by_role("listitem").filter(has_text="Met het model van de VNG")
    expect(item).to_contain_text("Bevat een onjuiste bewering over de VNG")
    assert_accessible(s)
    item.get_by_label("Reden van verbergen").fill("Onjuiste informatie over een organisatie")
    item.get_by_role("button", name="Verbergen").click()
    expect(s.get_by_role("status")).to_contain_text("De reactie is verborgen.")
    expect(s.get_by_text("Er zijn geen open meldingen.")).to_be_visible()

    # Everyone sees the reason in its place; the text is gone for readers.
    c.goto(f"/pilots/{SLUG}")
    replies = c.get_by_role("list", name="1 antwoord")
    expect(replies).to_contain_text("Verborgen door de moderatie: Onjuiste informatie over een organisatie")
    expect(replies).not_to_contain_text("Met het model van de VNG")
    assert_accessible(c)


def test_the_discussion_fits_a_phone_screen(new_page, log_in, assert_accessible):
    """At 375 px nothing scrolls sideways, also with a long unbroken word and an open reply form."""
    author = make_user("GM0363", email="anna@amsterdam.nl", name="Anna Amsterdam")
    pilot = make_pilot(make_user("GM0344"), title="Slimme lantaarnpalen", body="Tekst.")
    from pilotstarter_web.extensions import db
    from pilotstarter_web.services import comments

    top = comments.post_comment(author, pilot, "Lang: " + "x" * 300 + "\n\n```\n" + "code " * 80 + "\n```")
    comments.post_comment(author, pilot, "Een antwoord", top)
    db.session.commit()
    make_user("GM0200", email="bram@apeldoorn.nl")
    page = new_page(viewport={"width": 375, "height": 740})
    log_in(page, "bram@apeldoorn.nl")
    page.goto(f"/pilots/{SLUG}")
    page.locator("article.comment").first.get_by_text("Antwoorden", exact=True).click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    assert_accessible(page)
