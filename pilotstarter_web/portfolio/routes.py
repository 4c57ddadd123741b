"""Portfolio pages: the VNG dashboard, a pilot's review, meetings and their agendas, exports, the public
overview of scaled pilots and the audit log. Each route parses input and calls one service; the services
decide who may do what (so a crafted form gets the same 403 as the API)."""

from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..forms import apply_service_errors
from ..request_args import int_arg
from ..services import adoption_stats, portfolio, scaleup
from ..services.errors import InvalidInput
from ..services.pilot_queries import get_pilot
from ..services.scaleup_checklist import checklist
from ..transactions import commits
from . import audit_text, bp
from .forms import (
    DecideForm,
    FlagForm,
    MeetingForm,
    MinutesForm,
    NominateForm,
    ScheduleForm,
    SendBackForm,
    UnscheduleForm,
)  # fmt: skip


@bp.record_once
def _labels(state) -> None:
    """Labels the portfolio templates and the pilot page's panel share."""
    state.app.jinja_env.globals.update(ACTION_LABELS=scaleup.ACTION_LABELS, DECISION_LABELS=scaleup.DECISION_LABELS)


@bp.app_template_global("scale_up_panel")
def scale_up_panel(pilot) -> dict:
    """Data for the pilot page's scale-up panel (portfolio/_pilot_panel.html), without touching its route."""
    data = scaleup.panel(pilot, current_user)
    data["form"] = NominateForm(formdata=None)
    return data


@bp.app_template_global("can_curate_portfolio")
def can_curate_portfolio() -> bool:
    """The "Portfolio" link in the header, for VNG staff and admins."""
    return scaleup.can_curate(current_user)


@bp.app_template_global("scale_up_label")
def scale_up_label(state: str) -> str:
    return str(scaleup.STATE_LABELS.get(state, state))


@bp.get("")
def dashboard():
    """VNG staff: counts per state, the queue, suggestions, the next meeting. Others see the public overview."""
    if not scaleup.can_curate(current_user):
        return redirect(url_for("portfolio.scaled"))
    upcoming = portfolio.upcoming_meetings()
    return render_template(
        "portfolio/dashboard.html", counts=portfolio.state_counts(), queue=portfolio.queue(),
        flagged=portfolio.flagged(), suggestions=portfolio.suggestions(),
        next_meeting=upcoming[0] if upcoming else None, waiting_days=portfolio.waiting_days,
    )  # fmt: skip


@bp.get("/hergebruik")
@login_required
def adoptions():
    """VNG staff: per decision to scale up, who adopted it at which stage; decisions without reuse on top."""
    scaleup.require_curator(current_user)
    months = int_arg("maanden", adoption_stats.STALE_MONTHS, adoption_stats.MAX_STALE_MONTHS)
    return render_template("portfolio/adoptions.html", overview=adoption_stats.decisions_overview(months))


# --- a pilot's route ---------------------------------------------------------------------------------------


def _review_page(pilot, status: int = 200, **forms):
    upcoming = portfolio.upcoming_meetings()
    forms.setdefault("flag_form", FlagForm(formdata=None))
    forms.setdefault("send_back_form", SendBackForm(formdata=None))
    forms.setdefault("schedule_form", ScheduleForm(upcoming, formdata=None))
    forms.setdefault("unschedule_form", UnscheduleForm(formdata=None))
    forms.setdefault("decide_form", DecideForm(formdata=None))
    return render_template(
        "portfolio/review.html", pilot=pilot, panel=scaleup.panel(pilot, current_user),
        allowed=scaleup.allowed_actions(pilot), upcoming=upcoming, **forms,
    ), status  # fmt: skip


@bp.get("/pilots/<slug>")
@login_required
def review(slug: str):
    """VNG staff: one pilot's nomination, checklist, timeline and the forms for the next step."""
    scaleup.require_curator(current_user)
    return _review_page(get_pilot(slug, current_user))


def _step(slug: str, form, form_name: str, call, done: str):
    """Run one staff step; on a field error show the review page again with the typed text (422).
    The calling view is ``@commits``: a refused step was rolled back, so its commit saves nothing."""
    pilot = get_pilot(slug, current_user)
    try:
        call(pilot, form)
    except InvalidInput as exc:
        db.session.rollback()
        scaleup.require_curator(current_user)  # never show the staff page to someone who may not act
        apply_service_errors(form, exc.field_errors)
        flash(exc.message, "error")
        return _review_page(pilot, 422, **{form_name: form})
    flash(done, "ok")
    return redirect(url_for("portfolio.review", slug=slug))


