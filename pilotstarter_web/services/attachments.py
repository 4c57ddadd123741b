"""Documents on an entry ("Documenten"): upload, new versions, soft delete, what a page and the API list,
(the text search reads them through services/pilot_documents.py).

Who: the entry's team — verified members of an organisation taking part (initiator, partner, supplier; the
same test as nominating for scale-up) — and curators (VNG staff, admins), on an entry they may edit. Files
are checked by content (attachment_files.sniff) and stored under ``DATA_DIR/attachments`` with our own
random names; their text is read at upload (attachment_text), bounded, and fed to search with the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Attachment, AttachmentVersion, Pilot, User, utcnow
from . import audit
from .attachment_files import display_name, megabytes, refusal, sniff, store
from .attachment_text import extract_text
from .change_log import record_change
from .errors import InvalidInput, NotFound, PermissionDenied
from .participation import is_participant
from .permissions import can_edit_pilot, is_curator, require_writer

KINDS = {
    "dpia": _l("DPIA"),
    "evaluatie": _l("Evaluatie"),
    "contract": _l("Contract"),
    "specificatie": _l("Specificatie / programma van eisen"),
    "codelicentie": _l("Codelicentie"),
    "overig": _l("Overig"),
}
MAX_TITLE = 200
MAX_NOTE = 300
MAX_DOCUMENTS = 100  # per entry
MAX_VERSIONS = 50  # per document


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def can_manage(user: User | None, pilot: Pilot) -> bool:
    """The team (organisations taking part) and curators upload, add versions and delete."""
    return can_edit_pilot(user, pilot) and (is_curator(user) or is_participant(user, pilot))


def require_manage(user: User | None, pilot: Pilot) -> User:
    """:raise PermissionDenied: for anyone but the entry's team and curators."""
    require_writer(user)
    if not can_manage(user, pilot):
        raise PermissionDenied(_("Alleen het team van deze pagina en VNG-medewerkers kunnen documenten beheren."))
    return user


def storage_root() -> Path:
    """Outside the web root: nothing under it is reachable but through :func:`file_path`."""
    return Path(current_app.config["DATA_DIR"]) / "attachments"


def file_path(version: AttachmentVersion) -> Path:
    """The stored file of ``version``: our own name under :func:`storage_root`, never a user's."""
    return storage_root() / version.stored_name


@dataclass(frozen=True)
class Upload:
    """A file as the web layer hands it over: its stream and the name the uploader's system gave it."""

    stream: BinaryIO
    filename: str | None
    note: str = ""


@dataclass(frozen=True)
class Received:
    """A file stored, sniffed and read (:func:`receive`), not yet recorded: what a version row needs."""

    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    text: str
    note: str


def _field_text(value: str | None, field: str, limit: int, required_message: str | None = None) -> str:
    text = " ".join((value or "").split())
    if required_message and not text:
        raise InvalidInput(required_message, {field: [required_message]})
    if len(text) > limit:
        message = _("Hoogstens %(n)d tekens.", n=limit)
        raise InvalidInput(message, {field: [message]})
    return text


def check_fields(kind: str, title: str, file_missing: bool = False) -> tuple[str, str]:
    """The kind and the title of a new document, checked before its file is read; every field's error at once
    (``file_missing``: the form brought no file, named with the others). :raise InvalidInput:"""
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        errors["kind"] = [_("Kies wat voor document dit is.")]
    try:
        title = _field_text(title, "title", MAX_TITLE, _("Geef het document een titel."))
    except InvalidInput as exc:
        errors.update(exc.field_errors)
    if file_missing:
        errors["file"] = [_("Kies een bestand.")]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors)
    return kind, title


def _room(pilot: Pilot) -> int:
    """Bytes the entry may still take: the file limit, or what is left of the entry's total if less."""
    used = db.session.scalar(
        select(func.coalesce(func.sum(AttachmentVersion.size), 0))
        .join(Attachment)
        .where(Attachment.pilot_id == pilot.id, Attachment.deleted_at.is_(None))
    )
    left = current_app.config["ATTACHMENT_ENTRY_MAX_BYTES"] - used
    if left <= 0:
        raise refusal(_("De documenten van deze pagina nemen samen al de maximale ruimte in."))
    return min(current_app.config["ATTACHMENT_MAX_BYTES"], left)


