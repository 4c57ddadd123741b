"""/moderatie: the queue of reported comments and the hidden ones, for VNG staff and admins."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..services import comment_moderation, comments, permissions
from ..services.errors import InvalidInput
from . import bp
from .forms import HideForm


@bp.app_template_global("can_moderate")
def can_moderate() -> bool:
    return comment_moderation.can_moderate(current_user)


def _require_moderator() -> None:
    permissions.require_curator(current_user, _("Alleen VNG-medewerkers en beheerders modereren reacties."))


@bp.get("/moderatie")
@login_required
def queue():
    """Open reports, oldest first, and the comments hidden most recently."""
    _require_moderator()
    return render_template(
        "discussion/moderation.html", reported=comment_moderation.queue("gemeld"),
        hidden=comment_moderation.queue("verborgen", limit=50), form=HideForm(formdata=None),
    )  # fmt: skip


@bp.post("/moderatie/<int:comment_id>/verbergen")
@login_required
def hide(comment_id: int):
    """Hide a comment with a reason shown in its place; its open reports are resolved."""
    _require_moderator()
    comment = comments.get_comment(comment_id, current_user)
    form = HideForm()
    if form.validate():
        try:
            comment_moderation.hide(current_user, comment, form.reason.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("De reactie is verborgen."), "ok")
    else:
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
    return redirect(url_for("discussion.queue"))


@bp.post("/moderatie/<int:comment_id>/terugzetten")
@login_required
def restore(comment_id: int):
    """Show a hidden comment again, or keep a reported one: its open reports are resolved."""
    _require_moderator()
    comment = comments.get_comment(comment_id, current_user)
    comment_moderation.restore(current_user, comment)
    db.session.commit()
    flash(_("De reactie is weer zichtbaar."), "ok")
    if request.form.get("from") == "pilot":
        return redirect(url_for("pilots.view", slug=comment.pilot.slug, _anchor=f"reactie-{comment.id}"))
    return redirect(url_for("discussion.queue"))
