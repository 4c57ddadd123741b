"""Accounts: registration, login with throttling, verification, password reset, profile."""

from __future__ import annotations

import math

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..database import set_write_intent
from ..extensions import db
from ..models import Organisation, User, UserSession, utcnow
from ..models.users import ROLES
from . import audit, notifications, sessions, throttle
from .errors import InvalidInput, NotFound, Throttled
from .mail import public_url
from .mail_queue import queue_account_mail
from .organisations import create_other_organisation, find_organisation, reindex_pilots_of, validate_organisation_name
from .permissions import require_account_manager
from .text_input import clean_name

MIN_PASSWORD_LENGTH = 10


def _hasher() -> PasswordHasher:
    """Argon2id with the RFC 9106 low-memory profile; the test suite sets ARGON2_PROFILE to "CHEAPEST"."""
    profile = current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY")
    cache = current_app.extensions.setdefault("pilotstarter_hashers", {})
    if profile not in cache:
        hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
        # Verifying against a dummy keeps login time equal whether or not the e-mail address exists.
        cache[profile] = (hasher, hasher.hash("pilotstarter-dummy-password"))
    return cache[profile][0]


def _dummy_hash() -> str:
    _hasher()
    return current_app.extensions["pilotstarter_hashers"][
        current_app.config.get("ARGON2_PROFILE", "RFC_9106_LOW_MEMORY")
    ][1]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """Argon2 verification of a password, or of anything else stored the same way (recovery codes)."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str) -> None:
    """:raise InvalidInput: when the password is too weak to protect a government account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("Kies een wachtwoord van minstens %(n)d tekens.", n=MIN_PASSWORD_LENGTH),
            {"password": [_("Minstens %(n)d tekens.", n=MIN_PASSWORD_LENGTH)]},
        )


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_account(
    email: str,
    name: str,
    password: str,
    organisation: Organisation,
    role: str = "member",
    verified: bool = False,
    actor: User | None = None,
    ip: str | None = None,
) -> User:
    """Make an account; self-registered accounts start unverified. :raise InvalidInput: on bad data."""
    email = normalise_email(email)
    if role not in ROLES:
        raise InvalidInput(_("Onbekende rol: %(role)s", role=role), {"role": [_("Onbekende rol.")]})
    if user_by_email(email):
        raise InvalidInput(
            _("Er bestaat al een account met dit e-mailadres."), {"email": [_("Dit e-mailadres is al in gebruik.")]}
        )
    name = clean_name(name, "name")
    if not name:
        raise InvalidInput(_("Vul uw naam in."), {"name": [_("Vul uw naam in.")]})
    check_password_strength(password)
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password),
        organisation=organisation,
        role=role,
        verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", actor or user, "user", user.id, ip, role=role, verified=verified)
    return user


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Te veel mislukte pogingen. Probeer het over %(num)d seconde opnieuw.",
            "Te veel mislukte pogingen. Probeer het over %(num)d seconden opnieuw.",
            seconds,
        )
    return _("Te veel mislukte pogingen. Probeer het over %(n)d minuten opnieuw.", n=math.ceil(seconds / 60))


def register(
    email: str, name: str, password: str, organisation: str, new_organisation: str, ip: str | None = None
) -> User | None:
    """Self-registration that does not reveal whether an address already has an account.

    Both cases check the same things, hash the password once and send one mail, so the answer and its time
    are the same: a new address gets its (unverified) account and a welcome mail; an existing one gets no
    account, and its owner a mail saying someone tried, with a link to reset the password.
    Returns the new account, or None. :raise InvalidInput: for a bad name, password or organisation.
    """
    email = normalise_email(email)
    name = clean_name(name, "name")
    if not name:
        raise InvalidInput(_("Vul uw naam in."), {"name": [_("Vul uw naam in.")]})
    check_password_strength(password)
    org = find_organisation(organisation or "")
    if org is None and new_organisation:
        validate_organisation_name(new_organisation)
    elif org is None:
        message = _("Kies uw organisatie uit de lijst, of vul hieronder de naam van uw organisatie in.")
        raise InvalidInput(message, {"organisation": [message]})
    existing = user_by_email(email)
    if existing is not None:
        hash_password(password)  # the same work as a new account, so the time reveals nothing either
        audit.record("account.register_existing", None, "user", existing.id, ip)
        if existing.active:
            _mail_existing_owner(existing)
        return None
    user = create_account(email, name, password, org or create_other_organisation(new_organisation), ip=ip)
    queue_account_mail(
        user, "account.welcome",
        _("Welkom bij Pilotstarter"),
        _("Beste %(name)s,\n\nUw account is aangemaakt. U kunt inloggen via %(link)s en alles lezen; "
          "schrijven kan zodra VNG uw account heeft geverifieerd.", name=user.name,
          link=public_url("account.login")),
    )  # fmt: skip
    return user


