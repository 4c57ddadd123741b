"""The mail transport: SMTP from the environment; without MAIL_SERVER the message is written to a file.

Nothing here is called by a request: requests queue mail in the outbox (services/mail_outbox.py) and the
worker delivers it through :func:`deliver`, which raises on failure so the outbox can retry.

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
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, has_request_context, url_for

log = logging.getLogger("pilotstarter.mail")
SMTP_TIMEOUT = 10  # seconds: a hanging server delays only the worker, never a request


class MailError(Exception):
    """The message could not be handed over; the outbox retries it later."""


def public_url(endpoint: str, **values: object) -> str:
    """An absolute link for a mail: PUBLIC_URL plus the path, never the request's Host header (which a
    visitor chooses), and usable by the worker outside any request (it renders in a request context)."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:  # a command or the worker outside its loop
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["PUBLIC_URL"] + path


def build_message(
    to: str, subject: str, text: str, html: str | None = None, headers: dict[str, str] | None = None
) -> EmailMessage:
    """A plain-text mail, or multipart/alternative with an HTML part; extra headers as given."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = " ".join(subject.split())[:250]  # one line, bounded
    msg["Date"] = format_datetime(datetime.now(UTC))
    domain = parseaddr(cfg["MAIL_FROM"])[1].rpartition("@")[2] or "pilotstarter.local"
    msg["Message-ID"] = make_msgid(domain=domain)
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def deliver(msg: EmailMessage) -> None:
    """Hand the message to the SMTP server, or write it to a file without MAIL_SERVER.

    :raise MailError: when the server cannot be reached or refuses the message.
    """
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        path = write_mail_file(msg)
        log.warning("MAIL_SERVER not set; mail to %s written to file %s", msg["To"], path)
        return
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}") from exc


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
