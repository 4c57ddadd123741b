"""Call pages: the list, a call's public page, and the staff forms (new, edit, committee, open, close, publish).
Each route parses input and calls one service; the services decide who may do what."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..forms import apply_service_errors
from ..markdown import render
from ..services import call_admin, call_proposals, call_scoring, call_submissions, challenges
from ..services.call_admin import CallData
from ..services.errors import InvalidInput
from ..transactions import commits
from . import bp
from .forms import CallForm, CommitteeForm


@bp.record_once
def _labels(state) -> None:
    """Labels the call templates share."""
    state.app.jinja_env.globals.update(
        CALL_STATE_LABELS=challenges.CALL_STATE_LABELS, SUBMISSION_STATE_LABELS=challenges.SUBMISSION_STATE_LABELS,
        CALL_ACTION_LABELS=challenges.ACTION_LABELS,
    )  # fmt: skip


def markdown_html(text: str) -> Markup:
    """User Markdown through the one sanitizing renderer."""
    return Markup(render(text or "").html)  # noqa: S704 -- sanitized by markdown.render (nh3)


@bp.get("")
def index():
    """Open calls first, then closed ones, with dates and counts (concepts for staff only)."""
    return render_template(
        "calls/index.html", calls=challenges.list_calls(current_user), can_manage=challenges.can_manage(current_user)
    )


@bp.get("/<key>")
def view(key: str):
    """A call: description, criteria and weights, dates, the submissions and, once published, the selection."""
    call = challenges.get_call(key, current_user)
    published = call_scoring.published_ranking(call)
    return render_template(
        "calls/view.html", call=call, description=markdown_html(call.description),
        submissions=challenges.public_submissions(call), published=published,
        accepted={s.id: call_proposals.accepted(s) for s in published}, markdown_html=markdown_html,
        can_manage=challenges.can_manage(current_user), is_committee=challenges.is_committee(current_user, call),
        accepting=call_submissions.accepting(call),
        can_start=call_submissions.accepting(call) and challenges.is_government(getattr(current_user, "organisation", None)), timeline=challenges.timeline(call),
    )  # fmt: skip


def _date(raw: str | None) -> date | None:
    """A typed ISO date, or None (the service then names the field)."""
    try:
        return date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def _data(form: CallForm) -> CallData:
    """The form as the service's input (the service checks every value)."""
    criteria = call_admin.parse_criteria(form.criteria.data or "")
    return CallData(
        title=form.title.data or "", description=form.description.data or "", opens_on=_date(form.opens_on.data),
        closes_on=_date(form.closes_on.data), min_cofunding=form.min_cofunding.data or "",
        budget=form.budget.data, criteria=criteria,
    )  # fmt: skip


