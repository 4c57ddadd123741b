"""Forms of "Wat ik volg" and of "Volg deze zoekopdracht": bounded at the edge, messages in Dutch."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..services.saved_searches import MAX_NAME, MAX_QUERY

TOO_LONG_NAME = _l("Een naam is hoogstens %(max)d tekens lang.")


class SaveSearchForm(FlaskForm):
    """The search's facet filters come as repeated hidden inputs named after the facets (read in the route)."""

    q = HiddenField(validators=[Optional(), Length(max=MAX_QUERY, message=_l("De zoekwoorden zijn te lang."))])
    name = StringField(
        _l("Naam (niet verplicht)"),
        [Optional(), Length(max=MAX_NAME, message=TOO_LONG_NAME)],
        description=_l("Zonder naam heet de zoekopdracht naar uw zoekwoorden."),
    )


class RenameSearchForm(FlaskForm):
    name = StringField(
        _l("Nieuwe naam"), [DataRequired(_l("Vul een naam in.")), Length(max=MAX_NAME, message=TOO_LONG_NAME)]
    )
