"""Open data: the public fields of every visible pilot as CSV and JSON, with the filters of the pilot list.

Why streamed in batches: the list may hold tens of thousands of pilots. Only their ids (in the list's order)
are read at once; the pilots themselves are loaded BATCH at a time, written out and let go, so memory stays
flat however long the list is. The exported fields are the ones the public pilot page and the API show —
never e-mail addresses, deleted pilots, merged duplicates, unconfirmed partners or the scale-up checklist.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import ChangeLog, Participation, Pilot, Revision
from ..models.timeutil import utcnow
from .adoptions import public_adoptions_of
from .csv_cells import safe_cell
from .participation import confirmed_participations
from .pilot_queries import PilotFilters, listed_pilot_ids
from .scaleup import scale_up_json, when

BATCH = 500  # pilots loaded, written and let go at a time
# The site states no licence of its own for pilot data; the exported facts are published as CC0 (see /open-data).
LICENSE = {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"}
ROLE_ORDER = {"initiator": 0, "partner": 1, "supplier": 2, "interested": 3}
LIST_SEPARATOR = "; "  # how a CSV cell joins a list (themes, tags, participants)
CSV_COLUMNS = (
    "slug", "url", "type", "title", "summary", "status", "themes", "tags", "owner_code", "owner_name",
    "participant_codes", "participant_names", "participant_roles", "created_at", "updated_at", "revision",
    "scale_up_state", "decision", "decided_at", "decision_rationale", "decision_follow_up", "decision_meeting",
    "adopter_codes", "adopter_names", "adoption_stages",
)  # fmt: skip


@dataclass
class PilotExport:
    """One export of the pilot list: the ids are fixed when it starts, the pilots are read while it is sent."""

    filters: PilotFilters
    pilot_url: Callable[[str], str]
    ids: list[int] = field(default_factory=list)

    @classmethod
    def start(cls, filters: PilotFilters, pilot_url: Callable[[str], str]) -> PilotExport:
        """Fix the list (ids only) now, so the count in the JSON header matches the items that follow."""
        return cls(filters, pilot_url, listed_pilot_ids(filters))

    def record_batches(self) -> Iterator[list[dict[str, Any]]]:
        """The public record of each pilot, BATCH pilots at a time, in the list's order."""
        for start in range(0, len(self.ids), BATCH):
            chunk = self.ids[start : start + BATCH]
            pilots = db.session.scalars(
                select(Pilot)
                .where(Pilot.id.in_(chunk), Pilot.deleted_at.is_(None))  # deleted while the export ran: left out
                .options(
                    selectinload(Pilot.themes),
                    selectinload(Pilot.tags),
                    selectinload(Pilot.participations).selectinload(Participation.organisation),
                )
            ).all()
            numbers = dict(
                db.session.execute(
                    select(Revision.id, Revision.number).where(Revision.id.in_([p.current_revision_id for p in pilots]))
                )
                .tuples()
                .all()
            )
            confirmed = {id(p) for p in confirmed_participations(part for pl in pilots for part in pl.participations)}
            by_id = {p.id: p for p in pilots}
            adopted = public_adoptions_of(pilots)
            yield [
                pilot_record(by_id[i], numbers.get(by_id[i].current_revision_id), confirmed, self.pilot_url)
                | {"adoptions": adopted.get(i, [])}
                for i in chunk
                if i in by_id
            ]  # the session holds unchanged pilots weakly: once written out, a batch can be collected

    def csv_chunks(self) -> Iterator[str]:
        """UTF-8 CSV with a BOM (Excel), RFC 4180 quoting, a header row; one chunk per batch."""
        out = io.StringIO()
        writer = csv.writer(out)  # RFC 4180: quotes where needed, CRLF line ends
        out.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        yield _drain(out)  # the header at once: the download starts before the first batch is read
        for batch in self.record_batches():
            for record in batch:
                writer.writerow([safe_cell(value) for value in csv_row(record)])
            yield _drain(out)

    def json_chunks(self) -> Iterator[str]:
        """``{"generated_at", "license", "count", "items": [...]}``, written item by item."""
        head = {"generated_at": when(utcnow()), "license": LICENSE, "count": len(self.ids)}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
        first = True
        for batch in self.record_batches():
            parts = [json.dumps(record, ensure_ascii=False) for record in batch]
            if parts:
                yield ("" if first else ", ") + ", ".join(parts)
                first = False
        yield "]}\n"


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def pilot_record(
    pilot: Pilot, revision: int | None, confirmed: set[int], pilot_url: Callable[[str], str]
) -> dict[str, Any]:
    """The public fields of one pilot, typed as in the JSON export (the CSV flattens this)."""
    parts = sorted(
        (p for p in pilot.participations if id(p) in confirmed),
        key=lambda p: (ROLE_ORDER.get(p.role, 9), p.created_at, p.id),
    )
    return {
        "slug": pilot.slug,
        "url": pilot_url(pilot.slug),
        "type": pilot.entry_type,  # pilot, best_practice or challenge
        "title": pilot.title,
        "summary": pilot.summary,
        "status": pilot.status,
        "themes": pilot.theme_keys,
        "tags": pilot.tag_values,
        "owner": {"code": pilot.owner.code, "name": pilot.owner.name},
        "participants": [{"code": p.organisation.code, "name": p.organisation.name, "role": p.role} for p in parts],
        "created_at": when(pilot.created_at),
        "updated_at": when(pilot.updated_at),
        "revision": revision,
        "scale_up": scale_up_json(pilot),  # state, and the latest decision of the portfolio consultation
    }


def csv_row(record: dict[str, Any]) -> list[str]:
    """A record as the CSV's cells, in CSV_COLUMNS order; lists joined with LIST_SEPARATOR."""
    joined = LIST_SEPARATOR.join
    people = record["participants"]
    decision = record["scale_up"]["decision"] or {}
    meeting = decision.get("meeting") or {}
    adopters = record.get("adoptions", [])
    return [
        record["slug"], record["url"], record["type"], record["title"], record["summary"], record["status"],
        joined(record["themes"]), joined(record["tags"]), record["owner"]["code"], record["owner"]["name"],
        joined(p["code"] for p in people), joined(p["name"] for p in people), joined(p["role"] for p in people),
        record["created_at"], record["updated_at"], str(record["revision"] or ""), record["scale_up"]["state"],
        decision.get("decision") or "", decision.get("decided_at") or "", decision.get("rationale") or "",
        joined(decision.get("follow_up") or []),
        f"{meeting['date']} {meeting['title']}" if meeting else "",
        joined(a["organisation"]["code"] for a in adopters), joined(a["organisation"]["name"] for a in adopters),
        joined(a["stage"] for a in adopters),
    ]  # fmt: skip


def export_etag(kind: str, filters: PilotFilters) -> str:
    """Changes whenever any pilot the export could show changes: every such change (text, participants,
    scale-up step, delete, organisation rename) appends a change-log row in its own transaction."""
    newest = db.session.scalar(select(func.max(ChangeLog.id))) or 0
    key = json.dumps([kind, asdict(filters) | {"page": 1, "per_page": 0}, newest], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:32]