def _mail_existing_owner(user: User) -> None:
    link = public_url("account.reset_landing", token=make_reset_token(user))
    queue_account_mail(
        user, "account.register_existing",
        _("Poging om een account aan te maken met uw e-mailadres"),
        _("Beste %(name)s,\n\nIemand probeerde op Pilotstarter een nieuw account aan te maken met uw e-mailadres. "
          "U heeft al een account. Was u dit en bent u uw wachtwoord vergeten? Kies dan een nieuw wachtwoord "
          "via deze link (een uur geldig):\n%(link)s\n\nWas u dit niet? Dan kunt u deze mail negeren.",
          name=user.name, link=link),
    )  # fmt: skip


def authenticate(email: str, password: str, ip: str | None = None) -> User:
    """Check credentials. :raise Throttled: while a back-off applies; :raise InvalidInput: if wrong.

    The attempt is reserved in the throttle table (services/throttle.py) and committed *before* Argon2
    runs, so no database write lock is held while hashing and a parallel burst gets no extra tries.
    Commits the session itself for that reason; the outcome is recorded in the next transaction.
    """
    email = normalise_email(email)
    previous = set_write_intent(True)  # the reservation writes: on SQLite, take the write lock at BEGIN
    try:
        reservation = throttle.reserve_login(email, ip)
        user = user_by_email(email) if reservation.allowed else None
        stored_hash, active = (user.password_hash, user.active) if user else (_dummy_hash(), False)
        db.session.commit()
    finally:
        set_write_intent(previous)
    if not reservation.allowed:
        audit.record("login.throttled", None, "email", audit.identifier(email), ip, counters=reservation.refused)
        raise Throttled(_wait_message(reservation.retry_after), reservation.retry_after)
    try:
        ok = _hasher().verify(stored_hash, password) and active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        audit.record("login.failed", user, "email", audit.identifier(email), ip)
        raise InvalidInput(_("E-mailadres of wachtwoord klopt niet."))
    new_hash = hash_password(password) if _hasher().check_needs_rehash(stored_hash) else None
    throttle.login_succeeded(reservation, email, ip)
    if new_hash:
        user.password_hash = new_hash
    user.last_login_at = utcnow()
    # With two-factor login on, this is the password step only: "2fa.passed" records the end of the login.
    audit.record("login.succeeded", user, "user", user.id, ip, code_step=user.two_factor_enabled)
    return user


def pending_accounts() -> list[User]:
    """Unverified accounts, oldest first: the queue VNG staff work through."""
    return list(
        db.session.scalars(select(User).where(User.verified_at.is_(None), User.active).order_by(User.created_at))
    )


