"""Forms of the challenge calls. They render and carry CSRF; the rules (required texts, dates, percentages,
who may act) live in services/challenges.py and its siblings, whose field errors show next to the fields.
Scoring and publishing have one field per criterion or submission: their templates render those fields."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField


class CallForm(FlaskForm):
    """Staff: a call (criteria as "Naam: gewicht" lines)."""

    title = StringField(_l("Titel"), render_kw={"maxlength": 200, "required": True})
    description = TextAreaField(
        _l("Beschrijving"), description=_l("Markdown: waar de oproep over gaat en voor wie."), render_kw={"rows": 8}
    )
    opens_on = StringField(_l("Open vanaf"), description=_l("Bijvoorbeeld 2027-01-15"), render_kw={"type": "date"})
    closes_on = StringField(
        _l("Sluitingsdatum"), description=_l("De laatste dag waarop challenges kunnen worden ingediend."),
        render_kw={"type": "date"},
    )  # fmt: skip
    min_cofunding = StringField(
        _l("Minimale cofinanciering (%)"), description=_l("Het deel dat de indieners samen betalen, bijvoorbeeld 20."),
        render_kw={"inputmode": "numeric", "maxlength": 3},
    )  # fmt: skip
    budget = StringField(_l("Budget in euro's (optioneel)"), render_kw={"inputmode": "numeric", "maxlength": 15})
    criteria = TextAreaField(
        _l("Criteria en gewichten"),
        description=_l(
            "Eén criterium per regel met het gewicht erachter, zoals “Missie: 2”. Vast zodra de oproep open is."
        ),
        render_kw={"rows": 6},
    )


class CommitteeForm(FlaskForm):
    """Staff: add a committee member by e-mail address."""

    email = StringField(_l("E-mailadres van het commissielid"), render_kw={"type": "email", "maxlength": 254})


class StartForm(FlaskForm):
    """A government starts a submission with an existing or a new challenge."""

    pilot = SelectField(_l("Challenge"), choices=[])
    title = StringField(_l("Titel van de nieuwe challenge"), render_kw={"maxlength": 200})
    summary = StringField(_l("Samenvatting"), render_kw={"maxlength": 500})
    body = TextAreaField(
        _l("Beschrijving van de challenge"), description=_l("Markdown: het probleem, voor wie, en wat al geprobeerd is."),
        render_kw={"rows": 8},
    )  # fmt: skip
    pledge = StringField(
        _l("Cofinanciering door uw organisatie (%)"), description=_l("Uw deel van de kosten, in procenten."),
        render_kw={"inputmode": "numeric", "maxlength": 3, "required": True},
    )  # fmt: skip


class InviteForm(FlaskForm):
    """The lead invites a government."""

    organisation = SelectField(_l("Organisatie"), choices=[])


class PledgeForm(FlaskForm):
    """A co-submitter confirms with its co-funding share."""

    pledge = StringField(
        _l("Cofinanciering door uw organisatie (%)"), description=_l("Uw deel van de kosten, in procenten."),
        render_kw={"inputmode": "numeric", "maxlength": 3, "required": True},
    )  # fmt: skip


class ReasonForm(FlaskForm):
    """A step that takes a (sometimes optional) reason."""

    reason = TextAreaField(_l("Reden"), render_kw={"rows": 3, "maxlength": 5000})


class ProposalForm(FlaskForm):
    """A supplier's or researcher's proposal."""

    title = StringField(_l("Titel van het voorstel"), render_kw={"maxlength": 200, "required": True})
    body = TextAreaField(
        _l("Voorstel"), description=_l("Markdown: de oplossing, de aanpak en wie het uitvoert."),
        render_kw={"rows": 10, "required": True},
    )  # fmt: skip
    price = StringField(_l("Prijs in euro's (optioneel)"), render_kw={"inputmode": "numeric", "maxlength": 15})
    timeline = StringField(_l("Planning (optioneel)"), render_kw={"maxlength": 300})
