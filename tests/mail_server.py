"""A real SMTP server in the test process (aiosmtpd), and switching the app's mail settings to it.

conftest.py forbids smtplib.SMTP in every test; these helpers give it back, for loopback only, to the tests
that ask for the `smtp_server` fixture.
"""

from __future__ import annotations

import email
import email.policy
import smtplib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller

REAL_SMTP = smtplib.SMTP  # taken before conftest's guard replaces it


class Inbox:
    """What the server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_listening(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextmanager
def mail_config(app, port: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the app at 127.0.0.1:port (no TLS, no login) and allow smtplib again."""
    monkeypatch.setattr(smtplib, "SMTP", REAL_SMTP)
    before = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    try:
        yield
    finally:
        app.config.update(before)


@pytest.fixture
def smtp_port(app, monkeypatch) -> Iterator[int]:
    """The app mails to this port; nothing listens yet (start one with smtp_listening)."""
    port = free_port()
    with mail_config(app, port, monkeypatch):
        yield port


@pytest.fixture
def smtp_server(smtp_port) -> Iterator[Inbox]:
    """A running SMTP server the app mails to."""
    with smtp_listening(smtp_port) as inbox:
        yield inbox
