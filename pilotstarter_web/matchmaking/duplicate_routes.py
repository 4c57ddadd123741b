"""Duplicate pilots: the live warning while writing, "geen dubbel", "dubbel van …" and merging."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..database import reads_only
from ..errors import problem
from ..extensions import db
from ..json_body import TEXT_FIELDS, Expect, json_object
from ..services import entry_types, permissions
from ..services.errors import InvalidInput
from ..services.matchmaking.duplicates import (
    dismiss_duplicate,
    find_main_candidate,
    mark_duplicate,
    merge_duplicate,
    taking_part,
    undo_dismissal,
    unmark_duplicate,
    writing_warning,
)  # fmt: skip
from ..services.pilot_queries import get_pilot
from ..services.pilot_template import drop_unfilled
from ..services.pilots import check_draft_size
from ..transactions import commits
from . import bp


def _back(pilot_slug: str, anchor: str = "vergelijkbaar"):
    return redirect(url_for("pilots.view", slug=pilot_slug, _anchor=anchor))


@bp.post("/pilots/new/similar")
@reads_only
@login_required
def similar_while_writing():
    """The "Lijkt op bestaande pilots" panel for the text typed so far (HTML plus a short announcement)."""
    permissions.require_writer(current_user)
    data = json_object({**TEXT_FIELDS, "type": Expect.TEXT})
    fields = [data.get(k, "") for k in ("title", "summary", "body")]
    entry_type = data.get("type") if entry_types.is_entry_type(data.get("type")) else entry_types.DEFAULT_TYPE
    try:
        check_draft_size(*fields)  # the form's limits per field, as POST /api/v1/similar
    except InvalidInput as exc:  # JSON for the page's script, like every JSON helper (errors.problem)
        return problem(exc.status, exc.message, errors=exc.field_errors)
    fields[2] = drop_unfilled(fields[2])  # the outline's own words would make every new pilot look alike
    similar = writing_warning(*fields, entry_type=entry_type)
    duplicates = sum(1 for _p, m in similar if m.duplicate)
    message = ngettext("%(num)d vergelijkbare pilot gevonden", "%(num)d vergelijkbare pilots gevonden", len(similar))
    if duplicates:
        message += ", " + ngettext("waarvan %(num)d mogelijk dubbel", "waarvan %(num)d mogelijk dubbel", duplicates)
    html = render_template(
        "matchmaking/_similar_warning.html", similar=similar, check_step=False, member_of=taking_part(current_user, [p for p, _m in similar])
    )  # fmt: skip
    return jsonify(
        {
            "count": len(similar),
            "duplicates": [p.slug for p, m in similar if m.duplicate],
            "message": message if similar else "",
            "html": html if similar else "",
        }
    )


@bp.post("/pilots/<slug>/not-duplicate")
@login_required
@commits
def not_duplicate(slug: str):
    """ "Geen dubbel": remember that this pair is not a duplicate (any verified member)."""
    pilot = get_pilot(slug, current_user)
    other = get_pilot(request.form.get("other", ""), current_user)
    try:
        dismiss_duplicate(current_user, pilot, other, request.form.get("reason", ""))
    except InvalidInput as exc:
        db.session.rollback()  # a refusal saves nothing the service flushed
        flash(exc.message, "error")
        return _back(slug)
    flash(_("Gemarkeerd als geen dubbel: %(title)s staat nu bij de verwante pilots.", title=other.title), "ok")
    return _back(slug)


@bp.post("/pilots/<slug>/not-duplicate/undo")
@login_required
@commits
def not_duplicate_undo(slug: str):
    """VNG staff take a "geen dubbel" mark back."""
    pilot = get_pilot(slug, current_user)
    other = get_pilot(request.form.get("other", ""), current_user)
    undo_dismissal(current_user, pilot, other)
    flash(_("De markering 'geen dubbel' is ingetrokken."), "ok")
    return _back(slug)


@bp.post("/pilots/<slug>/duplicate-of")
@login_required
@commits
def duplicate_of(slug: str):
    """VNG staff mark this pilot "dubbel van" a main pilot, chosen from the list or typed as an address."""
    pilot = get_pilot(slug, current_user)
    permissions.require_writer(current_user)
    choice = request.form.get("main_slug", "").strip() or request.form.get("main", "")
    try:
        main = find_main_candidate(pilot, choice) if choice else None
        if main is None:
            raise InvalidInput(_("Kies de hoofdpilot."))
        mark_duplicate(current_user, pilot, main)
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back(slug, "dubbel-beheer")
    flash(_("Deze pilot is gemarkeerd als dubbel van %(title)s.", title=main.title), "ok")
    return _back(slug, "dubbel-melding")


@bp.post("/pilots/<slug>/duplicate-of/undo")
@login_required
@commits
def duplicate_of_undo(slug: str):
    """VNG staff take back "dubbel van" before a merge."""
    pilot = get_pilot(slug, current_user)
    try:
        unmark_duplicate(current_user, pilot)
    except InvalidInput as exc:
        db.session.rollback()  # a refusal saves nothing the service flushed
        flash(exc.message, "error")
        return _back(slug, "dubbel-melding")
    flash(_("De markering 'dubbel van' is ingetrokken."), "ok")
    return _back(slug, "dubbel-beheer")


@bp.post("/pilots/<slug>/merge")
@login_required
@commits
def merge(slug: str):
    """VNG staff merge a duplicate into its main pilot; its page then forwards there."""
    pilot = get_pilot(slug, current_user)
    try:
        main = merge_duplicate(current_user, pilot)
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back(slug, "dubbel-melding")
    flash(
        _(
            "%(dup)s is samengevoegd met deze pilot; de deelnemende organisaties doen nu hier mee.",
            dup=pilot.title,
        ),
        "ok",
    )
    return redirect(url_for("pilots.view", slug=main.slug, _anchor="dubbel-melding"))
