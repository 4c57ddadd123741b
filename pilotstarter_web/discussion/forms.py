"""Forms of the discussion. They render and carry CSRF; the rules (required text, its size, who may do what)
live in services/comments.py and services/comment_moderation.py, whose field errors show next to the fields."""

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from ..services.comment_moderation import MAX_REASON
from ..services.comments import MAX_BODY

MENTION_HELP = _l(
    "Markdown mag. Noem iemand of een organisatie met @: kies uit het keuzeveld, of typ @[Naam](user:nummer) "
    "of @[Naam](org:code). Hoogstens %(n)s tekens.",
    n=LazyString(format_number, MAX_BODY),  # 5.000 or 5,000, in the language of the page
)


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Uw reactie"), description=MENTION_HELP, render_kw={"rows": 6, "data-mentions": ""})
    reply_to = HiddenField()


class ReportForm(FlaskForm):
    reason = StringField(
        _l("Waarom meldt u deze reactie?"),
        description=_l("Bijvoorbeeld: beledigend, persoonsgegevens, reclame. De moderatie leest mee."),
        render_kw={"maxlength": MAX_REASON},
    )


class HideForm(FlaskForm):
    reason = StringField(
        _l("Reden van verbergen"),
        description=_l("Iedereen ziet deze reden op de plaats van de reactie."),
        render_kw={"maxlength": MAX_REASON},
    )
