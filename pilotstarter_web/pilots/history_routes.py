"""A pilot's history: revision list, one old revision, diff between two, revert."""

from __future__ import annotations

import itertools

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..render_cache import render_revision
from ..request_args import int_arg
from ..services import permissions
from ..services.errors import InvalidInput
from ..services.pilot_queries import get_pilot, get_revision, revision_page
from ..services.pilots import revert_pilot
from ..services.textdiff import diff_html, diff_stats, metadata_changes
from . import bp

HISTORY_PER_PAGE = 50  # each row costs a bounded diff (textdiff.DIFF_BUDGET): a page stays well under 0.5 s


@bp.get("/<slug>/history")
def history(slug: str):
    """The revisions, newest first, HISTORY_PER_PAGE a page, with author, summary and size of the change.
    :raise 404: for a page past the last."""
    pilot = get_pilot(slug, current_user)
    page = int_arg("page")
    revs, before, pages = revision_page(pilot, page, HISTORY_PER_PAGE)
    if page > pages:
        abort(404)
    stats, metadata = {}, {}
    for newer, older in itertools.pairwise([*revs, *([before] if before else [])]):
        stats[newer.number] = diff_stats(older.body, newer.body)
        metadata[newer.number] = metadata_changes(older, newer)
    return render_template(
        "pilots/history.html", pilot=pilot, revisions=revs, stats=stats, metadata=metadata, page=page, pages=pages
    )


@bp.get("/<slug>/revisions/<int:number>")
def revision(slug: str, number: int):
    """An old version as it read then."""
    pilot = get_pilot(slug, current_user)
    rev = get_revision(pilot, number)
    return render_template(
        "pilots/revision.html", pilot=pilot, rev=rev, rendered=render_revision(rev),
        can_edit=permissions.can_edit_pilot(current_user, pilot),
    )  # fmt: skip


@bp.get("/<slug>/diff")
def diff(slug: str):
    """Word-level differences between revisions `from` and `to` (default: the last change)."""
    pilot = get_pilot(slug, current_user)
    latest = pilot.current_revision.number
    try:
        to_n = int(request.args.get("to", latest))
        from_n = int(request.args.get("from", to_n - 1))
    except ValueError:
        abort(400)
    if from_n < 1:
        flash(_("Dit is de eerste revisie; er is niets om mee te vergelijken."), "info")
        return redirect(url_for("pilots.revision", slug=slug, number=to_n))
    old, new = get_revision(pilot, from_n), get_revision(pilot, to_n)
    return render_template(
        "pilots/diff.html", pilot=pilot, old=old, new=new,
        title_diff=diff_html(old.title, new.title), summary_diff=diff_html(old.summary, new.summary),
        body_diff=diff_html(old.body, new.body), metadata=metadata_changes(old, new),
    )  # fmt: skip


@bp.post("/<slug>/revisions/<int:number>/revert")
@login_required
def revert(slug: str, number: int):
    """Make the text of an old revision current again, as a new revision."""
    pilot = get_pilot(slug, current_user)
    try:
        rev = revert_pilot(current_user, pilot, number)
    except InvalidInput as exc:
        flash(exc.message, "error")
        return redirect(url_for("pilots.revision", slug=slug, number=number))
    db.session.commit()
    flash(_("De tekst van revisie %(old)d is teruggezet als revisie %(new)d.", old=number, new=rev.number), "ok")
    return redirect(url_for("pilots.view", slug=slug))
