"""Outgoing e-mail over SMTP from the environment; without MAIL_SERVER the message is written to a file.

Why a file and not the log: mails carry password-reset links, and logs are kept, shipped and read by
more people than the addressee. Files go to DATA_DIR/mail/ (folder 0700, files 0600).
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

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
        path = write_mail_file(msg)
        log.warning("MAIL_SERVER not set; mail to %s written to file %s", to, path)
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


def mail_folder() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "mail"


def write_mail_file(msg: EmailMessage) -> Path:
    """Write the message as an .eml file only its owner can read; returns the path."""
    folder = mail_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}.eml"  # sorts in writing order
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others, not even briefly
    with os.fdopen(fd, "wb") as f:
        f.write(msg.as_bytes())
    return path
