"""Forms of the scale-up route. They render and carry CSRF; the rules (required texts, dates, who may act)
live in services/scaleup.py and services/portfolio.py, whose field errors are shown next to the fields."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..services.scaleup import DECISION_LABELS


class NominateForm(FlaskForm):
    motivation = TextAreaField(
        _l("Waarom opschalen?"),
        description=_l("Resultaten, wat het oplevert, en waarom het ook elders werkt."),
        render_kw={"rows": 5, "required": True},
    )
    reuse = TextAreaField(
        _l("Welke gemeenten kunnen het hergebruiken?"),
        description=_l("Bijvoorbeeld: alle gemeenten met een eigen meldingensysteem; broncode, licentie, DPIA."),
        render_kw={"rows": 3},
    )
    costs = TextAreaField(
        _l("Kosten en inspanning"),
        description=_l("Eenmalige en jaarlijkse kosten, en de inzet in uren of fte."),
        render_kw={"rows": 3},
    )


class FlagForm(FlaskForm):
    motivation = TextAreaField(_l("Motivering: waarom opschaalbaar?"), render_kw={"rows": 4, "required": True})


class SendBackForm(FlaskForm):
    questions = TextAreaField(_l("Vragen aan de voordragers"), render_kw={"rows": 4, "required": True})


class ScheduleForm(FlaskForm):
    meeting = SelectField(_l("Portfolio-overleg"), choices=[])
    note = StringField(_l("Toelichting (optioneel)"), render_kw={"maxlength": 500})

    def __init__(self, meetings, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting.choices = [SelectChoice(str(m.id), f"{m.date.isoformat()} – {m.title}") for m in meetings]


class UnscheduleForm(FlaskForm):
    note = StringField(_l("Reden (optioneel)"), render_kw={"maxlength": 500})


class DecideForm(FlaskForm):
    decision = SelectField(_l("Besluit"), choices=[])
    rationale = TextAreaField(_l("Motivering van het besluit"), render_kw={"rows": 4, "required": True})
    follow_up = TextAreaField(
        _l("Vervolgacties"), description=_l("Eén actie per regel, met wie en wanneer."), render_kw={"rows": 3}
    )
    questions = TextAreaField(
        _l("Vragen aan de voordragers"),
        description=_l("Verplicht bij “Meer informatie nodig”: de pilot gaat terug met deze vragen."),
        render_kw={"rows": 3},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [SelectChoice(k, str(v)) for k, v in DECISION_LABELS.items()]


class MeetingForm(FlaskForm):
    date = StringField(
        _l("Datum"), description=_l("Bijvoorbeeld 2026-12-15"), render_kw={"type": "date", "required": True}
    )
    title = StringField(_l("Titel"), render_kw={"maxlength": 200, "required": True})


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Verslag (intern)"), render_kw={"rows": 6})
