"""Outgoing e-mail over SMTP from the environment; without MAIL_SERVER the message goes to the log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("pilotstarter.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text mail. Failures are logged, never shown as a crash to the user."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if not cfg.get("MAIL_SERVER"):
        log.warning("MAIL_SERVER not set; mail to %s not sent:\nSubject: %s\n\n%s", to, subject, body)
        return
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        log.exception("sending mail to %s failed", to)
