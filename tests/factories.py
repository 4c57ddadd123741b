"""Plain factory functions: each builds exactly what it says, committed, with overridable fields."""

from __future__ import annotations

import itertools
import time

import pyotp
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Notification, Organisation, Pilot, User
from pilotstarter_web.services.accounts import create_account
from pilotstarter_web.services.entry_types import default_status
from pilotstarter_web.services.organisations import find_organisation
from pilotstarter_web.services.participation import add_agreed_partners
from pilotstarter_web.services.pilots import PilotText, create_pilot
from pilotstarter_web.services.two_factor import enrol_with_secret

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def org(code: str = "GM0344") -> Organisation:
    """A reference organisation by code (Utrecht by default)."""
    found = find_organisation(code)
    assert found is not None, code
    return found


def make_user(
    organisation: str = "GM0344",
    role: str = "member",
    verified: bool = True,
    email: str | None = None,
    name: str | None = None,
    two_factor: bool = False,
) -> User:
    """A user with PASSWORD; `two_factor=True` turns TOTP login on (log in with `auth.login`, it fills the code)."""
    n = next(_seq)
    user = create_account(
        email or f"user{n}@example.nl",
        name or f"Gebruiker {n}",
        PASSWORD,
        org(organisation),
        role=role,
        verified=verified,
    )
    if two_factor:
        enrol_with_secret(user, pyotp.random_base32(32))
    db.session.commit()
    return user


def totp_code(user: User, step: int | None = None) -> str:
    """A code the server accepts now: the current time step, or the next one when the current one is used
    (a code works once; one step of clock drift is allowed), so a test may log in twice within 30 seconds."""
    db.session.commit()  # end this thread's read snapshot: the secret may come from another thread's request
    db.session.refresh(user)
    if step is None:
        step = max(int(time.time()) // 30, (user.totp_last_step or -1) + 1)
    return pyotp.TOTP(user.totp_secret).generate_otp(step)


def make_pilot(
    author: User | None = None,
    title: str | None = None,
    body: str = "## Aanleiding\n\nEen pilot.\n\n## Aanpak\n\nStap voor stap.\n",
    summary: str = "Een korte samenvatting.",
    themes: list[str] | None = None,
    status: str = "idee",
    partners: list[str] = (),
    entry_type: str = "pilot",
) -> Pilot:
    """A published entry; a best practice or challenge starts with its type's first status unless one is given."""
    author = author or make_user()
    if entry_type != "pilot" and status == "idee":
        status = default_status(entry_type)
    text = PilotText(title or f"Testpilot {next(_seq)}", summary, body, themes or ["data"], [], status)
    text.entry_type = entry_type
    pilot = create_pilot(author, text)
    add_agreed_partners(pilot, [org(c) for c in partners])  # partners that agreed: see test_consent for the asking
    db.session.commit()
    return pilot


def notification_kinds(user: User) -> list[str]:
    """The kinds of the notifications a user got, oldest first (ordered: PostgreSQL returns rows in any order)."""
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id))
    )
