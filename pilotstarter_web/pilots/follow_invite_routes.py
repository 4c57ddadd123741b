"""Following a pilot, inviting a suggested organisation to it, and answering an invitation."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..account.following_routes import back_from_unfollow
from ..extensions import db
from ..services import follows, invitations
from ..services.errors import InvalidInput, NotFound, PermissionDenied
from ..services.organisations import get_organisation
from ..services.pilot_queries import get_pilot
from ..transactions import commits
from . import bp


@bp.post("/<slug>/follow")
@login_required
@commits
def follow(slug: str):
    pilot = get_pilot(slug, current_user)
    try:
        follows.follow(current_user, pilot)
    except InvalidInput as exc:
        db.session.rollback()  # a refusal saves nothing the service flushed
        flash(exc.message, "error")
        return redirect(url_for("pilots.view", slug=slug))
    flash(_("U volgt deze pilot. U krijgt een melding als er iets verandert."), "ok")
    return redirect(url_for("pilots.view", slug=slug))


@bp.post("/<slug>/unfollow")
@login_required
@commits
def unfollow(slug: str):
    pilot = get_pilot(slug, current_user)
    follows.unfollow(current_user, pilot)
    flash(_("U volgt de pilot ‘%(title)s’ niet meer.", title=pilot.title), "ok")
    return back_from_unfollow(url_for("pilots.view", slug=slug))


def _back(slug: str, anchor: str):
    """Back to where the button was: the pilot page, an organisation page or the notifications page."""
    origin = request.form.get("from", "")
    if origin == "notifications":
        return redirect(url_for("notifications.index"))
    if origin.startswith("organisation:"):
        try:
            org = get_organisation(origin.removeprefix("organisation:"))  # a known code only: no open redirect
        except NotFound:
            return redirect(url_for("pilots.view", slug=slug, _anchor=anchor))
        return redirect(url_for("organisations.view", code=org.code, _anchor="samenwerken"))
    return redirect(url_for("pilots.view", slug=slug, _anchor=anchor))


@bp.post("/<slug>/invite")
@login_required
@commits
def invite(slug: str):
    """ "Uitnodigen" next to a suggested partner: once per organisation, its members are told."""
    pilot = get_pilot(slug, current_user)
    organisation = get_organisation(request.form.get("organisation", "")[:64])
    try:
        invitation, created = invitations.invite(current_user, pilot, organisation, request.form.get("message", ""))
    except (InvalidInput, PermissionDenied) as exc:
        db.session.rollback()  # a refusal saves nothing the service flushed
        flash(exc.message, "error")
        return _back(slug, "partners")
    if created:
        flash(_("%(org)s is uitgenodigd voor deze pilot.", org=organisation.display_name), "ok")
    else:
        flash(
            _(
                "%(org)s was al uitgenodigd op %(d)s.",
                org=organisation.display_name,
                d=format_date(invitation.created_at, "d MMMM y"),
            ),
            "info",
        )
    return _back(slug, "partners")


@bp.post("/<slug>/invitation/accept")
@login_required
@commits
def accept_invitation(slug: str):
    """ "Uitnodiging aannemen": the user's organisation joins as partner."""
    pilot = get_pilot(slug, current_user)
    invitation = invitations.pending_for(current_user, pilot)
    if invitation is None:
        flash(_("Er is geen openstaande uitnodiging voor uw organisatie bij deze pilot."), "error")
        return _back(slug, "deelnemers")
    try:
        invitations.accept(current_user, invitation)
    except (InvalidInput, PermissionDenied) as exc:
        db.session.rollback()  # a refusal saves nothing the service flushed
        flash(exc.message, "error")
        return _back(slug, "deelnemers")
    flash(_("%(org)s doet nu mee aan deze pilot.", org=current_user.organisation.display_name), "ok")
    return redirect(url_for("pilots.view", slug=slug, _anchor="deelnemers"))


@bp.post("/<slug>/invitation/decline")
@login_required
@commits
def decline_invitation(slug: str):
    pilot = get_pilot(slug, current_user)
    invitation = invitations.pending_for(current_user, pilot)
    if invitation is None:
        flash(_("Er is geen openstaande uitnodiging voor uw organisatie bij deze pilot."), "error")
        return _back(slug, "deelnemers")
    invitations.decline(current_user, invitation)
    flash(_("U heeft de uitnodiging afgeslagen."), "ok")
    return _back(slug, "deelnemers")
