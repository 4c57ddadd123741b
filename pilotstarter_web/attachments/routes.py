"""Documents on an entry: the section on the entry page, upload, versions, download and delete.

Every form works without JavaScript; a refused file comes back on the upload page with the message next to
the field (and is audited: refusals of files are security events). Downloads are served from our own stored
name with the sniffed type, always as an attachment, sandboxed and not sniffable by the browser.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from ..confirmation import render_confirmation
from ..extensions import db
from ..forms import apply_service_errors
from ..rate_limits import configured, limiter
from ..services import attachments, audit
from ..services.errors import InvalidInput
from ..services.pilot_queries import get_pilot
from ..transactions import commits
from ..uploads import accepts_file
from . import bp
from .forms import AttachmentForm, VersionForm

DOWNLOAD_CSP = "sandbox; default-src 'none'"


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """1,5 MB / 12 kB in the page's language."""
    if size >= 1024 * 1024:
        return _("%(n)s MB", n=format_decimal(round(size / (1024 * 1024), 1)))
    return _("%(n)s kB", n=format_decimal(max(1, round(size / 1024))))


@bp.app_template_global("pilot_attachments")
def pilot_attachments(pilot) -> dict:
    """What the entry page's "Documenten" section shows (a template helper: no change to the pilot route)."""
    can_manage = attachments.can_manage(current_user, pilot)
    return {
        "documents": attachments.entry_documents(pilot),
        "can_manage": can_manage,
        "form": AttachmentForm(formdata=None) if can_manage else None,  # readers get no form (and no CSRF token)
        "kind_label": attachments.kind_label,
    }


def _upload(form: VersionForm) -> attachments.Upload:
    file = request.files.get("file")
    if not isinstance(file, FileStorage) or not file.filename:
        message = _("Kies een bestand.")
        raise InvalidInput(message, {"file": [message]})
    return attachments.Upload(file.stream, file.filename, form.note.data or "")


def _refused(exc: InvalidInput, form, pilot) -> None:
    """Roll back what the service flushed, show its messages, and audit the refusal in its own transaction."""
    db.session.rollback()
    apply_service_errors(form, exc.field_errors or {"file": [exc.message]})
    audit.record(
        "attachment.refused", current_user, "pilot", pilot.slug, request.remote_addr, commit=True,
        reason=exc.message[:200],
    )  # fmt: skip


@bp.route("/pilots/<slug>/documenten/nieuw", methods=["GET", "POST"])
@login_required
@limiter.limit(configured("RATELIMIT_ATTACHMENTS"), methods=["POST"])
@accepts_file
def upload(slug: str):
    """Upload a new document (the section on the entry page posts here too)."""
    pilot = get_pilot(slug, current_user)
    attachments.require_manage(current_user, pilot)
    form = AttachmentForm()
    if request.method == "POST":
        received = None
        try:
            file = request.files.get("file")
            kind, title = attachments.check_fields(
                form.kind.data or "", form.title.data or "", file_missing=not (file and file.filename)
            )
            room = attachments.upload_room(current_user, pilot)
            db.session.rollback()  # nothing written yet: no transaction (SQLite's write lock) while the file is read
            received = attachments.receive(_upload(form), room)
            found = attachments.add_document(current_user, pilot, kind, title, received)
        except InvalidInput as exc:
            attachments.discard(received)
            _refused(exc, form, pilot)
        else:
            db.session.commit()
            flash(_("Het document “%(title)s” is toegevoegd.", title=found.title), "ok")
            return redirect(url_for("pilots.view", slug=pilot.slug, _anchor="documenten"))
    status = 422 if form.errors else 200
    return render_template("attachments/upload.html", form=form, pilot=pilot), status


@bp.route("/pilots/<slug>/documenten/<int:attachment_id>/versies", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_ATTACHMENTS"), methods=["POST"])
@accepts_file
def versions(slug: str, attachment_id: int):
    """A document's version history (everyone who may read the entry); the team adds a new version here."""
    pilot = get_pilot(slug, current_user)
    found = attachments.get_attachment(pilot, attachment_id)
    form = VersionForm()
    if request.method == "POST":
        received = None
        try:
            room = attachments.version_room(current_user, found)
            db.session.rollback()  # as in upload: no transaction while the file is read
            received = attachments.receive(_upload(form), room)
            version = attachments.add_version(current_user, found, received)
        except InvalidInput as exc:
            attachments.discard(received)
            _refused(exc, form, pilot)
        else:
            db.session.commit()
            flash(_("Versie %(n)d van “%(title)s” is toegevoegd.", n=version.number, title=found.title), "ok")
            return redirect(url_for("attachments.versions", slug=pilot.slug, attachment_id=found.id))
    status = 422 if form.errors else 200
    return render_template(
        "attachments/versions.html", form=form, pilot=pilot, document=found,
        can_manage=attachments.can_manage(current_user, pilot), kind_label=attachments.kind_label,
    ), status  # fmt: skip


@bp.get("/pilots/<slug>/documenten/<int:attachment_id>", defaults={"number": None})
@bp.get("/pilots/<slug>/documenten/<int:attachment_id>/versie/<int:number>")
def download(slug: str, attachment_id: int, number: int | None):
    """The file, as whoever may read the entry may (a deleted entry: 404). Our stored name, the sniffed type."""
    pilot = get_pilot(slug, current_user)
    version = attachments.get_version(attachments.get_attachment(pilot, attachment_id), number)
    response = send_file(
        attachments.file_path(version), mimetype=version.content_type, as_attachment=True,
        download_name=version.original_name, etag=version.sha256, max_age=0,
    )  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


@bp.get("/pilots/<slug>/documenten/<int:attachment_id>/verwijderen", endpoint="confirm_delete")
@login_required
def confirm_delete(slug: str, attachment_id: int):
    """Asks before a document goes. :raise 403: for anyone but the team and staff."""
    pilot = get_pilot(slug, current_user)
    found = attachments.get_attachment(pilot, attachment_id)
    attachments.require_manage(current_user, pilot)
    return render_confirmation(
        title=_("Document verwijderen"),
        question=_("Weet u zeker dat u het document “%(title)s” wilt verwijderen?", title=found.title),
        consequence=_("Het document en al zijn versies verdwijnen van de pagina en uit de zoekresultaten."),
        action=url_for("attachments.delete", slug=pilot.slug, attachment_id=found.id),
        confirm_label=_("Ja, document verwijderen"),
        cancel_url=url_for("attachments.versions", slug=pilot.slug, attachment_id=found.id),
    )


@bp.post("/pilots/<slug>/documenten/<int:attachment_id>/verwijderen")
@login_required
@commits
def delete(slug: str, attachment_id: int):
    pilot = get_pilot(slug, current_user)
    found = attachments.get_attachment(pilot, attachment_id)
    attachments.delete(current_user, found)
    flash(_("Het document “%(title)s” is verwijderd.", title=found.title), "ok")
    return redirect(url_for("pilots.view", slug=pilot.slug, _anchor="documenten"))
