"""Two-factor login: TOTP codes (RFC 6238, via pyotp) and one-time recovery codes.

Everyone may turn it on; roles in TWO_FACTOR_REQUIRED_ROLES (VNG staff and admins by default) must.
A code is accepted once: the time step it belongs to is stored, and only a later step works next time.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from datetime import timedelta

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from ..extensions import db
from ..models import RecoveryCode, User, UserSession, utcnow
from . import audit, sessions, throttle
from .accounts import hash_password, password_matches, reserve_guess
from .errors import InvalidInput, PermissionDenied, Throttled

ISSUER = "Pilotstarter"
RECOVERY_CODE_COUNT = 10
# Recovery codes: 10 characters without look-alikes (0/o, 1/l/i), shown as "abcde-fghjk": 49 bits, kept as Argon2.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_TOTP_CODE = re.compile(r"\d{6}")


def required_for(user: User) -> bool:
    """Whether this account's role may not work without a second factor."""
    return user.role in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]


def must_enrol(user: User) -> bool:
    return required_for(user) and not user.two_factor_enabled


def start_enrolment(user: User) -> str:
    """A fresh secret, not in use until confirmed with a code. :raise InvalidInput: when already on."""
    if user.two_factor_enabled:
        raise InvalidInput(_("Tweestapsverificatie staat al aan."))
    user.totp_secret = pyotp.random_base32(32)
    db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(user: User, label: str) -> str:
    """The provisioning URI as an inline SVG QR code; `label` names it for screen readers."""
    svg = segno.make(provisioning_uri(user), error="m").svg_inline(scale=4, omitsize=True, svgclass="qr-code")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _totp_step(secret: str | None, code: str) -> int | None:
    """The time step (now, or one step either side for clock drift) whose code this is, if any."""
    if not secret or not _TOTP_CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    return next((step for step in (now - 1, now, now + 1) if hmac.compare_digest(totp.generate_otp(step), code)), None)


def _use_step(user: User, step: int) -> bool:
    """Claim the step atomically: a code replayed (even by a concurrent request) finds it taken."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(user, ["totp_last_step"])
    return claimed == 1


def _use_totp(user: User, secret: str | None, code: str) -> bool:
    step = _totp_step(secret, code)
    return step is not None and _use_step(user, step)


def _unused_recovery_hashes(user: User) -> list[tuple[int, str]]:
    """(id, hash) of the unused recovery codes, read before the guess is reserved (see accounts.reserve_guess)."""
    rows = db.session.execute(
        select(RecoveryCode.id, RecoveryCode.code_hash).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return [(row.id, row.code_hash) for row in rows]


def _use_recovery_code(user: User, hashes: list[tuple[int, str]], code: str, ip: str | None) -> bool:
    """Argon2 against each unused code (no transaction open), then spend the match atomically."""
    if len(code) != 10:
        return False
    match = next((code_id for code_id, code_hash in hashes if password_matches(code_hash, code)), None)
    if match is None:
        return False
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == match, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent == 1:
        audit.record("2fa.recovery_code_used", user, "user", user.id, ip, left=remaining_recovery_codes(user))
    return spent == 1


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the recovery codes; the plain codes are returned once, to be shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(code)) for code in codes)
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _wrong_code(user: User, ip: str | None, stage: str) -> InvalidInput:
    audit.record("2fa.code_failed", user, "user", user.id, ip, stage=stage)
    message = _("Deze code klopt niet. Gebruik de nieuwste code uit uw app; elke code werkt één keer.")
    return InvalidInput(message, {"code": [message]})


def confirm_enrolment(user: User, code: str, keep: UserSession | None, ip: str | None = None) -> list[str]:
    """Turn two-factor login on with a first code; returns the recovery codes. Other sessions end.

    :raise InvalidInput: when the code does not match the new secret, or enrolment was not started.
    """
    if user.two_factor_enabled:
        raise InvalidInput(_("Tweestapsverificatie staat al aan."))
    if not user.totp_secret:
        raise InvalidInput(_("Begin opnieuw met instellen."))
    if not _use_totp(user, user.totp_secret, _normalise(code)):  # not a guess: the user was just shown the secret
        raise _wrong_code(user, ip, "enrolment")
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record("2fa.enabled", user, "user", user.id, ip)
    sessions.end_all(user, "two_factor_enabled", keep=keep, ip=ip)
    return codes


def renew_recovery_codes(user: User, password: str, ip: str | None = None) -> list[str]:
    """Ten new recovery codes for the old ones (used up, or seen by someone else); needs the password.

    :raise InvalidInput: for a wrong password or when two-factor login is off; :raise Throttled: after too many.
    """
    if not user.two_factor_enabled:
        raise InvalidInput(_("Tweestapsverificatie staat niet aan."))
    stored = user.password_hash
    reservation = reserve_guess(user, ip, "password_check")
    if not password_matches(stored, password or ""):
        audit.record("2fa.code_failed", user, "user", user.id, ip, stage="recovery_codes")
        message = _("Uw wachtwoord klopt niet.")
        raise InvalidInput(message, {"password": [message]})
    throttle.give_back(reservation)
    codes = _new_recovery_codes(user)
    audit.record("2fa.recovery_codes_renewed", user, "user", user.id, ip)
    return codes


def enrol_with_secret(user: User, secret: str) -> None:
    """Turn it on with a known secret, unconfirmed: for the public demo accounts (cli.py) and test factories."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    audit.record("2fa.enabled", None, "user", user.id, demo=True)
    db.session.flush()


