"""Writing in a pilot's discussion: post, reply, edit, delete, "nuttig", report; the mention autocomplete.

Every form also works without JavaScript: a refused text comes back on its own page with the message next
to the field and the text kept. Views that catch a service refusal commit by hand (transactions.py).
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..confirmation import render_confirmation
from ..extensions import db
from ..forms import apply_service_errors
from ..rate_limits import configured, limiter
from ..request_args import int_arg
from ..services import comment_moderation, comments, mentions
from ..services.errors import InvalidInput
from ..services.pilot_queries import get_pilot
from ..transactions import commits
from . import bp
from .forms import CommentForm, ReportForm


def comment_url(comment) -> str:
    """The comment's place on its pilot page (notifications link there too)."""
    return url_for("pilots.view", slug=comment.pilot.slug, _anchor=f"reactie-{comment.id}")


@bp.app_template_global("pilot_discussion")
def pilot_discussion(pilot) -> dict:
    """What the pilot page's "Discussie" section shows (a template helper: no change to the pilot route)."""
    page = comments.discussion(pilot, current_user, int_arg("discussie"))
    ids = [c.id for top, replies in page.threads for c in (top, *replies)]
    return {
        "page": page,
        "can_comment": comments.can_comment(current_user, pilot),
        "can_moderate": comment_moderation.can_moderate(current_user),
        "reported": comment_moderation.reported_by(current_user, ids),
        "max_body": comments.MAX_BODY,
        "form": CommentForm(formdata=None),
    }


def _write_page(form: CommentForm, pilot, mode: str, comment=None, status: int = 200):
    return render_template("discussion/write.html", form=form, pilot=pilot, mode=mode, comment=comment), status


@bp.post("/pilots/<slug>/reacties")
@login_required
@limiter.limit(configured("RATELIMIT_COMMENTS"))
def post(slug: str):
    """A new comment, or a reply when ``reply_to`` names a comment of this pilot."""
    pilot = get_pilot(slug, current_user)
    comments.require_comment(current_user, pilot)
    form = CommentForm()
    reply_to = comments.get_comment(form.reply_to.data, current_user) if form.reply_to.data else None
    mode = "reply" if reply_to else "new"
    if not form.validate():
        return _write_page(form, pilot, mode, reply_to, 400)
    try:
        comment = comments.post_comment(current_user, pilot, form.body.data or "", reply_to)
    except InvalidInput as exc:
        db.session.rollback()
        apply_service_errors(form, exc.field_errors or {"body": [exc.message]})
        return _write_page(form, pilot, mode, reply_to, 422)
    db.session.commit()
    flash(_("Uw antwoord is geplaatst.") if reply_to else _("Uw reactie is geplaatst."), "ok")
    return redirect(comment_url(comment))


@bp.route("/reacties/<int:comment_id>/bewerken", methods=["GET", "POST"])
@login_required
@limiter.limit(configured("RATELIMIT_COMMENTS"), methods=["POST"])
def edit(comment_id: int):
    """The author edits their comment; the page shows "bewerkt" with the time afterwards."""
    comment = comments.get_comment(comment_id, current_user)
    comments.require_own(current_user, comment)
    form = CommentForm(data={"body": comment.body}) if request.method == "GET" else CommentForm()
    if request.method == "POST":
        if not form.validate():
            return _write_page(form, comment.pilot, "edit", comment, 400)
        try:
            comments.edit_comment(current_user, comment, form.body.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            apply_service_errors(form, exc.field_errors or {"body": [exc.message]})
            return _write_page(form, comment.pilot, "edit", comment, 422)
        db.session.commit()
        flash(_("Uw reactie is bijgewerkt."), "ok")
        return redirect(comment_url(comment))
    return _write_page(form, comment.pilot, "edit", comment)


@bp.get("/reacties/<int:comment_id>/verwijderen", endpoint="confirm_delete")
@login_required
def confirm_delete(comment_id: int):
    """Asks before the author's comment goes. :raise 403: for anyone but its author."""
    comment = comments.get_comment(comment_id, current_user)
    comments.require_own(current_user, comment)
    return render_confirmation(
        title=_("Reactie verwijderen"),
        question=_(
            "Weet u zeker dat u uw reactie van %(when)s wilt verwijderen?", when=format_datetime(comment.created_at)
        ),
        consequence=_(
            "Heeft iemand erop geantwoord, dan blijft er ‘verwijderde reactie’ staan, zodat de antwoorden te volgen blijven."
        ),
        action=url_for("discussion.delete", comment_id=comment_id),
        confirm_label=_("Ja, reactie verwijderen"),
        cancel_url=url_for("pilots.view", slug=comment.pilot.slug, _anchor=f"reactie-{comment.id}"),
    )


@bp.post("/reacties/<int:comment_id>/verwijderen")
@login_required
@commits
def delete(comment_id: int):
    comment = comments.get_comment(comment_id, current_user)
    slug = comment.pilot.slug
    comments.delete_comment(current_user, comment)
    flash(_("Uw reactie is verwijderd."), "ok")
    return redirect(url_for("pilots.view", slug=slug, _anchor="discussie"))


@bp.post("/reacties/<int:comment_id>/nuttig")
@login_required
@commits
def useful(comment_id: int):
    """Toggle the reader's "nuttig" mark."""
    comment = comments.get_comment(comment_id, current_user)
    marked = comments.toggle_useful(current_user, comment)
    flash(_("U vindt deze reactie nuttig.") if marked else _("Uw markering 'nuttig' is weggehaald."), "ok")
    return redirect(comment_url(comment))


@bp.route("/reacties/<int:comment_id>/melden", methods=["GET", "POST"])
@login_required
@limiter.limit(configured("RATELIMIT_COMMENTS"), methods=["POST"])
def report(comment_id: int):
    """Report a comment to the moderators, with a reason (the pilot page's form posts here too)."""
    comment = comments.get_comment(comment_id, current_user)
    form = ReportForm()
    if request.method == "POST" and form.validate():
        try:
            comment_moderation.report(current_user, comment, form.reason.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            apply_service_errors(form, exc.field_errors or {"reason": [exc.message]})
        else:
            db.session.commit()
            flash(_("Bedankt. De moderatie bekijkt uw melding."), "ok")
            return redirect(comment_url(comment))
    status = 422 if form.errors else 200
    return render_template("discussion/report.html", form=form, comment=comment), status


@bp.get("/reacties/namen")
@login_required
@limiter.limit(configured("RATELIMIT_MENTIONS"))
def names():
    """The mention autocomplete: people and organisations whose name holds ``q`` (bounded, see mentions.py)."""
    return jsonify({"items": mentions.suggest(request.args.get("q", ""))})
