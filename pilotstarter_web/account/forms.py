"""Account forms. Labels are translated; messages appear next to their fields."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..i18n import LANGUAGE_NAMES

REQUIRED = _l("Dit veld is verplicht.")


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"), [DataRequired(REQUIRED), Email(_l("Vul een geldig e-mailadres in.")), Length(max=254)]
    )
    name = StringField(_l("Naam"), [DataRequired(REQUIRED), Length(max=120)])
    organisation = StringField(
        _l("Organisatie"),
        [Optional(), Length(max=250)],
        description=_l("Typ om te zoeken: alle Nederlandse en Belgische gemeenten, VNG en leveranciers."),
    )
    new_organisation = StringField(
        _l("Staat uw organisatie er niet bij? Naam van uw organisatie (leverancier of andere organisatie)"),
        [Optional(), Length(max=200)],
    )
    password = PasswordField(_l("Wachtwoord"), [DataRequired(REQUIRED)], description=_l("Minstens 10 tekens."))
    password_confirm = PasswordField(
        _l("Herhaal wachtwoord"), [DataRequired(REQUIRED), EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))]
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), [DataRequired(REQUIRED)])
    password = PasswordField(_l("Wachtwoord"), [DataRequired(REQUIRED)])
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat (14 dagen)"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), [DataRequired(REQUIRED), Email(_l("Vul een geldig e-mailadres in."))])


class ResetForm(FlaskForm):
    password = PasswordField(_l("Nieuw wachtwoord"), [DataRequired(REQUIRED)], description=_l("Minstens 10 tekens."))
    password_confirm = PasswordField(
        _l("Herhaal nieuw wachtwoord"),
        [DataRequired(REQUIRED), EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Huidig wachtwoord"), [DataRequired(REQUIRED)])
    password = PasswordField(_l("Nieuw wachtwoord"), [DataRequired(REQUIRED)], description=_l("Minstens 10 tekens."))
    password_confirm = PasswordField(
        _l("Herhaal nieuw wachtwoord"),
        [DataRequired(REQUIRED), EqualTo("password", _l("De wachtwoorden zijn niet gelijk."))],
    )


class ProfileForm(FlaskForm):
    name = StringField(_l("Naam"), [DataRequired(REQUIRED), Length(max=120)])
    locale = SelectField(
        _l("Taal"),
        choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()],
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        [DataRequired(REQUIRED), Length(max=32)],
        description=_l("De code van 6 cijfers uit uw authenticator-app, of een van uw herstelcodes."),
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Code uit de app"),
        [DataRequired(REQUIRED), Length(max=32)],
        description=_l("De code van 6 cijfers die de app nu toont."),
    )


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Wachtwoord"), [Optional()])
    code = StringField(_l("Of: code uit uw authenticator-app"), [Optional(), Length(max=32)])


class RenewRecoveryCodesForm(FlaskForm):
    password = PasswordField(_l("Wachtwoord"), [DataRequired(REQUIRED)])


def mail_field_name(kind: str) -> str:
    """A form field name for a notification kind (kinds have dots, field names may not)."""
    return "mail_" + kind.replace(".", "__")


def mail_settings_form(labels: dict[str, str], current: dict[str, str], choices: list[tuple[str, str]]) -> FlaskForm:
    """One choice per notification kind; built per request because other modules register kinds."""

    class MailSettingsForm(FlaskForm):
        pass

    for kind, label in labels.items():
        options = [SelectChoice(value, text) for value, text in choices]
        setattr(MailSettingsForm, mail_field_name(kind), SelectField(label, choices=options, default=current[kind]))
    return MailSettingsForm()


class ApiTokenForm(FlaskForm):
    """A personal API token: what it is for, what it may do, how long it works (services/api_tokens.py)."""

    name = StringField(
        _l("Naam"),
        [DataRequired(REQUIRED), Length(max=100)],
        description=_l("Waar gebruikt u het token voor? Bijvoorbeeld: koppeling met ons zaaksysteem."),
    )
    scope = SelectField(
        _l("Rechten"),
        choices=[SelectChoice("read", _l("Alleen lezen")), SelectChoice("write", _l("Lezen en schrijven"))],
        default="read",
    )
    expires = SelectField(
        _l("Geldig"),
        choices=[
            SelectChoice("30", _l("30 dagen")),
            SelectChoice("90", _l("90 dagen")),
            SelectChoice("365", _l("1 jaar")),
            SelectChoice("", _l("Tot ik het intrek")),
        ],
        default="90",
    )
