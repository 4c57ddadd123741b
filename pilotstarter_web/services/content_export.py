"""`flask export DIR [--revisions]`: every visible pilot as a content file that `flask import-content` reads.

Layout of DIR (deterministic: the same database gives the same bytes):

- `pilots/<slug>.md` — front matter in services/content_format.py's FIELDS order, then the current text;
- `organisations.yaml` — only when a pilot names organisations beyond the reference lists (content/organisations),
  in other.yaml's format, so `flask import-content DIR` works on a database with just `flask init` done;
- with `--revisions`, `revisions/<slug>/0001.md` … — every revision: number, date (UTC), author's name (empty
  for the starting content), edit summary, reverted_to, and the text and metadata as of that revision. History
  to read and archive, not to import (import-content skips `revisions/`).

Deleted pilots and merged duplicates are left out. Files of an earlier export that this one no longer writes
(in `pilots/` and `revisions/`) are removed, so the folder always mirrors the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Organisation, Participation, Pilot, Revision
from .content_format import (
    ORGANISATIONS_FILE,
    REVISIONS_DIR,
    front_matter_file,
    partner_codes,
    pilot_file,
    yaml_scalar,
)
from .scaleup import when

BATCH = 200
PILOTS_DIR = "pilots"


@dataclass
class ExportReport:
    pilots: int = 0
    revisions: int = 0
    organisations: int = 0  # written to organisations.yaml
    removed: int = 0  # stale files of an earlier export


def _visible_pilots() -> Iterator[Pilot]:
    """Live pilots (not deleted, not merged) by slug, loaded BATCH at a time."""
    slugs = list(db.session.scalars(select(Pilot.id).where(Pilot.deleted_at.is_(None)).order_by(Pilot.slug)))
    for start in range(0, len(slugs), BATCH):
        chunk = slugs[start : start + BATCH]
        pilots = db.session.scalars(
            select(Pilot)
            .where(Pilot.id.in_(chunk))
            .options(
                selectinload(Pilot.themes),
                selectinload(Pilot.tags),
                selectinload(Pilot.participations).selectinload(Participation.organisation),
                selectinload(Pilot.current_revision),
            )
            .order_by(Pilot.slug)
        ).all()
        yield from pilots


def revision_file(revision: Revision) -> str:
    """One revision as a Markdown file with front matter (see the module docstring)."""
    author = revision.author.name if revision.author is not None else ""
    return front_matter_file(
        [
            ("number", "number", revision.number),
            ("date", "text", when(revision.created_at)),
            ("author", "text", author),
            ("edit_summary", "text", revision.edit_summary),
            ("reverted_to", "number", revision.reverted_to),
            ("title", "text", revision.title),
            ("summary", "text", revision.summary),
            ("status", "text", revision.status),
            ("themes", "list", revision.theme_keys),
            ("tags", "list", revision.tag_values),
        ],
        revision.body,
    )


def organisations_file(organisations: list[Organisation]) -> str:
    """Organisations in other.yaml's format, by code."""
    lines = []
    for org in sorted(organisations, key=lambda o: o.code):
        lines += [f"- code: {yaml_scalar(org.code)}", f"  name: {yaml_scalar(org.name)}", f"  kind: {org.kind}"]
        if org.province:
            lines.append(f"  province: {yaml_scalar(org.province)}")
        lines.append(f"  country: {org.country}")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str, written: set[Path]) -> None:
    """Write only when the bytes differ (a re-export leaves unchanged files and their times alone)."""
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    written.add(path)


def export_content(directory: Path, reference_codes: set[str], revisions: bool = False) -> ExportReport:
    """Write every visible pilot under `directory` (see the module docstring). `reference_codes`: the codes
    `flask init` loads, which need not be written."""
    report, written = ExportReport(), set()
    named: dict[str, Organisation] = {}
    for pilot in _visible_pilots():
        _write(directory / PILOTS_DIR / f"{pilot.slug}.md", pilot_file(pilot, pilot.current_revision.body), written)
        report.pilots += 1
        codes = set(partner_codes(pilot))
        named |= {p.organisation.code: p.organisation for p in pilot.participations if p.organisation.code in codes}
        named[pilot.owner.code] = pilot.owner
        if revisions:
            report.revisions += _write_revisions(directory / REVISIONS_DIR / pilot.slug, pilot, written)
    extra = [org for code, org in named.items() if code not in reference_codes]
    if extra:
        _write(directory / ORGANISATIONS_FILE, organisations_file(extra), written)
    elif (directory / ORGANISATIONS_FILE).is_file():
        (directory / ORGANISATIONS_FILE).unlink()
    report.organisations = len(extra)
    report.removed = _remove_stale(directory, written)
    return report


def _write_revisions(folder: Path, pilot: Pilot, written: set[Path]) -> int:
    count = 0
    for revision in db.session.scalars(select(Revision).where(Revision.pilot_id == pilot.id).order_by(Revision.number)):
        _write(folder / f"{revision.number:04d}.md", revision_file(revision), written)
        count += 1
    return count


def _remove_stale(directory: Path, written: set[Path]) -> int:
    """Remove the Markdown files of an earlier export (only in pilots/ and revisions/) not written now."""
    removed = 0
    for sub in (PILOTS_DIR, REVISIONS_DIR):
        for path in sorted((directory / sub).rglob("*.md")) if (directory / sub).is_dir() else []:
            if path not in written:
                path.unlink()
                removed += 1
    return removed
