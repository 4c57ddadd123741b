"""Pilot pages: list, read, create, edit (with merge and conflict handling), Markdown preview."""

from __future__ import annotations

import dataclasses
import secrets

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..database import reads_only
from ..errors import audit_refusal
from ..extensions import csrf, db
from ..forms import apply_service_errors
from ..json_body import Expect, json_object
from ..markdown import render
from ..models.pilots import ENTRY_TYPES
from ..rate_limits import configured, limiter
from ..render_cache import render_revision
from ..services import edit_conflicts, entry_types, permissions
from ..services.engagement import pilot_engagement
from ..services.errors import InvalidInput
from ..services.matchmaking.duplicates import MIN_WORDS, DuplicatesFound, duplicate_page, publish_new_pilot, taking_part
from ..services.organisations import find_organisation, option_label, picker_organisations, provinces, resolve_partners
from ..services.participation import membership
from ..services.pilot_queries import (
    backlinks,
    get_pilot,
    list_pilots,
    participants,
    resolve_wiki_titles,
)  # fmt: skip
from ..services.pilot_template import drop_unfilled, template_body
from ..services.pilots import MAX_BODY, MAX_TAGS, EditConflict, PilotText, edit_pilot
from ..transactions import commits
from . import bp
from .filters import export_args, filters_from_args
from .forms import NewPilotForm, PilotForm, pilot_form

CSRF_EXPIRED = _l(
    "Het formulier was te lang open en is verlopen. Uw tekst staat er nog: controleer hem en sla opnieuw op."
)


