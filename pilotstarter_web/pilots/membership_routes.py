"""Joining and leaving a pilot; soft delete and restore by its owner or an admin."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..confirmation import render_confirmation
from ..extensions import db
from ..services.errors import InvalidInput, PermissionDenied
from ..services.matchmaking.duplicates import contribution_body
from ..services.organisations import get_organisation
from ..services.participation import join_pilot, leave_pilot, remove_participant
from ..services.permissions import require_delete_pilot
from ..services.pilot_queries import get_pilot
from ..services.pilots import MAX_TAGS, delete_pilot, restore_pilot
from ..transactions import commits
from . import bp
from .forms import pilot_form


@bp.post("/<slug>/join")
@login_required
@commits
def join(slug: str):
    """ "Doe mee" (partner or supplier) or "Interesse" (interest=1)."""
    pilot = get_pilot(slug, current_user)
    interest = request.form.get("interest") == "1"
    try:
        part = join_pilot(current_user, pilot, interest_only=interest)
    except InvalidInput as exc:  # a rule, not a fault: explain it on the pilot page
        flash(exc.message, "error")
        return redirect(url_for("pilots.view", slug=slug))
    written = [request.form.get(name, "") for name in ("title", "summary", "body")]
    if request.args.get("bijdrage") == "1" and any(w.strip() for w in written[1:]):
        return _offer_contribution(pilot, *written)
    if part.role == "interested":
        flash(_("%(org)s staat nu als geïnteresseerd bij deze pilot.", org=current_user.organisation.name), "ok")
    else:
        flash(_("%(org)s doet nu mee aan deze pilot.", org=current_user.organisation.name), "ok")
    return redirect(url_for("pilots.view", slug=slug, _anchor="deelnemers"))


def _offer_contribution(pilot, title: str, summary: str, body: str):
    """ "Doe mee" from the new-pilot form: the joined pilot's editor, its text with the one just written added
    as a contribution, not yet saved (the writer saves, edits or drops it; nothing written is lost)."""
    organisation = current_user.organisation.display_name
    form = pilot_form(
        pilot, body=contribution_body(pilot.current_revision.body, organisation, title, summary, body),
        edit_summary=_("Bijdrage van %(org)s", org=organisation),
    )  # fmt: skip
    return render_template(
        "pilots/edit.html", form=form, pilot=pilot, preview=None, conflict=None, max_tags=MAX_TAGS,
        contribution=organisation,
    )  # fmt: skip


@bp.post("/<slug>/leave")
@login_required
@commits
def leave(slug: str):
    pilot = get_pilot(slug, current_user)
    try:
        left = leave_pilot(current_user, pilot)
    except InvalidInput as exc:
        db.session.rollback()  # a refusal saves nothing the service flushed
        flash(exc.message, "error")
        return redirect(url_for("pilots.view", slug=slug))
    if left == "interested":  # "Geen interesse meer" is answered in its own words
        flash(_("%(org)s staat niet meer als geïnteresseerd bij deze pilot.", org=current_user.organisation.name), "ok")
    else:
        flash(_("%(org)s doet niet meer mee aan deze pilot.", org=current_user.organisation.name), "ok")
    return redirect(url_for("pilots.view", slug=slug, _anchor="deelnemers"))


@bp.post("/<slug>/participants/remove", endpoint="remove_participant")
@login_required
@commits
def remove_participant_view(slug: str):
    """The pilot's team takes an organisation off the participants; it is told, and the removal audited."""
    pilot = get_pilot(slug, current_user)
    organisation = get_organisation(request.form.get("organisation", "")[:64])
    try:
        remove_participant(current_user, pilot, organisation)
    except (InvalidInput, PermissionDenied) as exc:
        db.session.rollback()  # a refusal saves nothing the service flushed
        flash(exc.message, "error")
        return redirect(url_for("pilots.view", slug=slug, _anchor="deelnemers"))
    flash(_("%(org)s staat niet meer als deelnemer bij deze pilot.", org=organisation.display_name), "ok")
    return redirect(url_for("pilots.view", slug=slug, _anchor="deelnemers"))


@bp.get("/<slug>/delete", endpoint="confirm_delete")
@login_required
def confirm_delete(slug: str):
    """ "Pilot verwijderen" asks first, with an optional reason. :raise 403: for who may not delete it."""
    pilot = get_pilot(slug, current_user)
    require_delete_pilot(current_user, pilot)
    return render_confirmation(
        title=_("Pilot verwijderen"),
        question=_("Weet u zeker dat u de pilot ‘%(title)s’ wilt verwijderen?", title=pilot.title),
        consequence=_(
            "De pilot verdwijnt uit lijsten en zoekresultaten. De tekst en geschiedenis blijven bewaard: de "
            "eigenaar-organisatie en beheerders kunnen hem terugzetten."
        ),
        action=url_for("pilots.delete", slug=slug),
        confirm_label=_("Ja, pilot verwijderen"),
        cancel_url=url_for("pilots.view", slug=slug),
        reason_label=_("Reden van verwijderen (optioneel)"),
    )


@bp.post("/<slug>/delete")
@login_required
@commits
def delete(slug: str):
    pilot = get_pilot(slug, current_user)
    delete_pilot(current_user, pilot, request.form.get("reason", ""))
    flash(_("De pilot is verwijderd. U kunt hem terugzetten zolang u deze pagina kunt openen."), "ok")
    return redirect(url_for("pilots.view", slug=slug))


@bp.post("/<slug>/restore")
@login_required
@commits
def restore(slug: str):
    pilot = get_pilot(slug, current_user)
    restore_pilot(current_user, pilot)
    flash(_("De pilot is teruggezet."), "ok")
    return redirect(url_for("pilots.view", slug=slug))
