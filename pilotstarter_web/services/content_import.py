"""Import Markdown pilots from content/pilots/*.md: upsert by slug, errors per file with line numbers.

The front matter's keys are services/content_format.py's FIELDS; `flask export` writes the same format, and
an export's folder imports as a whole (its organisations.yaml first, its revisions/ skipped)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select

from ..extensions import db
from ..models import Organisation, Participation, Pilot
from ..models.pilots import ENTRY_TYPES
from . import entry_types
from .content_format import KEYS, ORGANISATIONS_FILE, REVISIONS_DIR, canonical_body
from .errors import InvalidInput
from .organisations import add_missing_organisations, find_organisation, read_organisation_yaml
from .participation import add_agreed_partners
from .pilots import PilotText, _add_revision, _insert_pilot, _set_metadata, revisioned, validate_text
from .slugs import slugify

log = logging.getLogger("pilotstarter.import")


class ContentError(Exception):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class ContentPilot:
    slug: str
    text: PilotText
    owner: Organisation
    partners: list[Organisation]
    created: dt.datetime | None


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    organisations: int = 0  # created from an export's organisations.yaml


def _key_line(front: list[str], key: str) -> int:
    """1-based file line of `key:` in the front matter (which starts on file line 2)."""
    for i, line in enumerate(front):
        if line.startswith(f"{key}:"):
            return i + 2
    return 1


def parse_content_file(path: Path) -> ContentPilot:
    """Read one pilot file. :raise ContentError: naming the file and line of the first problem."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, 1, f"geen geldige UTF-8-tekst ({exc.reason})") from exc
    lines = raw.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "het bestand moet beginnen met '---' (YAML front matter)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(path, 1, "de front matter wordt niet afgesloten met '---'") from None
    front = lines[1:end]
    try:
        meta = yaml.safe_load("\n".join(front)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(
            path, (mark.line + 2) if mark else 1, f"ongeldige YAML: {getattr(exc, 'problem', exc)}"
        ) from exc
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "de front matter moet sleutels met waarden bevatten")
    for key in meta:
        if key not in KEYS:  # a key the export would not write back: refused, not silently dropped
            raise ContentError(
                path, _key_line(front, str(key)), f"onbekend veld '{key}' (bekende velden: {', '.join(KEYS)})"
            )
    slug = path.stem
    if slugify(slug) != slug:
        raise ContentError(path, 1, f"de bestandsnaam '{slug}' is geen geldige slug (kleine letters, cijfers, '-')")
    for key in ("title", "organisation"):
        if not meta.get(key):
            raise ContentError(path, _key_line(front, key), f"verplicht veld '{key}' ontbreekt")
    owner = find_organisation(str(meta["organisation"]))
    if owner is None:
        raise ContentError(path, _key_line(front, "organisation"), f"onbekende organisatie '{meta['organisation']}'")
    partners = []
    for ref in _as_list(meta.get("partners"), path, _key_line(front, "partners")):
        org = find_organisation(str(ref))
        if org is None:
            raise ContentError(path, _key_line(front, "partners"), f"onbekende partnerorganisatie '{ref}'")
        partners.append(org)
    created = meta.get("created")
    if created is not None and not isinstance(created, dt.date):
        raise ContentError(path, _key_line(front, "created"), "'created' moet een datum zijn (JJJJ-MM-DD)")
    entry_type = str(meta.get("type") or entry_types.DEFAULT_TYPE)
    if not entry_types.is_entry_type(entry_type):
        raise ContentError(
            path, _key_line(front, "type"), f"onbekend type '{entry_type}' (kies uit {', '.join(ENTRY_TYPES)})"
        )
    text = PilotText(
        title=str(meta["title"]),
        summary=str(meta.get("summary") or ""),
        body=canonical_body("\n".join(lines[end + 1 :])),
        themes=[str(t) for t in _as_list(meta.get("themes"), path, _key_line(front, "themes"))],
        tags=[str(t) for t in _as_list(meta.get("tags"), path, _key_line(front, "tags"))],
        status=str(meta.get("status") or entry_types.default_status(entry_type)),
        edit_summary=f"Geïmporteerd uit {path.name}",
        entry_type=entry_type,
    )
    try:
        validate_text(text)
    except InvalidInput as exc:
        key, messages = next(iter(exc.field_errors.items()), ("title", [exc.message]))
        raise ContentError(path, _key_line(front, key), f"{key}: {'; '.join(messages)}") from exc
    if isinstance(created, dt.date) and not isinstance(created, dt.datetime):
        created = dt.datetime.combine(created, dt.time(9, 0))
    return ContentPilot(slug, text, owner, partners, created)


def _as_list(value: object, path: Path, line: int) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list):
        raise ContentError(path, line, "verwacht een lijst, bijvoorbeeld [a, b]")
    return value


def import_content(directory: Path) -> ImportReport:
    """Upsert every *.md under directory (recursively). Each file is its own savepoint."""
    report = ImportReport()
    _add_organisations(directory / ORGANISATIONS_FILE, report)
    for path in sorted(directory.rglob("*.md")):
        if path.relative_to(directory).parts[0] == REVISIONS_DIR:
            continue  # an export's history (flask export --revisions), not pilots
        try:
            item = parse_content_file(path)
            with db.session.begin_nested():
                outcome = _upsert(item)
        except ContentError as exc:
            report.errors.append(exc)
            log.warning("%s", exc)
            continue
        getattr(report, outcome).append(item.slug)
    return report


def _add_organisations(path: Path, report: ImportReport) -> None:
    """An export's organisations.yaml: the organisations its pilots name beyond the reference lists."""
    if not path.is_file():
        return
    try:
        report.organisations = add_missing_organisations(read_organisation_yaml(path))
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        error = ContentError(path, 1, f"ongeldige lijst van organisaties ({exc})")
        report.errors.append(error)
        log.warning("%s", error)


def _make_initiator(pilot: Pilot, org: Organisation) -> None:
    part = next((p for p in pilot.participations if p.organisation_id == org.id), None)
    if part is None:
        db.session.add(Participation(pilot=pilot, organisation=org, role="initiator"))
    else:
        part.role = "initiator"


def _upsert(item: ContentPilot) -> str:
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == item.slug))
    if pilot is None:
        pilot = _insert_pilot(item.owner, item.text, None, None, item.slug)
        add_agreed_partners(pilot, item.partners)
        if item.created:
            pilot.created_at = item.created
            pilot.current_revision.created_at = item.created
            pilot.updated_at = item.created
        return "created"
    changed = False
    if pilot.owner_id != item.owner.id:
        for part in pilot.participations:
            if part.role == "initiator":
                part.role = "partner"  # the former owner stays on board as a partner
        pilot.owner = item.owner
        _make_initiator(pilot, item.owner)
        changed = True
    if pilot.entry_type != item.text.entry_type:  # the file is the operator's source: its type wins
        pilot.entry_type = item.text.entry_type
        changed = True
    before = (pilot.status, sorted(pilot.theme_keys), pilot.tag_values)
    _set_metadata(pilot, item.text)
    changed |= before != (pilot.status, sorted(pilot.theme_keys), pilot.tag_values)
    changed |= add_agreed_partners(pilot, item.partners)
    current = pilot.current_revision
    if revisioned(item.text) != (
        current.title, current.summary, current.body, current.status, current.theme_keys, current.tag_values
    ):  # fmt: skip
        _add_revision(pilot, item.text, None)
        return "updated"
    return "updated" if changed else "unchanged"
