"""An invitation's personal message: bounded, cleaned, and quoted to the invited organisation's members
in the notification and its mail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Invitation, OutboxMail
from pilotstarter_web.services import invitations, notifications
from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.services.mail_render import render
from pilotstarter_web.services.organisations import find_organisation
from tests.factories import make_pilot, make_user


def test_the_message_is_cleaned_and_reaches_the_notification_and_the_mail():
    owner = make_user("GM0599")
    pilot = make_pilot(owner, title="Slimme lantaarnpalen")
    invitee = make_user("GM0363")
    invitation, created = invitations.invite(
        owner, pilot, find_organisation("GM0363"), "  Doet u mee?\u200b\n\nWe zoeken   een tweede gemeente. "
    )
    db.session.commit()
    assert created and invitation.message == "Doet u mee? We zoeken een tweede gemeente."
    notification = notifications.for_user(invitee)[0][0]
    assert notification.data["message"] == invitation.message
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.user_id == invitee.id))
    text = render(mail).get_body(("plain",)).get_content()
    assert '"Doet u mee? We zoeken een tweede gemeente."' in text


def test_without_a_message_the_notification_carries_none():
    owner = make_user("GM0599")
    invitee = make_user("GM0363")
    invitations.invite(owner, make_pilot(owner), find_organisation("GM0363"))
    db.session.commit()
    assert "message" not in notifications.for_user(invitee)[0][0].data


def test_a_message_over_the_limit_is_refused_not_cut_off():
    owner = make_user("GM0599")
    pilot = make_pilot(owner)
    with pytest.raises(InvalidInput, match="maximaal 500 tekens"):
        invitations.invite(owner, pilot, find_organisation("GM0363"), "a" * (invitations.MAX_MESSAGE + 1))
    db.session.rollback()
    assert db.session.scalar(select(Invitation)) is None
    invitation, _ = invitations.invite(owner, pilot, find_organisation("GM0363"), "b" * invitations.MAX_MESSAGE)
    assert len(invitation.message) == invitations.MAX_MESSAGE