def verify_account(actor: User, user_id: int, ip: str | None = None) -> User:
    """Let an account write. Only VNG staff and admins. :raise PermissionDenied, NotFound:"""
    require_account_manager(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Account niet gevonden."))
    if not user.verified:
        user.verified_at = utcnow()
        user.verified_by_id = actor.id
        if user.organisation.pending:  # an organisation a newcomer named becomes public with them
            user.organisation.pending = False
            reindex_pilots_of([user.organisation_id])
        audit.record("account.verified", actor, "user", user.id, ip)
        notifications.notify([user], "account.verified", actor=actor)
    return user


def reject_account(actor: User, user_id: int, ip: str | None = None) -> User:
    """Block a pending account (spam, unknown person): it can no longer log in."""
    require_account_manager(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Account niet gevonden."))
    if user.verified:
        raise InvalidInput(_("Dit account is al geverifieerd."))
    user.active = False
    audit.record("account.rejected", actor, "user", user.id, ip)
    sessions.end_all(user, "account_disabled", actor=actor, ip=ip)
    return user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def queue_reset_mail(user: User) -> None:
    """Queue the password-reset link for this account (sent promptly by the mail worker)."""
    link = public_url("account.reset_landing", token=make_reset_token(user))
    queue_account_mail(
        user, "account.password_reset",
        _("Nieuw wachtwoord voor Pilotstarter"),
        _("Beste %(name)s,\n\nKies een nieuw wachtwoord via deze link (een uur geldig):\n%(link)s\n\n"
          "Heeft u dit niet aangevraagd? Dan kunt u deze mail negeren.", name=user.name, link=link),
    )  # fmt: skip


def make_reset_token(user: User) -> str:
    """A signed token; it dies when used, because it is bound to the current password hash."""
    return _reset_serializer().dumps({"uid": user.id, "h": user.password_hash[-16:]})


def user_for_reset_token(token: str) -> User:
    """:raise InvalidInput: for an expired, tampered or already used token."""
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as exc:
        raise InvalidInput(_("Deze link is verlopen. Vraag een nieuwe aan.")) from exc
    except BadSignature as exc:
        raise InvalidInput(_("Deze link is ongeldig. Vraag een nieuwe aan.")) from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        raise InvalidInput(_("Deze link is al gebruikt of ongeldig. Vraag een nieuwe aan."))
    return user


def set_password(user: User, password: str, ip: str | None = None, keep: UserSession | None = None) -> None:
    """Change the password and end every session of this account but `keep` (the one making the change)."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    audit.record("account.password_changed", user, "user", user.id, ip)
    sessions.end_all(user, "password_changed", keep=keep, ip=ip)


def reserve_guess(user: User, ip: str | None, *kinds: str) -> throttle.Reservation:
    """Count a guess at this account's code or current password (`kinds`, services/throttle.py) before it is
    checked, and commit, as `authenticate` does: a parallel burst gets no extra tries, and no write lock is
    held while Argon2 or TOTP runs. Callers read the hashes and secrets they check *before* this call (the
    commit expires loaded objects; reloading them would begin a transaction during the check).

    :raise Throttled: while the account's or the IP's back-off applies.
    """
    previous = set_write_intent(True)  # the reservation writes: on SQLite, take the write lock at BEGIN
    try:
        reservation = throttle.reserve_guess(user.id, ip, kinds)
        db.session.commit()
    finally:
        set_write_intent(previous)
    if not reservation.allowed:
        raise Throttled(_wait_message(reservation.retry_after), reservation.retry_after)
    return reservation


def change_password(user: User, current: str, new: str, keep: UserSession | None, ip: str | None = None) -> None:
    """A logged-in change: the current password first (a borrowed session alone cannot take the account).

    :raise InvalidInput: when the current password is wrong or the new one too weak; :raise Throttled: after
    PASSWORD_CHECK_FREE_FAILURES wrong current passwords, while the back-off lasts (`reserve_guess`).
    """
    stored = user.password_hash
    reservation = reserve_guess(user, ip, "password_check")
    if not password_matches(stored, current):
        audit.record("account.password_change_refused", user, "user", user.id, ip)
        raise InvalidInput(
            _("Uw huidige wachtwoord klopt niet."), {"current_password": [_("Uw huidige wachtwoord klopt niet.")]}
        )
    throttle.give_back(reservation)
    set_password(user, new, ip=ip, keep=keep)


def update_profile(user: User, name: str, locale: str, ip: str | None = None) -> User:
    """Change name and language; an actual change is audited (a taken-over account shows up there)."""
    name = clean_name(name, "name")
    if not name:
        raise InvalidInput(_("Vul uw naam in."), {"name": [_("Vul uw naam in.")]})
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_("Onbekende taal."))
    changed = {k: v for k, v in (("name", name), ("locale", locale)) if getattr(user, k) != v}
    if changed:
        old = {k: getattr(user, k) for k in changed}
        for key, value in changed.items():
            setattr(user, key, value)
        audit.record("account.profile_changed", user, "user", user.id, ip, old=old, new=changed)
    return user