def disable(user: User, password: str, code: str, keep: UserSession | None, ip: str | None = None) -> None:
    """Turn two-factor login off with the password or a current code; other sessions end.

    :raise PermissionDenied: for roles that require it; :raise InvalidInput: when neither proof matches;
    :raise Throttled: after too many wrong codes or passwords (counted with the login's, `reserve_guess`).
    """
    if required_for(user):
        raise PermissionDenied(_("Voor uw rol is tweestapsverificatie verplicht; u kunt die niet uitzetten."))
    if not user.two_factor_enabled:
        raise InvalidInput(_("Tweestapsverificatie staat niet aan."))
    stored, secret = user.password_hash, user.totp_secret
    # A borrowed session must not guess its way to turning it off: each proof given counts on its counter.
    kinds = tuple(kind for kind, given in (("password_check", password), ("code", code)) if given) or ("code",)
    reservation = reserve_guess(user, ip, *kinds)
    if not ((password and password_matches(stored, password)) or (code and _use_totp(user, secret, _normalise(code)))):
        audit.record("2fa.code_failed", user, "user", user.id, ip, stage="disable")
        message = _("Vul uw wachtwoord of een geldige code in.")
        raise InvalidInput(message, {"password": [message]})
    throttle.give_back(reservation)
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("2fa.disabled", user, "user", user.id, ip)
    sessions.end_all(user, "two_factor_disabled", keep=keep, ip=ip)


def pending_expired(row: UserSession) -> bool:
    """A half-finished login (password done, code not yet) lasts a few minutes, then a fresh login is needed."""
    limit = timedelta(minutes=current_app.config["TWO_FACTOR_PENDING_MINUTES"])
    return row.ended_at is not None or not row.user.active or utcnow() - row.created_at > limit


def _count_try(row: UserSession, limit: int) -> int | None:
    """Count a code on its login row in one statement (a parallel burst cannot all read the same count);
    the count so far, or None when the row had its `limit` already or ended."""
    tries = db.session.execute(
        update(UserSession)
        .where(UserSession.id == row.id, UserSession.failed_codes < limit, UserSession.ended_at.is_(None))
        .values(failed_codes=UserSession.failed_codes + 1)
        .returning(UserSession.failed_codes)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return tries


def second_step(row: UserSession, code: str, ip: str | None = None) -> None:
    """Check the code of a half-finished login; the caller then starts the real session.

    Every code is counted before it is checked: on the row (after TWO_FACTOR_MAX_FAILURES the row ends and a
    fresh login is needed), and per account and IP in the throttle table (`reserve_guess`), so new logins do
    not buy endless guesses. :raise InvalidInput: for a wrong code; :raise Throttled: when this login, or the
    account, has had too many.
    """
    user, cfg = row.user, current_app.config
    secret, recovery = user.totp_secret, _unused_recovery_hashes(user)
    tries = _count_try(row, cfg["TWO_FACTOR_MAX_FAILURES"])
    try:
        if tries is None:
            raise Throttled(_("Te veel onjuiste codes. Log opnieuw in."))
        reservation = reserve_guess(user, ip, "code")  # commits the row's count too
    except Throttled:
        sessions.end(row, "too_many_codes", ip=ip)
        raise
    code = _normalise(code)
    if _use_totp(user, secret, code) or _use_recovery_code(user, recovery, code, ip):
        throttle.give_back(reservation)
        audit.record("2fa.passed", user, "user", user.id, ip)
        sessions.end(row, "second_factor_done", ip=ip)
        return
    error = _wrong_code(user, ip, "login")
    if tries >= cfg["TWO_FACTOR_MAX_FAILURES"]:
        sessions.end(row, "too_many_codes", ip=ip)
        raise Throttled(_("Te veel onjuiste codes. Log opnieuw in."))
    raise error
