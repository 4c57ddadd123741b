"""/notifications: newest first with paging, open one (marks it read), mark all read."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..database import set_write_intent
from ..request_args import int_arg
from ..services import notifications
from ..services.invitations import open_invitations
from ..transactions import commits
from . import bp


@bp.before_request
def _opening_writes() -> None:
    """Opening a notification marks it read: declare the write before the first query (SQLite BEGIN IMMEDIATE)."""
    if request.endpoint == "notifications.open_one":
        set_write_intent(True)


@bp.get("")
@login_required
def index():
    """The user's notifications, newest first; ?unread=1 shows only unread ones. Open invitations on top."""
    unread_only = request.args.get("unread") == "1"
    page = int_arg("page")
    items, total = notifications.for_user(current_user, page, unread_only)
    pages = max((total + notifications.PER_PAGE - 1) // notifications.PER_PAGE, 1)
    return render_template(
        "notifications/index.html", items=items, total=total, page=page, pages=pages, unread_only=unread_only,
        invitations=open_invitations(current_user),
    )  # fmt: skip


@bp.get("/<int:notification_id>")
@login_required
@commits
def open_one(notification_id: int):
    """Mark one of the user's own notifications read and go to its pilot.

    :raise 404: for someone else's notification (not 403: ids are not confirmed to strangers).
    """
    notification = notifications.open_notification(current_user, notification_id)
    if notification.pilot is None:
        return redirect(url_for("notifications.index"))
    if notification.kind.startswith("call.") and isinstance((notification.data or {}).get("submission"), int):
        return redirect(url_for("calls.submission", submission_id=notification.data["submission"]))
    if notification.kind.startswith("call.") and (notification.data or {}).get("call_slug"):
        return redirect(url_for("calls.view", key=notification.data["call_slug"]))
    anchor = "uitnodiging" if notification.kind == "pilot.invited" else None
    if isinstance(comment_id := (notification.data or {}).get("comment"), int):  # comment.* kinds: the comment
        anchor = f"reactie-{comment_id}"
    return redirect(url_for("pilots.view", slug=notification.pilot.slug, _anchor=anchor))


@bp.post("/read")
@login_required
@commits
def read_all():
    """ "Alles als gelezen markeren"."""
    count = notifications.mark_read(current_user)
    flash(_("Alle meldingen zijn als gelezen gemarkeerd.") if count else _("Er waren geen ongelezen meldingen."), "ok")
    return redirect(url_for("notifications.index"))
