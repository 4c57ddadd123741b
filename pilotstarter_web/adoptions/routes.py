"""Adoption pages: the entry page's "Wie neemt dit over" section (a template global), declaring, updating and
withdrawing. Each view parses the form and calls one service (services/adoptions.py), which decides who may.
Views that catch a refused form commit by hand (transactions.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..confirmation import render_confirmation
from ..extensions import db
from ..forms import apply_service_errors
from ..portfolio import audit_text
from ..services import adoptions
from ..services.adoptions import STAGE_LABELS, AdoptionInput
from ..services.errors import InvalidInput
from ..services.pilot_queries import get_pilot
from ..transactions import commits
from . import bp
from .forms import AdoptionForm

# The audit log's words for the adoption events (services/adoptions.py records them).
AUDIT_SENTENCES = {
    "adoption.declared": (_l("Overname gemeld"), _l("%(actor)s meldde dat %(organisation)s %(pilot)s overneemt")),
    "adoption.stage_changed": (
        _l("Fase overname gewijzigd"),
        _l("%(actor)s wijzigde de fase van de overname van %(pilot)s door %(organisation)s"),
    ),
    "adoption.updated": (
        _l("Overname bijgewerkt"),
        _l("%(actor)s werkte de overname van %(pilot)s door %(organisation)s bij"),
    ),
    "adoption.withdrawn": (
        _l("Overname ingetrokken"),
        _l("%(actor)s trok de overname van %(pilot)s door %(organisation)s in"),
    ),
    "adoption.corrected": (
        _l("Overname gecorrigeerd"),
        _l("%(actor)s corrigeerde de overname van %(pilot)s door %(organisation)s"),
    ),
    "adoption.removed": (
        _l("Overname verwijderd"),
        _l("%(actor)s verwijderde de overname van %(pilot)s door %(organisation)s"),
    ),
}
for _action, (_name, _sentence) in AUDIT_SENTENCES.items():
    audit_text.register(_action, _name, _sentence)


@bp.record_once
def _labels(state) -> None:
    state.app.jinja_env.globals.update(ADOPTION_STAGE_LABELS=STAGE_LABELS)


def map_url(slug: str) -> str:
    """Where the map shows who reuses this entry."""
    return url_for("maps.index", hergebruik=slug)


@bp.app_template_global("adoption_panel")
def adoption_panel(pilot) -> dict:
    """Data for the entry page's "Wie neemt dit over" section, without touching the entry's route."""
    data = adoptions.panel(pilot, current_user)
    data["form"] = AdoptionForm(formdata=None)
    data["map_url"] = map_url(pilot.slug)
    return data


def _input(form: AdoptionForm) -> AdoptionInput:
    return AdoptionInput(
        stage=form.stage.data or "", contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "", contact_phone=form.contact_phone.data or "",
        note=form.note.data or "", since=adoptions.day_from_text(form.since.data),
    )  # fmt: skip


def _back(pilot) -> str:
    return url_for("pilots.view", slug=pilot.slug, _anchor="overnemen")


@bp.route("/pilots/<slug>/overnemen", methods=["GET", "POST"])
@login_required
def declare(slug: str):
    """ "Wij nemen dit over": a government organisation adopts a scaled-up pilot or a best practice."""
    pilot = get_pilot(slug, current_user)
    form = AdoptionForm()
    if request.method == "GET":
        adoptions.require_declare(current_user, pilot)  # the precise reason: 403, or 409 for the entry
        return render_template("adoptions/form.html", pilot=pilot, form=form, adoption=None)
    try:
        adoptions.declare(current_user, pilot, _input(form))
    except InvalidInput as exc:
        db.session.rollback()
        apply_service_errors(form, exc.field_errors or {"stage": [exc.message]})
        return render_template("adoptions/form.html", pilot=pilot, form=form, adoption=None), 422
    db.session.commit()
    flash(_("Dank u: %(org)s staat nu bij wie dit overneemt.", org=current_user.organisation.display_name), "ok")
    return redirect(_back(pilot))


@bp.route("/pilots/<slug>/overnemen/<int:adoption_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, adoption_id: int):
    """The adopting organisation moves the stage on (or back) and keeps the contact current; staff correct."""
    pilot = get_pilot(slug, current_user)
    adoption = adoptions.get_adoption(pilot, adoption_id)
    adoptions.require_manage(current_user, adoption)
    if request.method == "GET":
        form = AdoptionForm(obj=adoption, formdata=None)
        form.since.data = adoption.since.isoformat()
        return render_template("adoptions/form.html", pilot=pilot, form=form, adoption=adoption)
    form = AdoptionForm()
    try:
        adoptions.update(current_user, adoption, _input(form))
    except InvalidInput as exc:
        db.session.rollback()
        apply_service_errors(form, exc.field_errors or {"stage": [exc.message]})
        return render_template("adoptions/form.html", pilot=pilot, form=form, adoption=adoption), 422
    db.session.commit()
    flash(_("De overname is bijgewerkt."), "ok")
    return redirect(_back(pilot))


@bp.get("/pilots/<slug>/overnemen/<int:adoption_id>/intrekken")
@login_required
def confirm_withdraw(slug: str, adoption_id: int):
    pilot = get_pilot(slug, current_user)
    adoption = adoptions.get_adoption(pilot, adoption_id)
    adoptions.require_manage(current_user, adoption)
    return render_confirmation(
        title=_("Overname intrekken"),
        question=_(
            "Wilt u de overname van %(title)s door %(org)s intrekken?",
            title=pilot.title,
            org=adoption.organisation.display_name,
        ),
        consequence=_("De melding en het contact verdwijnen van de pagina. U kunt later opnieuw melden."),
        action=url_for("adoptions.withdraw", slug=slug, adoption_id=adoption_id),
        confirm_label=_("Overname intrekken"),
        cancel_url=_back(pilot),
    )


@bp.post("/pilots/<slug>/overnemen/<int:adoption_id>/intrekken")
@login_required
@commits
def withdraw(slug: str, adoption_id: int):
    pilot = get_pilot(slug, current_user)
    adoptions.withdraw(current_user, adoptions.get_adoption(pilot, adoption_id))
    flash(_("De overname is ingetrokken."), "ok")
    return redirect(_back(pilot))
