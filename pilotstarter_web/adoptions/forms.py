"""The adoption form. It renders and carries CSRF; the rules (stage, contact, lengths, who may) live in
services/adoptions.py, whose field errors show next to the fields."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ..services.adoptions import MAX_EMAIL, MAX_NAME, MAX_NOTE, MAX_PHONE, STAGE_LABELS


class AdoptionForm(FlaskForm):
    stage = SelectField(_l("Fase"), choices=[])
    since = StringField(
        _l("Sinds"),
        description=_l("De dag waarop deze fase begon. Leeg laten: vandaag."),
        render_kw={"type": "date"},
    )
    contact_name = StringField(_l("Naam contactpersoon"), render_kw={"maxlength": MAX_NAME, "required": True})
    contact_email = StringField(
        _l("E-mailadres contactpersoon"),
        description=_l("Vul een e-mailadres of een telefoonnummer in. Alleen ingelogde gebruikers zien het contact."),
        render_kw={"type": "email", "maxlength": MAX_EMAIL, "autocomplete": "off"},
    )
    contact_phone = StringField(
        _l("Telefoonnummer contactpersoon"), render_kw={"type": "tel", "maxlength": MAX_PHONE, "autocomplete": "off"}
    )
    note = TextAreaField(
        _l("Toelichting (niet verplicht)"),
        description=_l("Bijvoorbeeld: wat u anders doet, of wanneer u live gaat."),
        render_kw={"rows": 3, "maxlength": MAX_NOTE},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stage.choices = [SelectChoice(k, str(v)) for k, v in STAGE_LABELS.items()]
