"""Who wants which mail how often: per person and notification kind, with one-click unsubscribe links.

A kind someone never chose follows its default (services/notifications.py: ``default_frequency``). The
unsubscribe link names (user, kind) and is signed with the app's SECRET_KEY under its own salt: the signature
is the proof, so it works without logging in. A digest's link ("digest.daily"/"digest.weekly") turns off
every kind that goes into that digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from ..extensions import db
from ..models import MailPreference, User, utcnow
from . import audit, notifications
from .errors import InvalidInput

FREQUENCIES: dict[str, Any] = {
    "immediately": _l("Direct"),
    "daily": _l("Dagelijkse samenvatting"),
    "weekly": _l("Wekelijkse samenvatting"),
    "never": _l("Nooit"),
}
DIGESTS = ("daily", "weekly")
DIGEST_KIND = "digest."  # prefix of a digest mail's kind: digest.daily, digest.weekly
MAX_TOKEN = 300  # a real token is well under 100 characters


def kinds() -> list[str]:
    """Every registered notification kind, in a stable order for the settings page."""
    return sorted(notifications.MESSAGES)


def frequencies(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's choice for this kind, or the default: one query for all of them."""
    ids = [u.id for u in users]
    chosen = dict(
        db.session.execute(
            select(MailPreference.user_id, MailPreference.frequency).where(
                MailPreference.user_id.in_(ids), MailPreference.kind == kind
            )
        ).all()
    ) if ids else {}  # fmt: skip
    default = notifications.default_frequency(kind)
    return {i: chosen.get(i, default) for i in ids}


def for_user(user: User) -> dict[str, str]:
    """kind -> frequency for every kind, as the settings page shows them."""
    chosen = dict(
        db.session.execute(
            select(MailPreference.kind, MailPreference.frequency).where(MailPreference.user_id == user.id)
        ).all()
    )
    return {k: chosen.get(k, notifications.default_frequency(k)) for k in kinds()}


def set_preferences(user: User, wanted: dict[str, str], ip: str | None = None, via: str = "settings") -> int:
    """Store the user's choices; an actual change is audited. :raise InvalidInput: for an unknown kind or value.

    :return: how many kinds changed.
    """
    current = for_user(user)
    for kind, frequency in wanted.items():
        if kind not in current or frequency not in FREQUENCIES:
            raise InvalidInput(str(_l("Onbekende e-mailinstelling.")))
    changed = {k: f for k, f in wanted.items() if current[k] != f}
    if not changed:
        return 0
    rows = {
        p.kind: p
        for p in db.session.scalars(
            select(MailPreference).where(MailPreference.user_id == user.id, MailPreference.kind.in_(list(changed)))
        )
    }
    for kind, frequency in changed.items():
        row = rows.get(kind) or MailPreference(user_id=user.id, kind=kind)
        row.frequency, row.updated_at = frequency, utcnow()
        db.session.add(row)
    audit.record(
        "mail.preferences_changed", user, "user", user.id, ip, via=via,
        old={k: current[k] for k in changed}, new=changed,
    )  # fmt: skip
    return len(changed)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="mail-unsubscribe")


def unsubscribe_token(user: User, kind: str) -> str:
    """The signed (user, kind) pair of a mail's unsubscribe link; it does not expire (old mails keep working)."""
    return _serializer().dumps([user.id, kind])


def read_token(token: str) -> tuple[User, str]:
    """:raise InvalidInput: for a tampered, truncated or unknown link."""
    message = str(
        _l("Deze afmeldlink is ongeldig of beschadigd. Controleer of u de hele link uit de e-mail heeft gebruikt.")
    )
    if len(token) > MAX_TOKEN:
        raise InvalidInput(message)
    try:
        user_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError) as exc:
        raise InvalidInput(message) from exc
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not isinstance(kind, str) or not (kind in notifications.MESSAGES or is_digest(kind)):
        raise InvalidInput(message)
    return user, kind


def is_digest(kind: str) -> bool:
    return kind.startswith(DIGEST_KIND) and kind.removeprefix(DIGEST_KIND) in DIGESTS


def unsubscribe(user: User, kind: str, ip: str | None = None) -> int:
    """Turn the kind off (a digest: every kind that goes into it); audited. :return: how many kinds changed."""
    if is_digest(kind):
        frequency = kind.removeprefix(DIGEST_KIND)
        wanted = {k: "never" for k, f in for_user(user).items() if f == frequency}
    else:
        wanted = {kind: "never"}
    changed = set_preferences(user, wanted, ip, via="unsubscribe")
    audit.record("mail.unsubscribed", user, "user", user.id, ip, kind=kind, changed=changed)
    return changed


def unsubscribe_label(kind: str) -> str:
    """What an unsubscribe link turns off, in words."""
    if is_digest(kind):
        return str(FREQUENCIES[kind.removeprefix(DIGEST_KIND)])
    return notifications.kind_label(kind)