@bp.post("/pilots/<slug>/flag")
@login_required
@commits
def flag(slug: str):
    return _step(
        slug, FlagForm(), "flag_form", lambda p, f: scaleup.flag(current_user, p, f.motivation.data),
        _("De pilot is opschaalbaar verklaard en gaat naar het portfolio-overleg."),
    )  # fmt: skip


@bp.post("/pilots/<slug>/send-back")
@login_required
@commits
def send_back(slug: str):
    return _step(
        slug, SendBackForm(), "send_back_form", lambda p, f: scaleup.send_back(current_user, p, f.questions.data),
        _("De voordracht is teruggestuurd met uw vragen."),
    )  # fmt: skip


@bp.post("/pilots/<slug>/schedule")
@login_required
@commits
def schedule(slug: str):
    form = ScheduleForm(portfolio.upcoming_meetings())
    return _step(
        slug, form, "schedule_form",
        lambda p, f: scaleup.schedule(current_user, p, request.form.get("meeting"), f.note.data),
        _("De pilot staat op de agenda."),
    )  # fmt: skip


@bp.post("/pilots/<slug>/unschedule")
@login_required
@commits
def unschedule(slug: str):
    pilot = get_pilot(slug, current_user)
    meeting = scaleup.current_review(pilot).meeting if pilot.scale_up_state == "geagendeerd" else None
    scaleup.unschedule(current_user, pilot, request.form.get("note", ""))
    flash(_("De pilot is van de agenda gehaald."), "ok")
    if meeting is not None and request.form.get("back") == "meeting":
        return redirect(url_for("portfolio.meeting", meeting_id=meeting.id))
    return redirect(url_for("portfolio.review", slug=slug))


@bp.post("/pilots/<slug>/decide")
@login_required
@commits
def decide(slug: str):
    return _step(
        slug, DecideForm(), "decide_form",
        lambda p, f: scaleup.decide(
            current_user, p, f.decision.data, f.rationale.data, f.follow_up.data, f.questions.data
        ),
        _("Het besluit is vastgelegd. Deelnemers en volgers zijn op de hoogte gebracht."),
    )  # fmt: skip


@bp.route("/pilots/<slug>/voordragen", methods=["GET", "POST"])
@login_required
@commits
def nominate(slug: str):
    """Participants propose their pilot for scale-up (the pilot page embeds the same form)."""
    pilot = get_pilot(slug, current_user)
    form = NominateForm()
    status = 200
    if request.method == "POST":
        try:
            scaleup.nominate(current_user, pilot, form.motivation.data, form.reuse.data, form.costs.data)
        except InvalidInput as exc:
            db.session.rollback()
            apply_service_errors(form, exc.field_errors)
            flash(exc.message, "error")
            status = 422
        else:
            flash(_("Bedankt: de pilot is voorgedragen voor opschaling. VNG bekijkt de voordracht."), "ok")
            return redirect(url_for("pilots.view", slug=slug, _anchor="opschaling"))
    else:
        scaleup.require_nominate(current_user, pilot)  # the precise reason: 403, or 409 for the state
    return render_template(
        "portfolio/nominate.html", pilot=pilot, form=form, checklist=checklist(pilot, scaleup.current_review(pilot))
    ), status  # fmt: skip


# --- meetings ----------------------------------------------------------------------------------------------


@bp.route("/meetings", methods=["GET", "POST"])
@login_required
@commits
def meetings():
    """VNG staff: all meetings, and a form to plan one."""
    scaleup.require_curator(current_user)
    form = MeetingForm()
    status = 200
    if request.method == "POST":
        try:
            meeting = portfolio.create_meeting(current_user, form.date.data, form.title.data)
        except InvalidInput as exc:
            db.session.rollback()
            apply_service_errors(form, exc.field_errors)
            status = 422
        else:
            flash(_("Het overleg is aangemaakt. Zet er nu opschaalbare pilots op de agenda."), "ok")
            return redirect(url_for("portfolio.meeting", meeting_id=meeting.id))
    return render_template("portfolio/meetings.html", meetings=portfolio.meetings(), form=form), status


