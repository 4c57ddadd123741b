"""Moderation of comments as one small state machine: report → hide or restore.

Any verified account reports a comment (once per person per comment, with a reason); VNG staff and admins
hide it with a reason shown in its place ("Verborgen door de moderatie: …", the text still visible to them) or
restore it. Hiding or restoring resolves every open report of the comment. Each step goes through
:func:`_transition`: the table below decides (anything not listed raises :class:`InvalidTransition`), and
the step writes its audit event, and for hide and restore the pilot's change-log row (search drops or takes
back the comment's words), in the request's one transaction.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Comment, CommentReport, User, utcnow
from . import audit, notifications, permissions
from .change_log import record_change
from .errors import InvalidInput, ServiceError
from .permissions import require_writer

MAX_REASON = 500
STATE_LABELS: dict[str, Any] = {
    "zichtbaar": _l("Zichtbaar"),
    "gemeld": _l("Gemeld bij de moderatie"),
    "verborgen": _l("Verborgen door de moderatie"),
}
ACTION_LABELS: dict[str, Any] = {"report": _l("Melden"), "hide": _l("Verbergen"), "restore": _l("Terugzetten")}

# (moderation state, action) -> next state. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("zichtbaar", "report"): "gemeld",
    ("gemeld", "report"): "gemeld",  # more people report it: still one item in the queue
    ("zichtbaar", "hide"): "verborgen",  # a moderator may act without a report
    ("gemeld", "hide"): "verborgen",
    ("gemeld", "restore"): "zichtbaar",  # the reports were unfounded: it stays, the reports are resolved
    ("verborgen", "restore"): "zichtbaar",
}
STAFF_ACTIONS = frozenset({"hide", "restore"})

notifications.register(
    "comment.hidden",
    _l("Uw reactie bij de pilot %(pilot)s is verborgen door de moderatie: %(reason)s"),
    label=_l("Uw reactie is verborgen door de moderatie"),
    mail="immediately",
)


class InvalidTransition(ServiceError):
    """The action is not allowed in the comment's current moderation state (e.g. restoring a visible one)."""

    status = 409


def can_moderate(user: User | None) -> bool:
    """The one staff rule (permissions.is_curator): VNG staff and admins moderate."""
    return permissions.is_curator(user)


def _require_allowed(user: User | None, action: str) -> User:
    if action in STAFF_ACTIONS:
        return permissions.require_curator(user, _("Alleen VNG-medewerkers en beheerders modereren reacties."))
    return require_writer(user)


def _check_state(comment: Comment, action: str) -> str:
    if comment.is_deleted:
        raise InvalidInput(_("Deze reactie is verwijderd."))
    target = TRANSITIONS.get((comment.moderation, action))
    if target is None:
        raise InvalidTransition(
            _(
                "Dit kan nu niet: de reactie is “%(state)s” en “%(action)s” is dan niet mogelijk.",
                state=STATE_LABELS.get(comment.moderation, comment.moderation),
                action=ACTION_LABELS.get(action, action),
            )
        )
    return target


def _reason(value: str | None, required_message: str | None) -> str:
    text = " ".join((value or "").split())
    if required_message and not text:
        raise InvalidInput(required_message, {"reason": [required_message]})
    if len(text) > MAX_REASON:
        message = _("Gebruik hoogstens %(n)d tekens.", n=MAX_REASON)
        raise InvalidInput(message, {"reason": [message]})
    return text


def _transition(user: User, comment: Comment, action: str, target: str, reason: str) -> None:
    """Apply one checked step: state, reports resolved, outbox, audit — all in this transaction."""
    before = comment.moderation
    comment.moderation = target
    if action in STAFF_ACTIONS:
        db.session.execute(
            update(CommentReport)
            .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
            .values(resolved_at=utcnow(), resolution=action, resolved_by_id=user.id)
        )
        if (before == "verborgen") != (target == "verborgen"):
            record_change(comment.pilot)  # the comment's words leave or return to search
    audit.record(
        f"comment.{action}", user, "comment", comment.id, pilot=comment.pilot.slug, from_state=before,
        to_state=target, reason=reason,
    )  # fmt: skip


def report(user: User | None, comment: Comment, reason: str) -> CommentReport:
    """Report a comment to the moderators, with a reason; once per person per comment, never one's own."""
    user = _require_allowed(user, "report")
    target = _check_state(comment, "report")
    text = _reason(reason, _("Schrijf waarom deze reactie niet door de beugel kan."))
    if comment.author_id == user.id:
        raise InvalidInput(_("U kunt uw eigen reactie niet melden; verwijder of bewerk hem."))
    exists = db.session.scalar(
        select(func.count()).where(CommentReport.comment_id == comment.id, CommentReport.reporter_id == user.id)
    )
    if exists:
        raise InvalidInput(_("U heeft deze reactie al gemeld."))
    row = CommentReport(comment_id=comment.id, reporter_id=user.id, reason=text)
    db.session.add(row)
    _transition(user, comment, "report", target, text)
    return row


def hide(user: User | None, comment: Comment, reason: str) -> Comment:
    """A moderator hides the comment; the reason is shown in its place to everyone, and its author hears it."""
    user = _require_allowed(user, "hide")
    target = _check_state(comment, "hide")
    text = _reason(reason, _("Schrijf de reden; die staat op de plaats van de reactie."))
    comment.hidden_reason, comment.hidden_by_id, comment.hidden_at = text, user.id, utcnow()
    _transition(user, comment, "hide", target, text)
    notifications.notify(
        [comment.author], "comment.hidden", actor=user, pilot=comment.pilot, comment=comment.id, reason=text
    )
    return comment


def restore(user: User | None, comment: Comment, note: str = "") -> Comment:
    """A moderator shows a hidden comment again, or keeps a reported one: its open reports are resolved."""
    user = _require_allowed(user, "restore")
    target = _check_state(comment, "restore")
    text = _reason(note, None)
    comment.hidden_reason, comment.hidden_by_id, comment.hidden_at = "", None, None
    _transition(user, comment, "restore", target, text)
    return comment


def queue(state: str, limit: int = 100) -> list[tuple[Comment, list[CommentReport]]]:
    """Comments in ``state`` ("gemeld": the open queue, oldest first; "verborgen": the newest hidden first),
    each with its reports (open ones for the queue)."""
    order = (Comment.created_at, Comment.id) if state == "gemeld" else (Comment.hidden_at.desc(), Comment.id.desc())
    comments = db.session.scalars(
        select(Comment).where(Comment.moderation == state, Comment.deleted_at.is_(None)).order_by(*order).limit(limit)
    ).all()
    reports: dict[int, list[CommentReport]] = {c.id: [] for c in comments}
    if comments:
        stmt = select(CommentReport).where(CommentReport.comment_id.in_(list(reports))).order_by(CommentReport.id)
        if state == "gemeld":
            stmt = stmt.where(CommentReport.resolved_at.is_(None))
        for row in db.session.scalars(stmt):
            reports[row.comment_id].append(row)
    return [(c, reports[c.id]) for c in comments]


def reported_by(user: User | None, comment_ids: list[int]) -> set[int]:
    """Which of these comments the user already reported (their report button is replaced by a note)."""
    if user is None or not user.is_authenticated or not comment_ids:
        return set()
    return set(
        db.session.scalars(
            select(CommentReport.comment_id).where(
                CommentReport.comment_id.in_(comment_ids), CommentReport.reporter_id == user.id
            )
        )
    )
