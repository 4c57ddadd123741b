"""The pilot form, used for both a new pilot and an edit."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..forms import MultiCheckboxField
from ..models.pilots import ENTRY_TYPES
from ..services import entry_types
from ..services.pilots import MAX_EDIT_SUMMARY, MAX_SUMMARY, MAX_TITLE
from ..services.themes import THEMES


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
    # The service checks the status against the entry's type (entry_types.valid_status) with a Dutch message.
    status = SelectField(_l("Status"), choices=[], validate_choice=False)
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
        self.use_type(entry_types.DEFAULT_TYPE)

    def use_type(self, entry_type: str) -> None:
        """Offer the statuses of this entry type."""
        self.status.choices = [SelectChoice(k, label) for k, label in entry_types.status_choices(entry_type)]

    def tag_list(self) -> list[str]:
        return [t for t in (self.tags.data or "").split(",") if t.strip()]


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


MAX_PARTNER_FIELDS = 8


class NewPilotForm(PilotForm):
    """The first version: the entry type, no edit summary (there is nothing to summarise yet), partner fields
    one at a time."""

    edit_summary = None
    entry_type = RadioField(
        _l("Wat beschrijft u?"),
        choices=[],
        default=entry_types.DEFAULT_TYPE,
        description=_l(
            "Een pilot probeert iets uit. Een best practice werkt al en kan door anderen worden overgenomen. "
            "Een challenge is een vraagstuk waarvoor u een oplossing zoekt."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entry_type.choices = [SelectChoice(t, entry_types.type_label(t)) for t in ENTRY_TYPES]

    def partner_fields(self) -> list:
        return [getattr(self, f"partner_{i}") for i in range(1, MAX_PARTNER_FIELDS + 1)]

    def shown_partners(self, add: bool = False) -> int:
        """How many partner fields to show: up to the last filled one (or one with an error), at least one, and one
        more when the author asked for another ("Nog een partner toevoegen" without JavaScript)."""
        fields = self.partner_fields()
        used = max((i for i, f in enumerate(fields, 1) if (f.data or "").strip() or f.errors), default=0)
        return min(max(used, 1) + (1 if add else 0), MAX_PARTNER_FIELDS)


for _number in range(1, MAX_PARTNER_FIELDS + 1):
    setattr(
        NewPilotForm, f"partner_{_number}", StringField(_l("Partnerorganisatie %(n)d", n=_number), [Length(max=250)])
    )
del _number
