"""Helpers for the account page tests: registering, reading alerts and flashes, cookies."""

from __future__ import annotations

import email
import email.policy
import html
import re
from pathlib import Path

from pilotstarter_web.services import mail_outbox
from tests.factories import PASSWORD

NEW_PASSWORD = "een-ander-lang-wachtwoord"


def register(client, **fields):
    data = {
        "email": "nieuw@example.nl",
        "name": "Nieuwe Gebruiker",
        "organisation": "Utrecht [GM0344]",
        "new_organisation": "",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **fields,
    }
    return client.post("/account/register", data=data)


def alert(page: str) -> str:
    """The text of the error alert on the login page."""
    found = re.search(r'role="alert">.*?<p[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def flashes(client, response) -> str:
    """The page a redirect leads to (with its flash messages)."""
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def set_cookie_headers(response, name: str) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


def logged_in(client) -> bool:
    return client.get("/account/profile").status_code == 200


class Mailbox:
    """Mails written to DATA_DIR/mail/ (no MAIL_SERVER in tests) after this object was made."""

    def __init__(self, app) -> None:
        self.folder = Path(app.config["DATA_DIR"]) / "mail"
        self.before = set(self.folder.glob("*.eml")) if self.folder.exists() else set()

    def new(self) -> list[email.message.EmailMessage]:
        """The mails sent since: the outbox is drained first, as the mail worker would."""
        mail_outbox.drain()
        paths = sorted(set(self.folder.glob("*.eml")) - self.before) if self.folder.exists() else []
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths]
