"""Inviting with a personal message from the partner suggestions, and reading it as the invited member."""

from __future__ import annotations

from pilotstarter_web.extensions import db
from tests.factories import make_user
from tests.web.test_notification_pages import funeral, partners_panel, text_of  # noqa: F401  (a fixture)


def test_invite_with_a_message_shows_it_on_the_notifications_page_and_the_pilot_page(client, auth, funeral):  # noqa: F811
    goes = make_user("GM0664", email="goes@example.nl")
    db.session.commit()
    url = f"/pilots/{funeral['pilot'].slug}"
    auth.login(funeral["owner"])
    panel = partners_panel(text_of(client.get(url)))
    assert "Persoonlijk bericht toevoegen" in panel and 'name="message"' in panel and 'maxlength="500"' in panel
    response = client.post(
        url + "/invite", data={"organisation": "GM0664", "message": "Jullie portaal past mooi bij ons."},
        follow_redirects=True,
    )  # fmt: skip
    assert "Goes is uitgenodigd voor deze pilot." in text_of(response)

    auth.logout()
    auth.login(goes)
    inbox = text_of(client.get("/notifications"))
    assert inbox.count("Jullie portaal past mooi bij ons.") == 2  # the invitation panel and the notification
    banner = text_of(client.get(url))
    banner = banner[banner.index('id="uitnodiging"') :]
    assert "Jullie portaal past mooi bij ons." in banner[: banner.index("Afslaan")]


def test_a_too_long_message_is_refused_with_a_clear_message_and_nothing_is_sent(client, auth, funeral):  # noqa: F811
    auth.login(funeral["owner"])
    url = f"/pilots/{funeral['pilot'].slug}"
    response = client.post(
        url + "/invite", data={"organisation": "GM0664", "message": "x" * 501}, follow_redirects=True
    )
    assert "Het persoonlijke bericht is te lang: maximaal 500 tekens." in text_of(response)
    assert "Uitnodigen" in partners_panel(text_of(client.get(url)))  # not invited
