"""Forms of the documents section. They render and carry CSRF; what a file may be, its size and who may upload
live in services/attachments.py and services/attachment_files.py, whose field errors show next to the fields."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from ..services.attachment_files import allowed_extensions
from ..services.attachments import KINDS, MAX_NOTE, MAX_TITLE

FILE_HELP = _l(
    "PDF, OpenDocument (odt, ods, odp), Office (docx, xlsx, pptx), afbeeldingen (png, jpg, gif, webp) of tekst "
    "(txt, md, csv). Geen SVG, HTML of documenten met macro's."
)


def _accept() -> str:
    return ",".join(f".{ext}" for ext in allowed_extensions())


class VersionForm(FlaskForm):
    file = FileField(_l("Bestand"), description=FILE_HELP, render_kw={"accept": _accept()})
    note = StringField(
        _l("Toelichting bij deze versie"),
        description=_l("Bijvoorbeeld: definitieve versie na overleg met de FG."),
        render_kw={"maxlength": MAX_NOTE},
    )


class AttachmentForm(VersionForm):
    kind = SelectField(
        _l("Soort document"),
        choices=[SelectChoice("", _l("Kies een soort")), *(SelectChoice(k, label) for k, label in KINDS.items())],
    )
    title = StringField(_l("Titel"), render_kw={"maxlength": MAX_TITLE})
