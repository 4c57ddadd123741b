"""Writing pilots like a wiki: create, edit with three-way merge, revert, soft delete and restore.

Every change that search or similarity sees appends a ChangeLog row in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ..extensions import db
from ..markdown import extract_wiki_links
from ..models import (
    Organisation,
    Participation,
    Pilot,
    PilotTag,
    PilotTheme,
    Revision,
    User,
    WikiLink,
    utcnow,
)
from . import audit, entry_types
from .change_log import record_change
from .errors import InvalidInput, PermissionDenied, ServiceError
from .follow_news import announce_new_pilot
from .invitations import invite_listed_partners
from .permissions import can_edit_pilot, require_delete_pilot, require_writer
from .pilot_news import announce_edit
from .pilot_queries import get_revision
from .slugs import slugify, unique_pilot_slug
from .text_input import clean_line, refuse_look_alikes
from .textmerge import MergeResult, merge_field, merge_set, merge_text
from .themes import THEMES

MAX_TITLE, MAX_SUMMARY, MAX_BODY, MAX_EDIT_SUMMARY, MAX_TAGS = 200, 500, 200_000, 300, 10


@dataclass
class PilotText:
    """What a user writes. Themes, tags and status are revisioned with the text (each revision stores them),
    so a stale edit merges them three-way too and the history shows who changed them."""

    title: str
    summary: str = ""
    body: str = ""
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    status: str = "idee"
    edit_summary: str = ""
    # Not revisioned: chosen at creation and fixed (services/entry_types.py); it decides which statuses are valid.
    entry_type: str = entry_types.DEFAULT_TYPE


class EditConflict(ServiceError):
    """Someone saved in between and the changes overlap: nothing is saved; the merge goes back to the user,
    the description as segments (agreed text and conflicts) to choose from, so nothing typed is lost."""

    status = 409

    def __init__(
        self,
        text: PilotText,
        current: Revision,
        conflicts: int,
        base_number: int,
        fields: dict[str, tuple[str, str]] | None = None,
        body: MergeResult | None = None,
        mine_body: str = "",
    ) -> None:
        super().__init__(
            _(
                "Iemand anders heeft deze pilot intussen gewijzigd, op dezelfde plek als u. Er is nog niets opgeslagen: kies wat u houdt en sla opnieuw op."
            )
        )
        self.text = text  # the merged form; its body is my own text while the description has conflicts
        self.current = current
        self.conflicts = conflicts
        self.base_number = base_number
        self.fields = fields or {}  # fields both changed differently: field -> (mine, theirs) as text
        self.body = body if body is not None and body.conflicts else None  # the description's merge
        self.mine_body = mine_body  # the description as I sent it: a later resolution starts from it

    @property
    def text_conflicts(self) -> int:
        """Conflicts in the description (each one is a choice on the conflict page)."""
        return len(self.body.conflicts) if self.body else 0


def normalise_tags(tags: list[str]) -> list[str]:
    """Lower case, trimmed, unique, at most 50 characters each (validate_text bounds how many)."""
    out: list[str] = []
    for tag in tags:
        tag = clean_line(tag).lower()[:50]
        if tag and tag not in out:
            out.append(tag)
    return out


def check_draft_size(title: str, summary: str, body: str) -> None:
    """The pilot form's limits for a draft sent elsewhere (the similarity API), so its work stays bounded.

    :raise InvalidInput: (422) naming each field over its limit."""
    if errors := _size_errors(title, summary, body):
        raise InvalidInput(_("Controleer de gemarkeerde velden."), errors)


def _size_errors(title: str, summary: str, body: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if len(title) > MAX_TITLE:
        errors["title"] = _title_error()
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = [_("De samenvatting mag hooguit %(n)d tekens hebben.", n=MAX_SUMMARY)]
    if len(body) > MAX_BODY:
        errors["body"] = [_("De tekst is te lang (hooguit %(n)d tekens).", n=MAX_BODY)]
    return errors


def _title_error() -> list[str]:
    return [_("Een titel heeft letters of cijfers en hooguit %(n)d tekens.", n=MAX_TITLE)]


def validate_text(text: PilotText) -> PilotText:
    """:raise InvalidInput: with messages per field; returns the cleaned text."""
    errors: dict[str, list[str]] = {}
    text.title = clean_line(text.title)
    text.summary = " ".join(text.summary.split())
    text.body = text.body.replace("\r\n", "\n")
    errors.update(_size_errors(text.title, text.summary, text.body))
    if not text.title:
        errors["title"] = [_("Geef de pilot een titel.")]
    elif not slugify(text.title):
        errors["title"] = _title_error()
    elif "title" not in errors:
        try:
            refuse_look_alikes(text.title, "title")
        except InvalidInput as exc:
            errors.update(exc.field_errors)
    if unknown := [t for t in text.themes if t not in THEMES]:
        errors["themes"] = [_("Onbekend thema: %(t)s", t=", ".join(unknown))]
    text.tags = normalise_tags(text.tags)
    if len(text.tags) > MAX_TAGS:  # an error, not a cut: dropping tags silently would lose someone's change
        errors["tags"] = [_("Hooguit %(n)d tags.", n=MAX_TAGS)]
    if not entry_types.is_entry_type(text.entry_type):
        errors["entry_type"] = [_("Kies pilot, best practice of challenge.")]
    elif not entry_types.valid_status(text.entry_type, text.status):
        errors["status"] = [
            _("Kies een status die bij een %(type)s past.", type=entry_types.type_label(text.entry_type).lower())
        ]
    text.edit_summary = " ".join(text.edit_summary.split())[:MAX_EDIT_SUMMARY]
    text.themes = list(dict.fromkeys(text.themes))
    if errors:
        raise InvalidInput(_("Controleer de gemarkeerde velden."), errors)
    return text


def _revision_for_token(token: str | None) -> Revision | None:
    return db.session.scalar(select(Revision).where(Revision.submission_token == token)) if token else None


def _set_metadata(pilot: Pilot, text: PilotText) -> None:
    pilot.status = text.status
    if sorted(pilot.theme_keys) != sorted(text.themes):
        pilot.themes = [PilotTheme(theme=t) for t in text.themes]
    if pilot.tag_values != sorted(text.tags):
        pilot.tags = [PilotTag(tag=t) for t in sorted(text.tags)]


def _add_revision(
    pilot: Pilot, text: PilotText, author: User | None, token: str | None = None, reverted_to: int | None = None
) -> Revision:
    number = (pilot.current_revision.number if pilot.current_revision else 0) + 1
    rev = Revision(
        pilot_id=pilot.id, number=number, title=text.title, summary=text.summary, body=text.body,
        author_id=author.id if author else None, edit_summary=text.edit_summary, submission_token=token,
        reverted_to=reverted_to,
    )  # fmt: skip
    rev.set_metadata(text.status, text.themes, text.tags)
    db.session.add(rev)
    db.session.flush()
    pilot.current_revision = rev
    pilot.title, pilot.summary, pilot.updated_at = text.title, text.summary, utcnow()
    db.session.execute(delete(WikiLink).where(WikiLink.source_pilot_id == pilot.id))
    db.session.add_all(WikiLink(source_pilot_id=pilot.id, target_key=k) for k in extract_wiki_links(text.body))
    record_change(pilot)
    return rev


def create_pilot(
    user: User,
    text: PilotText,
    partners: list[Organisation] | None = None,
    token: str | None = None,
    slug: str | None = None,
) -> Pilot:
    """Publish a new pilot owned by the user's organisation. A repeated token returns the first pilot.

    Listed partners are invited, not added: each takes part once one of its verified members accepts."""
    require_writer(user)
    if (done := _revision_for_token(token)) is not None:
        return done.pilot
    pilot = _insert_pilot(user.organisation, validate_text(text), user, token, slug)
    invite_listed_partners(user, pilot, partners or [])
    announce_new_pilot(pilot, user)  # followers of its themes and organisations, saved searches
    return pilot


def _insert_pilot(
    owner: Organisation, text: PilotText, author: User | None, token: str | None, slug: str | None
) -> Pilot:
    pilot = Pilot(
        slug=slug or unique_pilot_slug(text.title), title=text.title, summary=text.summary, owner=owner,
        entry_type=text.entry_type,
    )  # fmt: skip
    _set_metadata(pilot, text)
    db.session.add(pilot)
    db.session.flush()
    db.session.add(Participation(pilot=pilot, organisation=owner, role="initiator", created_by_id=author and author.id))
    _add_revision(pilot, text, author, token)
    audit.record("pilot.created", author, "pilot", pilot.slug)
    return pilot


@dataclass
class EditOutcome:
    pilot: Pilot
    revision: Revision | None  # None: nothing changed
    merged: bool = False  # someone else's non-overlapping changes were merged in


def edit_pilot(user: User, pilot: Pilot, text: PilotText, base_number: int, token: str | None = None) -> EditOutcome:
    """Save an edit made on top of revision `base_number`.

    If someone saved after the base, their changes and ours are merged three-way; overlapping changes
    raise EditConflict carrying the merge (the description as segments), so nothing typed is lost.
    """
    if (done := _revision_for_token(token)) is not None:
        return EditOutcome(done.pilot, done)
    if not can_edit_pilot(user, pilot):
        require_writer(user)
        raise PermissionDenied(_("Deze pilot is verwijderd en kan niet worden bewerkt."))
    _lock(pilot)
    text.entry_type = pilot.entry_type  # fixed at creation: an edit keeps it whatever the form sends
    text = validate_text(text)
    current = pilot.current_revision
    merged = False
    if base_number != current.number:
        base = get_revision(pilot, base_number)
        mine_title, mine_summary, mine_body = text.title, text.summary, text.body
        title, t_conflict = merge_field(base.title, text.title, current.title)
        summary, s_conflict = merge_field(base.summary, text.summary, current.summary)
        body = merge_text(base.body, text.body, current.body)
        text.title, text.summary = title, summary
        if not body.conflicts:
            text.body = body.text
        fields = _merge_metadata(base, text, pilot)
        if t_conflict:
            fields["title"] = (mine_title, current.title)
        if s_conflict:
            fields["summary"] = (mine_summary, current.summary)
        if conflicts := len(body.conflicts) + len(fields):
            raise EditConflict(text, current, conflicts, base_number, fields, body, mine_body)
        merged = True
    if revisioned(text) == _current_state(pilot):
        return EditOutcome(pilot, None, merged)
    _set_metadata(pilot, text)
    revision = _add_revision(pilot, text, user, token)
    announce_edit(pilot, user)
    return EditOutcome(pilot, revision, merged)


def _merge_metadata(base: Revision, text: PilotText, pilot: Pilot) -> dict[str, tuple[str, str]]:
    """Merge status, themes and tags three-way into `text`, as the body is merged.

    Theirs is the page as it is now. A status both changed differently is a conflict (mine stays in the
    form, theirs is shown); themes and tags combine both sides' additions and removals, unless the tags
    would then exceed the limit.
    """
    fields: dict[str, tuple[str, str]] = {}
    text.status, status_conflict = merge_field(base.status, text.status, pilot.status)
    if status_conflict:
        fields["status"] = (text.status, pilot.status)
    text.themes = merge_set(base.theme_keys, text.themes, pilot.theme_keys)
    mine_tags = text.tags
    text.tags = merge_set(base.tag_values, text.tags, pilot.tag_values)
    if len(text.tags) > MAX_TAGS:
        fields["tags"] = (", ".join(mine_tags), ", ".join(pilot.tag_values))
    return fields


def revisioned(text: PilotText) -> tuple:
    """Everything a revision records, in a form that compares equal when nothing changed."""
    return text.title, text.summary, text.body, text.status, sorted(text.themes), sorted(text.tags)


def _current_state(pilot: Pilot) -> tuple:
    rev = pilot.current_revision
    return rev.title, rev.summary, rev.body, pilot.status, sorted(pilot.theme_keys), sorted(pilot.tag_values)


def _lock(pilot: Pilot) -> None:
    """Reload the pilot under a row lock (PostgreSQL: one save at a time per pilot; SQLite: BEGIN IMMEDIATE)."""
    db.session.refresh(pilot, with_for_update={"of": Pilot})  # not the joined owner: outer joins can't lock


def revert_pilot(user: User, pilot: Pilot, number: int) -> Revision:
    """Restore an old revision (text and metadata) as a new revision; history stays complete."""
    if not can_edit_pilot(user, pilot):
        require_writer(user)
        raise PermissionDenied(_("Deze pilot is verwijderd en kan niet worden bewerkt."))
    _lock(pilot)
    old = get_revision(pilot, number)
    if number == pilot.current_revision.number:
        raise InvalidInput(_("Dit is al de huidige versie."))
    text = PilotText(
        old.title, old.summary, old.body, old.theme_keys, old.tag_values, old.status,
        _("Teruggezet naar revisie %(n)d", n=number),
    )  # fmt: skip
    _set_metadata(pilot, text)
    rev = _add_revision(pilot, text, user, reverted_to=number)
    audit.record("pilot.reverted", user, "pilot", pilot.slug, to_revision=number)
    announce_edit(pilot, user)
    return rev


def delete_pilot(user: User, pilot: Pilot, reason: str = "") -> None:
    """Soft delete: hidden everywhere, text and history kept, restorable."""
    require_delete_pilot(user, pilot)
    if pilot.is_deleted:
        return
    pilot.deleted_at, pilot.deleted_by_id = utcnow(), user.id
    record_change(pilot, "delete")
    audit.record("pilot.deleted", user, "pilot", pilot.slug, reason=reason[:300])


def restore_pilot(user: User, pilot: Pilot) -> None:
    require_delete_pilot(user, pilot)
    if not pilot.is_deleted:
        return
    if pilot.is_merged:  # a merge moved its organisations; restoring would leave them in two places
        raise InvalidInput(_("Deze pilot is samengevoegd met een andere en kan niet worden teruggezet."))
    pilot.deleted_at = pilot.deleted_by_id = None
    record_change(pilot)
    audit.record("pilot.restored", user, "pilot", pilot.slug)
