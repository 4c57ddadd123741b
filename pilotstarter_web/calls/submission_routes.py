"""Submission pages: start a submission, the submission's page (co-submitters, confirmations, pledges,
suggestions, proposals), the committee's scoring page and the proposal form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..forms import apply_service_errors
from ..models import Organisation
from ..models.organisations import GOVERNMENT_KINDS
from ..services import call_proposals, call_scoring, call_submissions, challenges
from ..services.errors import InvalidInput
from ..services.pilots import PilotText
from ..transactions import commits
from . import bp
from .forms import InviteForm, PledgeForm, ProposalForm, ReasonForm, StartForm
from .routes import markdown_html


def _government_choices() -> list[tuple[str, str]]:
    """The organisations that count as government, for the invite select."""
    orgs = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind.in_(GOVERNMENT_KINDS), Organisation.pending.is_(False))
        .order_by(Organisation.name)
    )
    return [("", _("Kies een organisatie"))] + [(o.code, o.display_name) for o in orgs]


@bp.route("/<key>/indienen", methods=["GET", "POST"])
@login_required
def start(key: str):
    """A government starts a submission: an existing challenge of its own, or a new one written here."""
    call = challenges.get_call(key, current_user)
    form = StartForm()
    own = call_submissions.own_challenges(current_user)
    form.pilot.choices = [("", _("Een nieuwe challenge beschrijven"))] + [(str(p.id), p.title) for p in own]
    status = 200
    if request.method == "POST":
        chosen = next((p for p in own if str(p.id) == form.pilot.data), None)
        text = None if chosen else PilotText(form.title.data or "", form.summary.data or "", form.body.data or "")
        try:
            submission = call_submissions.start_submission(current_user, call, form.pledge.data, chosen, text)
        except InvalidInput as exc:
            db.session.rollback()
            apply_service_errors(form, exc.field_errors)
            flash(exc.message, "error")
            status = 422
        else:
            db.session.commit()
            flash(_("De inzending is aangemaakt. Nodig nu de medeindieners uit."), "ok")
            return redirect(url_for("calls.submission", submission_id=submission.id))
    else:
        call_submissions.require_can_start(current_user, call)
    return render_template("calls/start.html", call=call, form=form), status


def _submission_page(submission, status: int = 200, **forms):
    """The submission page with the forms that apply to this viewer."""
    user = current_user
    forms.setdefault("invite_form", InviteForm(formdata=None))
    forms["invite_form"].organisation.choices = _government_choices() if challenges.is_lead(user, submission) else []
    forms.setdefault("pledge_form", PledgeForm(formdata=None))
    forms.setdefault("proposal_form", ProposalForm(formdata=None))
    forms.setdefault("reason_form", ReasonForm(formdata=None))
    own_row = next(
        (p for p in submission.partners if user.is_authenticated and p.organisation_id == user.organisation_id), None
    )
    is_lead = challenges.is_lead(user, submission)
    return render_template(
        "calls/submission.html", submission=submission, call=submission.call, is_lead=is_lead, own_row=own_row,
        missing=call_submissions.missing(submission) if submission.state == "concept" else [],
        suggestions=call_submissions.suggested_co_submitters(submission) if is_lead and submission.state == "concept" else [],
        proposals=call_proposals.visible_proposals(user, submission),
        can_propose=call_proposals.can_propose(user, submission), can_score=call_scoring.can_score(user, submission),
        conflict=call_scoring.conflict_of_interest(user, submission) and challenges.is_committee(user, submission.call),
        total_pledge=call_submissions.total_pledge(submission), markdown_html=markdown_html,
        timeline=challenges.timeline(submission.call, submission), **forms,
    ), status  # fmt: skip


@bp.get("/inzendingen/<int:submission_id>")
def submission(submission_id: int):
    """One submission: its organisations and pledges, what is missing, and (once selected) its proposals."""
    return _submission_page(challenges.get_submission(submission_id, current_user))


def _form_step(submission_id: int, form, form_name: str, call, done: str):
    """Run one step from the submission page; a field error shows the page again with the typed text (422)."""
    submission = challenges.get_submission(submission_id, current_user)
    try:
        call(submission, form)
    except InvalidInput as exc:
        db.session.rollback()
        apply_service_errors(form, exc.field_errors)
        flash(exc.message, "error")
        return _submission_page(submission, 422, **{form_name: form})
    db.session.commit()
    flash(done, "ok")
    return redirect(url_for("calls.submission", submission_id=submission_id))


@bp.post("/inzendingen/<int:submission_id>/uitnodigen")
@login_required
def invite(submission_id: int):
    """The lead invites a government as co-submitter."""
    form = InviteForm()
    form.organisation.choices = _government_choices()

    def step(submission, f):
        """Invite the organisation chosen by code."""
        org = db.session.scalar(select(Organisation).where(Organisation.code == (f.organisation.data or "")[:64]))
        call_submissions.invite(current_user, submission, org)

    return _form_step(submission_id, form, "invite_form", step, _("De organisatie is uitgenodigd als medeindiener."))


@bp.post("/inzendingen/<int:submission_id>/bevestigen")
@login_required
def confirm(submission_id: int):
    """An invited government confirms and pledges its share."""
    return _form_step(
        submission_id, PledgeForm(), "pledge_form",
        lambda s, f: call_submissions.confirm(current_user, s, f.pledge.data),
        _("Uw organisatie dient deze challenge mee in. Bedankt!"),
    )  # fmt: skip


@bp.post("/inzendingen/<int:submission_id>/afslaan")
@login_required
@commits
def decline(submission_id: int):
    """An invited government says no."""
    submission = challenges.get_submission(submission_id, current_user)
    call_submissions.decline(current_user, submission)
    flash(_("U heeft de uitnodiging afgeslagen."), "ok")
    return redirect(url_for("calls.submission", submission_id=submission_id))


@bp.post("/inzendingen/<int:submission_id>/indienen")
@login_required
def submit(submission_id: int):
    """The lead submits once the rules are met."""
    return _form_step(
        submission_id, ReasonForm(), "reason_form", lambda s, f: call_submissions.submit(current_user, s),
        _("De challenge is ingediend bij de oproep."),
    )  # fmt: skip


@bp.post("/inzendingen/<int:submission_id>/intrekken")
@login_required
def withdraw(submission_id: int):
    """The lead withdraws the challenge before the call closes."""
    return _form_step(
        submission_id, ReasonForm(), "reason_form",
        lambda s, f: call_submissions.withdraw(current_user, s, f.reason.data), _("De challenge is ingetrokken."),
    )  # fmt: skip


@bp.route("/inzendingen/<int:submission_id>/beoordelen", methods=["GET", "POST"])
@login_required
def score(submission_id: int):
    """A committee member scores every criterion, each with a motivation."""
    submission = challenges.get_submission(submission_id, current_user)
    call_scoring.require_score(current_user, submission)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {
            c.id: (request.form.get(f"score_{c.id}", "")[:4], request.form.get(f"motivation_{c.id}", "")[:6000])
            for c in submission.call.criteria
        }
        try:
            call_scoring.save_scores(current_user, submission, values)
        except InvalidInput as exc:
            db.session.rollback()
            errors, status = exc.field_errors, 422
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Uw beoordeling is opgeslagen."), "ok")
            return redirect(url_for("calls.score", submission_id=submission_id))
    own = call_scoring.own_scores(current_user, submission)
    values = request.form if request.method == "POST" else {}
    return render_template(
        "calls/score.html", submission=submission, call=submission.call, own=own, errors=errors, values=values,
        scale=range(call_scoring.SCALE[0], call_scoring.SCALE[1] + 1),
        visible=call_scoring.visible_scores(current_user, submission), markdown_html=markdown_html,
    ), status  # fmt: skip


@bp.post("/inzendingen/<int:submission_id>/voorstel")
@login_required
def propose(submission_id: int):
    """A supplier or researcher sends a proposal for a selected challenge."""
    return _form_step(
        submission_id, ProposalForm(), "proposal_form",
        lambda s, f: call_proposals.submit_proposal(
            current_user, s, f.title.data, f.body.data, f.price.data, f.timeline.data
        ),
        _("Uw voorstel is verstuurd naar de indieners van de challenge."),
    )  # fmt: skip


@bp.post("/voorstellen/<int:proposal_id>/aanvaarden")
@login_required
def accept(proposal_id: int):
    """The lead accepts one proposal with a reason."""
    proposal = call_proposals.get_proposal(proposal_id)
    return _form_step(
        proposal.submission_id, ReasonForm(), "reason_form",
        lambda s, f: call_proposals.accept(current_user, proposal, f.reason.data),
        _("Het voorstel is aanvaard. De indieners van de andere voorstellen zijn op de hoogte gebracht."),
    )  # fmt: skip