def _call_form_page(form: CallForm, call=None, status: int = 200):
    """The new/edit form, again with the typed text after an error."""
    return render_template("calls/call_form.html", form=form, call=call), status


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Staff: a new call (a concept until opened)."""
    challenges.require_manager(current_user)
    form = CallForm()
    if request.method == "GET":
        form.criteria.data, form.min_cofunding.data = call_admin.criteria_text(None), "20"
        return _call_form_page(form)
    try:
        call = call_admin.create_call(current_user, _data(form))
    except InvalidInput as exc:
        db.session.rollback()
        apply_service_errors(form, exc.field_errors)
        flash(exc.message, "error")
        return _call_form_page(form, status=422)
    db.session.commit()
    flash(_("De oproep is aangemaakt als concept. Stel een commissie samen en stel hem open."), "ok")
    return redirect(url_for("calls.view", key=call.slug))


@bp.route("/<key>/bewerken", methods=["GET", "POST"])
@login_required
def edit(key: str):
    """Staff: edit a call until it closes (criteria while it is a concept)."""
    challenges.require_manager(current_user)
    call = challenges.get_call(key, current_user)
    form = CallForm(obj=None if request.method == "POST" else call)
    if request.method == "GET":
        form.opens_on.data, form.closes_on.data = call.opens_on.isoformat(), call.closes_on.isoformat()
        form.min_cofunding.data, form.budget.data = str(call.min_cofunding), str(call.budget or "")
        form.criteria.data = call_admin.criteria_text(call)
        return _call_form_page(form, call)
    try:
        call_admin.edit_call(current_user, call, _data(form))
    except InvalidInput as exc:
        db.session.rollback()
        apply_service_errors(form, exc.field_errors)
        flash(exc.message, "error")
        return _call_form_page(form, call, 422)
    db.session.commit()
    flash(_("De oproep is bijgewerkt."), "ok")
    return redirect(url_for("calls.view", key=call.slug))


@bp.route("/<key>/commissie", methods=["GET", "POST"])
@login_required
def committee(key: str):
    """Staff: who is on the selection committee."""
    challenges.require_manager(current_user)
    call = challenges.get_call(key, current_user)
    form = CommitteeForm()
    status = 200
    if request.method == "POST":
        try:
            member = call_admin.add_committee_member(current_user, call, form.email.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            apply_service_errors(form, exc.field_errors)
            status = 422
        else:
            db.session.commit()
            flash(_("%(name)s zit nu in de commissie.", name=member.user.name), "ok")
            return redirect(url_for("calls.committee", key=call.slug))
    return render_template("calls/committee.html", call=call, form=form), status


@bp.post("/<key>/commissie/<int:user_id>/verwijderen")
@login_required
@commits
def remove_member(key: str, user_id: int):
    """Staff: take a member off the committee (until publication)."""
    call = challenges.get_call(key, current_user)
    call_admin.remove_committee_member(current_user, call, user_id)
    flash(_("Het lid is uit de commissie gehaald."), "ok")
    return redirect(url_for("calls.committee", key=call.slug))


@bp.post("/<key>/openstellen")
@login_required
@commits
def open_call(key: str):
    """Staff: publish a concept call; governments can submit from its open date."""
    call = challenges.get_call(key, current_user)
    challenges.open_call(current_user, call)
    flash(_("De oproep is open: overheden kunnen challenges indienen."), "ok")
    return redirect(url_for("calls.view", key=call.slug))


@bp.post("/<key>/sluiten")
@login_required
@commits
def close_call(key: str):
    """Staff: close the call; the committee can score and nobody can submit any more."""
    call = challenges.get_call(key, current_user)
    challenges.close_call(current_user, call)
    flash(_("De oproep is gesloten. De commissie kan de challenges beoordelen."), "ok")
    return redirect(url_for("calls.view", key=call.slug))


@bp.route("/<key>/selectie", methods=["GET", "POST"])
@login_required
def publish(key: str):
    """Staff: the ranking (weighted averages, all scores) and the selection with a reason per challenge."""
    call = challenges.get_call(key, current_user)
    call_scoring.require_ranking_view(current_user, call)
    rows = call_scoring.ranking(call)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        decisions = {
            row.submission.id: (
                request.form.get(f"selected_{row.submission.id}") == "1",
                request.form.get(f"reason_{row.submission.id}", "")[:5000],
            )
            for row in rows
        }
        try:
            call_scoring.publish(current_user, call, decisions)
        except InvalidInput as exc:
            db.session.rollback()
            errors, status = exc.field_errors, 422
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("De selectie is gepubliceerd. Indieners zijn op de hoogte gebracht."), "ok")
            return redirect(url_for("calls.view", key=call.slug, _anchor="selectie"))
    return render_template(
        "calls/publish.html", call=call, rows=rows, errors=errors, values=request.form,
        scores={row.submission.id: call_scoring.visible_scores(current_user, row.submission) for row in rows},
    ), status  # fmt: skip


@bp.post("/<key>/selectie/<int:submission_id>/corrigeren")
@login_required
def correct(key: str, submission_id: int):
    """Staff correct one published decision: its own step on the timeline, with a public reason."""
    call = challenges.get_call(key, current_user)
    submission = challenges.get_submission(submission_id, current_user)
    try:
        call_scoring.correct(
            current_user, call, submission, request.form.get("selected") == "1", request.form.get("reason", "")[:6000]
        )
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("calls.publish", key=call.slug, _anchor=f"inzending-{submission_id}"))
    db.session.commit()
    flash(_("De beslissing is gecorrigeerd. De reden staat bij de selectie."), "ok")
    return redirect(url_for("calls.view", key=call.slug, _anchor="selectie"))
