"""Turning an outbox row into a mail, in the recipient's language: plain text and HTML, with unsubscribe headers.

Runs in the worker inside a request context (services/mail_outbox.py: ``send_due``), so templates may use
url_for; absolute links come from PUBLIC_URL. The HTML part is autoescaped and has no remote images.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from ..extensions import db
from ..models import DigestEntry, Notification, OutboxMail
from . import notifications
from .mail import build_message, public_url
from .mail_preferences import DIGEST_KIND, unsubscribe_label, unsubscribe_token

MAX_DIGEST_ITEMS = 50  # a digest lists at most this many; the rest are one link away


def render(mail: OutboxMail) -> EmailMessage:
    """The message to deliver for this row."""
    if mail.notification_id is None and not mail.kind.startswith(DIGEST_KIND):  # an account mail, written at once
        return build_message(mail.to_address, mail.subject, mail.body)
    user = mail.user
    assert user is not None, "notification and digest mails have a recipient account"
    locale = user.locale if user.locale in current_app.config["LANGUAGES"] else "nl"
    with force_locale(locale):
        if mail.kind.startswith(DIGEST_KIND):
            subject, context = _digest(mail)
        else:
            assert mail.notification is not None
            subject, context = _notification(mail.notification)
        unsubscribe = public_url("account.unsubscribe", token=unsubscribe_token(user, mail.kind))
        context.update(
            user=user, subject=subject, unsubscribe_url=unsubscribe, unsubscribe_label=unsubscribe_label(mail.kind),
            settings_url=public_url("account.mail_settings"), digest=mail.kind.startswith(DIGEST_KIND), locale=locale,
        )  # fmt: skip
        text = render_template("email/mail.txt", **context)
        html = render_template("email/mail.html", **context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058: a POST to the link unsubscribes
        "Auto-Submitted": "auto-generated",
    }
    return build_message(mail.to_address, subject, text, html, headers)


def _item(notification: Notification) -> dict[str, Any]:
    """One notification as a mail shows it: its text and the link the in-app notification opens."""
    return {
        "text": notifications.message(notification),
        "url": public_url("notifications.open_one", notification_id=notification.id),
        "created_at": notification.created_at,
        "quote": (notification.data or {}).get("message", ""),  # an invitation's personal message
    }


def _notification(notification: Notification) -> tuple[str, dict[str, Any]]:
    item = _item(notification)
    return item["text"], {"items": [item], "more": 0}


def _digest(mail: OutboxMail) -> tuple[str, dict[str, Any]]:
    entries = db.session.scalars(
        select(DigestEntry).where(DigestEntry.mail_id == mail.id).order_by(DigestEntry.id).limit(MAX_DIGEST_ITEMS)
    ).all()
    total = db.session.scalar(select(func.count()).select_from(DigestEntry).where(DigestEntry.mail_id == mail.id))
    total = total or 0
    if mail.kind == DIGEST_KIND + "weekly":
        subject = ngettext(
            "Uw wekelijkse samenvatting: %(num)d melding", "Uw wekelijkse samenvatting: %(num)d meldingen", total
        )
    else:
        subject = ngettext(
            "Uw dagelijkse samenvatting: %(num)d melding", "Uw dagelijkse samenvatting: %(num)d meldingen", total
        )
    return subject, {
        "items": [_item(e.notification) for e in entries],
        "more": total - len(entries),
        "all_url": public_url("notifications.index"),
    }
