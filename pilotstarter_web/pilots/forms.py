"""The pilot form, used for both a new pilot and an edit."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..forms import MultiCheckboxField
from ..services.pilots import MAX_EDIT_SUMMARY, MAX_SUMMARY, MAX_TITLE
from ..services.themes import STATUS_LABELS, THEMES


class PilotForm(FlaskForm):
    title = StringField(_l("Titel"), [DataRequired(_l("Geef de pilot een titel.")), Length(max=MAX_TITLE)])
    summary = TextAreaField(
        _l("Korte samenvatting"),
        [Length(max=MAX_SUMMARY)],
        description=_l("Eén of twee zinnen: wat probeert u uit, en waarom?"),
    )
    body = TextAreaField(
        _l("Beschrijving"),
        description=_l(
            "In Markdown: ## Kopje, **vet**, - opsomming, [tekst](https://…) en [[Titel van een andere pilot]]."
        ),
    )
    themes = MultiCheckboxField(_l("Thema's"), choices=[])
    tags = StringField(
        _l("Eigen trefwoorden"),
        [Length(max=300)],
        description=_l("Gescheiden door komma's, bijvoorbeeld: chatbot, wmo"),
    )
    status = SelectField(_l("Status"), choices=[])
    edit_summary = StringField(
        _l("Samenvatting van uw wijziging"),
        [Length(max=MAX_EDIT_SUMMARY)],
        description=_l("Bijvoorbeeld: resultaten toegevoegd"),
    )
    base_revision = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    token = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.themes.choices = [SelectChoice(k, str(v)) for k, v in THEMES.items()]
        self.status.choices = [SelectChoice(k, str(v)) for k, v in STATUS_LABELS.items()]

    def tag_list(self) -> list[str]:
        return [t for t in (self.tags.data or "").split(",") if t.strip()]


PARTNER_FIELDS = 4


def pilot_form(pilot, **changes) -> PilotForm:
    """The editor's form for a pilot as it stands (its current revision as the base), with ``changes`` on top;
    never filled from the request (a POST from another form must not leak into it)."""
    current = pilot.current_revision
    fields = dict(
        title=current.title, summary=current.summary, body=current.body, themes=pilot.theme_keys,
        tags=", ".join(pilot.tag_values), status=pilot.status, base_revision=current.number,
        token=secrets.token_urlsafe(24),
    )  # fmt: skip
    return PilotForm(formdata=None, **{**fields, **changes})


class NewPilotForm(PilotForm):
    partner_1 = StringField(_l("Partnerorganisatie 1"), [Length(max=250)])
    partner_2 = StringField(_l("Partnerorganisatie 2"), [Length(max=250)])
    partner_3 = StringField(_l("Partnerorganisatie 3"), [Length(max=250)])
    partner_4 = StringField(_l("Partnerorganisatie 4"), [Length(max=250)])

    def partner_fields(self):
        return [getattr(self, f"partner_{i}") for i in range(1, PARTNER_FIELDS + 1)]