@bp.get("")
def index():
    """Browse pilots with filters, sorting and pagination."""
    filters = filters_from_args()
    items, total = list_pilots(filters)
    pages = max((total + filters.per_page - 1) // filters.per_page, 1)
    if filters.page > pages and total:
        abort(404)
    org = find_organisation(filters.organisation) if filters.organisation else None
    return render_template(
        "pilots/index.html", items=items, total=total, filters=filters, pages=pages, provinces=provinces(),
        organisation=org, export_args=export_args(filters),
    )  # fmt: skip


def _text_from_form(form: PilotForm) -> PilotText:
    return PilotText(
        title=form.title.data or "", summary=form.summary.data or "", body=form.body.data or "",
        themes=form.themes.data or [], tags=form.tag_list(), status=form.status.data or "",
        edit_summary=(form.edit_summary.data or "") if form.edit_summary else "",
        entry_type=form.entry_type.data if getattr(form, "entry_type", None) else entry_types.DEFAULT_TYPE,
    )  # fmt: skip


def _csrf_only_failure(form: PilotForm) -> bool:
    """These views check CSRF in the form (to keep the text); a failure is audited like any other."""
    failed = "csrf_token" in form.errors
    if failed:
        audit_refusal("csrf.failed")
    return failed


def _preview(form: PilotForm):
    return render(form.body.data or "", resolve_wiki_titles) if request.form.get("action") == "preview" else None


def _new_entry_type(form: NewPilotForm) -> str:
    """The type the new form is for: as posted, else ``?type=`` (a link from a list or the header), else pilot."""
    chosen = form.entry_type.data if request.method == "POST" else request.args.get("type")
    return chosen if entry_types.is_entry_type(chosen) else entry_types.DEFAULT_TYPE


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/nieuw", methods=["GET", "POST"], endpoint="new_nl")  # the Dutch address, the same form
@csrf.exempt  # the form checks CSRF itself, so an expired token returns the form with the text intact
@login_required
@commits
def new():
    """Write a new pilot, best practice or challenge; owner is the user's organisation."""
    permissions.require_writer(current_user)
    form = NewPilotForm()
    entry_type = _new_entry_type(form)
    form.entry_type.data = entry_type
    form.use_type(entry_type)
    form.body.description = _(
        "De beschrijving begint met de kopjes die het portfolio-overleg nodig heeft om over opschalen te "
        "beslissen. Vul ze in; de uitleg tussen <!-- en --> en kopjes die u leeg laat, worden bij publiceren "
        "weggelaten. In Markdown: ## Kopje, **vet**, - opsomming, [tekst](https://…) en [[Titel van een andere pilot]]."
    )
    if request.method == "GET":
        form.title.data = request.args.get("title", "")[:200]
        form.token.data = secrets.token_urlsafe(24)
        form.body.data = template_body(entry_type)  # a GET's editor is always empty: start from the outline
        form.status.data = entry_types.default_status(entry_type)
    preview = _preview(form)
    adding_partner = request.form.get("action") == "add_partner"  # another partner field, nothing saved
    duplicates, reviewed = None, request.form.getlist("reviewed")
    if request.method == "POST" and preview is None and not adding_partner:
        if form.validate():
            try:
                partners = resolve_partners({f.name: f.data for f in form.partner_fields()})
                text = _text_from_form(form)
                text = dataclasses.replace(text, body=drop_unfilled(text.body))
                pilot = publish_new_pilot(current_user, text, partners, form.token.data or None, reviewed)
            except DuplicatesFound as exc:  # the check step: the form comes back with the panel
                db.session.rollback()  # nothing was saved; the view's commit must not save half of it
                duplicates = exc
            except InvalidInput as exc:
                db.session.rollback()
                apply_service_errors(form, exc.field_errors)
                if not drop_unfilled(form.body.data or ""):  # nothing written yet: the chosen type's outline
                    form.body.data = template_body(entry_type)
            else:  # committed once by @commits; the announcement follows (derived_data.after_commit)
                flash(_("Uw %(type)s is gepubliceerd.", type=entry_types.type_label(pilot.entry_type).lower()), "ok")
                return redirect(url_for("pilots.view", slug=pilot.slug))
        elif _csrf_only_failure(form):
            flash(str(CSRF_EXPIRED), "warning")
    return render_template(
        "pilots/edit.html", form=form, pilot=None, preview=preview, conflict=None,
        organisations=picker_organisations(), option_label=option_label, duplicates=duplicates,
        member_of=taking_part(current_user, [p for p, _m in duplicates.similar]) if duplicates else set(),
        min_words=MIN_WORDS, shown_partners=form.shown_partners(adding_partner),
        reviewed=",".join(dict.fromkeys(s for v in reviewed for s in v.split(",") if s)),
        entry_type=entry_type, outlines={t: template_body(t) for t in ENTRY_TYPES},
        status_options={t: entry_types.status_choices(t) for t in ENTRY_TYPES},
    )  # fmt: skip


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@csrf.exempt  # see new(): CSRF is checked by the form
@login_required
def edit(slug: str):
    """Edit like a wiki; a stale base revision is merged, overlapping changes come back as choices per part."""
    pilot = get_pilot(slug, current_user)
    if not permissions.can_edit_pilot(current_user, pilot):
        permissions.require_writer(current_user)
        abort(403)
    current = pilot.current_revision
    form = PilotForm(obj=None) if request.method == "POST" else pilot_form(pilot)
    form.use_type(pilot.entry_type)
    conflict = resolution = None
    choices, choice_errors = _choices_from_request(), {}
    if request.method == "POST" and "conflict_base" in request.form:  # the conflict page: rebuild the description
        try:
            resolution = edit_conflicts.reopen(
                pilot, _form_int("conflict_base"), form.base_revision.data, request.form.get("mine_body", "")
            )
            form.body.data = edit_conflicts.resolve(resolution, choices)
        except InvalidInput as exc:
            choice_errors = exc.field_errors
            if not choice_errors:
                flash(exc.message, "error")
                return redirect(url_for("pilots.edit", slug=pilot.slug))
    preview = None if resolution else _preview(form)
    if request.method == "POST" and preview is None and not choice_errors:
        if form.validate():
            base = form.base_revision.data or current.number
            try:
                outcome = edit_pilot(current_user, pilot, _text_from_form(form), base, token=form.token.data or None)
            except EditConflict as exc:
                db.session.rollback()
                conflict, resolution, choices = exc, edit_conflicts.from_conflict(exc), {}
                form.title.data, form.summary.data, form.body.data = exc.text.title, exc.text.summary, exc.text.body
                # The merged themes and tags too: the next save's base is the new revision, so the form holds both sides.
                form.themes.data, form.status.data = exc.text.themes, exc.text.status
                form.tags.data = ", ".join(exc.text.tags)
                form.base_revision.data, form.base_revision.raw_data = exc.current.number, None  # render the new base
                form.token.data = secrets.token_urlsafe(24)
            except InvalidInput as exc:
                apply_service_errors(form, exc.field_errors)
            else:
                db.session.commit()
                if outcome.merged:
                    flash(
                        _("Iemand anders wijzigde deze pilot intussen; uw wijzigingen zijn automatisch samengevoegd."),
                        "info",
                    )
                elif outcome.revision is None:
                    flash(_("Er was niets gewijzigd aan de tekst."), "info")
                else:
                    flash(_("Uw wijziging is opgeslagen."), "ok")
                return redirect(url_for("pilots.view", slug=pilot.slug))
        elif _csrf_only_failure(form):
            flash(str(CSRF_EXPIRED), "warning")
    if resolution is not None and not resolution.conflicts:  # the description merged after all (e.g. a resave)
        resolution = None
    return render_template(
        "pilots/edit.html", form=form, pilot=pilot, preview=preview, conflict=conflict, max_tags=MAX_TAGS,
        resolution=resolution, choices=choices, choice_errors=choice_errors,
    )  # fmt: skip


def _form_int(name: str) -> int | None:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _choices_from_request() -> dict[int, tuple[str, str]]:
    """The conflict page's choice per part (``keuze-<i>``) and its own text (``eigen-<i>``), bounded."""
    if request.method != "POST":
        return {}
    choices = {}
    for key, value in request.form.items():
        if key.startswith("keuze-") and key[6:].isdigit() and len(key) < 12:
            choices[int(key[6:])] = (value[:10], request.form.get(f"eigen-{key[6:]}", "")[: MAX_BODY + 1])
    return choices


@bp.post("/preview")
@reads_only
@limiter.limit(configured("RATELIMIT_PREVIEW"))  # anonymous: Markdown rendering of up to 200,000 characters
def preview():
    """Live preview for the editor: the same renderer and sanitizer as the page itself."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        text = request.form.get("body", "")
    else:
        text = json_object({"body": Expect.TEXT}).get("body", "")
    if len(text) > 200_000:
        return jsonify({"html": ""}), 400
    return jsonify({"html": render(text, resolve_wiki_titles).html})


@bp.get("/<slug>")
def view(slug: str):
    """Read a pilot: rendered Markdown, table of contents, participants, backlinks."""
    pilot = get_pilot(slug, current_user)
    dupes = duplicate_page(pilot, current_user)
    if dupes.merged_into is not None:  # merged for good: the main pilot is this page's address now
        return redirect(url_for("pilots.view", slug=dupes.merged_into.slug), 301)
    rendered = render_revision(pilot.current_revision)
    similar = dupes.similar
    engagement = pilot_engagement(pilot, current_user, request.args.get("province", "")[:100])
    return render_template(
        "pilots/view.html", pilot=pilot, rendered=rendered, backlinks=backlinks(pilot),
        similar=similar, partners=engagement.partners, engagement=engagement, dupes=dupes,
        participants=participants(pilot), member=membership(pilot, current_user),
        can_edit=permissions.can_edit_pilot(current_user, pilot),
        can_delete=permissions.can_delete_pilot(current_user, pilot),
    )  # fmt: skip


from . import follow_invite_routes, history_routes, membership_routes, print_routes  # noqa: E402,F401  (more routes on this blueprint)