def upload_room(user: User | None, pilot: Pilot) -> int:
    """Whether ``user`` may add a document to ``pilot`` now, and how many bytes it may have.

    :raise PermissionDenied: for anyone but the team and curators. :raise InvalidInput: when the entry is full.
    """
    require_manage(user, pilot)
    live = db.session.scalar(
        select(func.count(Attachment.id)).where(Attachment.pilot_id == pilot.id, Attachment.deleted_at.is_(None))
    )
    if live >= MAX_DOCUMENTS:
        raise refusal(_("Deze pagina heeft al %(n)d documenten; verwijder er eerst een.", n=MAX_DOCUMENTS))
    return _room(pilot)


def version_room(user: User | None, attachment: Attachment) -> int:
    """:func:`upload_room` for a new version of ``attachment``."""
    require_manage(user, attachment.pilot)
    if attachment.is_deleted:
        raise NotFound(_("Dit document bestaat niet (meer)."))
    if len(attachment.versions) >= MAX_VERSIONS:
        raise refusal(_("Dit document heeft al %(n)d versies; upload het als nieuw document.", n=MAX_VERSIONS))
    return _room(attachment.pilot)


def receive(file: Upload, max_bytes: int) -> Received:
    """Store one file under our own random name, decide its type by content and read its text — touching no
    database, so a caller can end its transaction first (on SQLite a write transaction would hold the write
    lock while a PDF is read). Nothing is kept when the file is refused.

    :raise InvalidInput: for the ``file`` (type, size, emptiness) or the ``note``.
    """
    note = _field_text(file.note, "note", MAX_NOTE)
    name = display_name(file.filename)
    if not name:
        raise refusal(_("Kies een bestand."))
    too_large = None
    if max_bytes < current_app.config["ATTACHMENT_MAX_BYTES"]:  # the entry's total is nearly used up
        too_large = _("Bij deze pagina is nog %(mb)s MB ruimte voor documenten; dit bestand is groter.",
                      mb=megabytes(max_bytes))  # fmt: skip
    stored, size, sha256 = store(file.stream, storage_root(), max_bytes, too_large)
    path = storage_root() / stored
    try:
        found = sniff(path, name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if "." not in name.lstrip("."):
        name = f"{name}.{found.extensions[0]}"
    text = extract_text(path, found.family)
    return Received(stored, name, found.content_type, size, sha256, text, note)


def discard(received: Received | None) -> None:
    """Remove a received file that will not be recorded (its document was refused)."""
    if received is not None:
        (storage_root() / received.stored_name).unlink(missing_ok=True)


def _append_version(user: User | None, attachment: Attachment, received: Received) -> AttachmentVersion:
    version = AttachmentVersion(
        number=len(attachment.versions) + 1, stored_name=received.stored_name,
        original_name=received.original_name, content_type=received.content_type, size=received.size,
        sha256=received.sha256, note=received.note, text=received.text, uploaded_by_id=getattr(user, "id", None),
        created_at=utcnow(),
    )  # fmt: skip
    attachment.versions.append(version)
    return version


def add_document(user: User | None, pilot: Pilot, kind: str, title: str, received: Received) -> Attachment:
    """Record a received file as a new document of ``kind`` on ``pilot``; audited, re-indexed with the entry.
    The rules are checked again: the transaction that checked them before the file was read has ended."""
    kind, title = check_fields(kind, title)
    if received.size > upload_room(user, pilot):
        raise refusal(_("De documenten van deze pagina nemen samen al de maximale ruimte in."))
    attachment = Attachment(pilot=pilot, kind=kind, title=title, created_by_id=getattr(user, "id", None))
    version = _append_version(user, attachment, received)
    db.session.add(attachment)
    db.session.flush()
    record_change(pilot)
    if user is not None:
        audit.record("attachment.uploaded", user, "attachment", attachment.id, pilot=pilot.slug, kind=kind,
                     size=version.size, content_type=version.content_type)  # fmt: skip
    return attachment


def add_version(user: User | None, attachment: Attachment, received: Received) -> AttachmentVersion:
    """Record a received file as the newest version of a document; the older ones stay listed and downloadable."""
    if received.size > version_room(user, attachment):
        raise refusal(_("De documenten van deze pagina nemen samen al de maximale ruimte in."))
    version = _append_version(user, attachment, received)
    db.session.flush()
    record_change(attachment.pilot)
    audit.record("attachment.version_added", user, "attachment", attachment.id, pilot=attachment.pilot.slug,
                 version=version.number, size=version.size, content_type=version.content_type)  # fmt: skip
    return version


def upload(user: User | None, pilot: Pilot, kind: str, title: str, file: Upload) -> Attachment:
    """Check, receive and record a new document in one go (the pages split these steps, see routes).

    :raise PermissionDenied: for anyone but the team and curators. :raise InvalidInput: per field.
    """
    check_fields(kind, title)
    received = receive(file, upload_room(user, pilot))
    try:
        return add_document(user, pilot, kind, title, received)
    except BaseException:
        discard(received)
        raise


def upload_version(user: User | None, attachment: Attachment, file: Upload) -> AttachmentVersion:
    """Check, receive and record a new version in one go."""
    received = receive(file, version_room(user, attachment))
    try:
        return add_version(user, attachment, received)
    except BaseException:
        discard(received)
        raise


def import_document(pilot: Pilot, kind: str, title: str, path: Path, note: str = "") -> Attachment | None:
    """A document from the content folder (``flask demo-documents``): no uploader, the same file checks.

    :return: the new document, or None when the entry already has a live one with this title (idempotent).
    """
    exists = db.session.scalar(
        select(Attachment.id).where(
            Attachment.pilot_id == pilot.id, Attachment.title == title, Attachment.deleted_at.is_(None)
        )
    )
    if exists is not None or kind not in KINDS:
        return None
    with open(path, "rb") as stream:
        received = receive(Upload(stream, path.name, note), _room(pilot))
    attachment = Attachment(pilot=pilot, kind=kind, title=title)
    _append_version(None, attachment, received)
    db.session.add(attachment)
    record_change(pilot)
    return attachment


def delete(user: User | None, attachment: Attachment) -> None:
    """Soft delete: gone from the page, the API and search; the files and rows stay for the audit trail."""
    require_manage(user, attachment.pilot)
    if attachment.is_deleted:
        return
    attachment.deleted_at, attachment.deleted_by_id = utcnow(), user.id
    record_change(attachment.pilot)
    audit.record("attachment.deleted", user, "attachment", attachment.id, pilot=attachment.pilot.slug,
                 title=attachment.title)  # fmt: skip


def get_attachment(pilot: Pilot, attachment_id: int) -> Attachment:
    """A live document of ``pilot`` (the caller already has the entry as its reader may see it). :raise NotFound:"""
    found = db.session.get(Attachment, attachment_id)
    if found is None or found.pilot_id != pilot.id or found.is_deleted or not found.versions:
        raise NotFound(_("Dit document bestaat niet (meer)."))
    return found


def get_version(attachment: Attachment, number: int | None) -> AttachmentVersion:
    """Version ``number``, or the newest. :raise NotFound:"""
    if number is None:
        return attachment.current
    for version in attachment.versions:
        if version.number == number:
            return version
    raise NotFound(_("Deze versie van het document bestaat niet."))


def entry_documents(pilot: Pilot) -> list[Attachment]:
    """The live documents of an entry, in the order of the kinds, then by title."""
    found = db.session.scalars(
        select(Attachment)
        .where(Attachment.pilot_id == pilot.id, Attachment.deleted_at.is_(None))
        .options(selectinload(Attachment.versions))
    )
    order = list(KINDS)
    return sorted(found, key=lambda a: (order.index(a.kind) if a.kind in order else len(order), a.title.lower()))


def kinds_present(pilot: Pilot) -> set[str]:
    """The kinds of the entry's live documents (the scale-up checklist reads them)."""
    if pilot.id is None:
        return set()
    return set(
        db.session.scalars(
            select(Attachment.kind).where(Attachment.pilot_id == pilot.id, Attachment.deleted_at.is_(None))
        )
    )
