"""Append audit events for security-relevant and curatorial actions."""

from __future__ import annotations

import logging
from typing import Any

from ..extensions import db
from ..models import AuditEvent, User

log = logging.getLogger("pilotstarter.audit")


def record(
    action: str,
    actor: User | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    ip: str | None = None,
    **data: Any,
) -> AuditEvent:
    """Write one audit event in the current transaction and mirror it to the security log."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None and actor.id is not None else None,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        ip=ip,
        data=data,
    )
    db.session.add(event)
    log.info("%s actor=%s object=%s:%s ip=%s %s", action, event.actor_id, object_type, object_id, ip, data)
    return event
