"""Append audit events for security-relevant and curatorial actions."""

from __future__ import annotations

import logging
from typing import Any

from email_validator import EmailNotValidError, validate_email

from ..extensions import db
from ..models import AuditEvent, User

log = logging.getLogger("pilotstarter.audit")
REDACTED = "[geen e-mailadres]"  # what was typed was not an address: perhaps a password in the wrong field


def identifier(typed: str) -> str:
    """What someone typed as their e-mail address, fit for the audit log: the address if it is one, else a marker.

    People type their password into the e-mail field; the audit table must not keep it.
    """
    try:
        validate_email(typed, check_deliverability=False)
    except EmailNotValidError:
        return REDACTED
    return typed


def record(
    action: str,
    actor: User | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    ip: str | None = None,
    *,
    commit: bool = False,
    **data: Any,
) -> AuditEvent:
    """Write one audit event in the current transaction and mirror it to the security log.

    `commit=True` for events on requests that otherwise write nothing (logout, refusals): they would be lost.
    An anonymous visitor (Flask-Login's AnonymousUserMixin) is recorded as no actor.
    """
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        ip=ip,
        data=data,
    )
    db.session.add(event)
    log.info("%s actor=%s object=%s:%s ip=%s %s", action, event.actor_id, object_type, object_id, ip, data)
    if commit:
        db.session.commit()
    return event