@bp.get("/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    """VNG staff: one meeting's agenda — order, add flagged pilots, decide per item, minutes."""
    scaleup.require_curator(current_user)
    m = scaleup.get_meeting(meeting_id)
    return render_template(
        "portfolio/meeting.html", meeting=m, flagged=portfolio.flagged(), today=date.today(),
        minutes_form=MinutesForm(formdata=None, minutes=m.minutes),
    )  # fmt: skip


@bp.post("/meetings/<int:meeting_id>/agenda")
@login_required
@commits
def add_to_agenda(meeting_id: int):
    """Place a flagged pilot on this meeting's agenda (last)."""
    pilot = get_pilot(request.form.get("pilot", ""), current_user)
    scaleup.schedule(current_user, pilot, meeting_id, request.form.get("note", ""))
    flash(_("%(title)s staat op de agenda.", title=pilot.title), "ok")
    return redirect(url_for("portfolio.meeting", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/move")
@login_required
@commits
def move(meeting_id: int):
    portfolio.move_item(
        current_user, scaleup.get_meeting(meeting_id), request.form.get("review"), request.form.get("direction", "")
    )
    return redirect(url_for("portfolio.meeting", meeting_id=meeting_id, _anchor="agenda"))


@bp.post("/meetings/<int:meeting_id>/minutes")
@login_required
@commits
def minutes(meeting_id: int):
    portfolio.save_minutes(current_user, scaleup.get_meeting(meeting_id), request.form.get("minutes", ""))
    flash(_("Het verslag is opgeslagen."), "ok")
    return redirect(url_for("portfolio.meeting", meeting_id=meeting_id))


@bp.get("/meetings/<int:meeting_id>/print")
@login_required
def print_agenda(meeting_id: int):
    """The agenda as a printable page (print CSS hides the site's header and buttons)."""
    scaleup.require_curator(current_user)
    return render_template("portfolio/print.html", meeting=scaleup.get_meeting(meeting_id))


def _pilot_url(slug: str) -> str:
    return url_for("pilots.view", slug=slug, _external=True)


def _download(text: str, mimetype: str, meeting_id: int, ext: str) -> Response:
    response = Response(text, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="agenda-portfolio-overleg-{meeting_id}.{ext}"'
    return response


@bp.get("/meetings/<int:meeting_id>/agenda.csv")
@login_required
def agenda_csv(meeting_id: int):
    scaleup.require_curator(current_user)
    text = portfolio.agenda_csv(scaleup.get_meeting(meeting_id), _pilot_url)
    return _download("\ufeff" + text, "text/csv", meeting_id, "csv")  # BOM: Excel reads UTF-8


@bp.get("/meetings/<int:meeting_id>/agenda.md")
@login_required
def agenda_markdown(meeting_id: int):
    scaleup.require_curator(current_user)
    text = portfolio.agenda_markdown(scaleup.get_meeting(meeting_id), _pilot_url)
    return _download(text, "text/markdown", meeting_id, "md")


# --- public overview and audit -----------------------------------------------------------------------------


@bp.get("/opgeschaald")
def scaled():
    """Public: pilots the portfolio consultation decided to scale up, with the decision and its reasons."""
    return render_template("portfolio/scaled.html", reviews=portfolio.scaled_pilots())


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/audit")
@login_required
def audit():
    """VNG staff and admins: the audit log with filters and paging."""
    filters = portfolio.AuditFilters(
        action=request.args.get("action", "")[:64], actor=request.args.get("actor", "")[:254].strip(),
        pilot=request.args.get("pilot", "")[:120].strip(), date_from=_date_arg("from"), date_to=_date_arg("to"),
        page=int_arg("page"),
    )  # fmt: skip
    events, total = portfolio.audit_events(current_user, filters)
    pages = max((total + portfolio.AUDIT_PER_PAGE - 1) // portfolio.AUDIT_PER_PAGE, 1)
    return render_template(
        "portfolio/audit.html", lines=audit_text.describe(events), total=total, filters=filters, pages=pages,
        actions=[(a, audit_text.action_name(a)) for a in portfolio.audit_actions()],
    )  # fmt: skip
