"""What activity is made of: its kinds, an item, the keyset cursor that pages through it, and the filters.

Apart from services/activity.py (the sources that read the tables), so pages, feeds and headlines can use the
types without the queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, or_, true

# The kinds, in one place: key -> label of the filter. Keys also order items of the same second.
KINDS: dict[str, object] = {
    "pilot": _l("Nieuwe pilots"),
    "edit": _l("Bewerkingen"),
    "join": _l("Deelnemers"),
    "scaleup": _l("Opschaling"),
    "comment": _l("Reacties"),
    "adoption": _l("Overnames"),
}


@dataclass(frozen=True)
class Cursor:
    """A keyset position: items strictly older than this one (by time, then kind, then id, all descending)."""

    at: datetime
    kind: str
    id: int

    def encode(self) -> str:
        return f"{self.at.isoformat(timespec='microseconds')}_{self.kind}_{self.id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor in a page link; anything malformed means "from the newest" (a hand-edited URL never fails)."""
        try:
            at, kind, ident = (text or "")[:80].split("_")
            cursor = cls(datetime.fromisoformat(at).replace(tzinfo=None), kind, int(ident))
        except ValueError:
            return None
        return cursor if kind in KINDS and 0 < cursor.id < 2**62 else None


@dataclass(frozen=True)
class ActivityItem:
    """One line of activity. ``actor`` is a person's name, or None when the platform did it (content import)."""

    kind: str
    id: int  # the source row's id (a pilot, the newest revision of a group, a participation, a step)
    at: datetime
    pilot_slug: str
    pilot_title: str
    actor: str | None
    organisation: str = ""  # join: who joined
    organisation_code: str = ""
    role: str = ""  # join: participation role
    summaries: tuple[str, ...] = ()  # edit: the edit summaries, newest first
    count: int = 1  # edit: revisions this item stands for
    diff_from: int = 0  # edit: the revision before the group, and the group's newest
    diff_to: int = 0
    first_id: int = 0  # edit: the run's first revision, which names the run for good as it grows (feed ids)
    action: str = ""  # scaleup: the step (services/scaleup.py ACTION_LABELS)
    state: str = ""  # scaleup: the state it led to; adoption: the stage entered
    meeting: str = ""  # scaleup: the portfolio meeting, if any
    reason: str = ""  # scaleup: the public reason or rationale; comment: the opening of its text
    entry_type: str = "pilot"  # of the pilot: pages and feeds name a best practice or challenge as such

    @property
    def position(self) -> Cursor:
        return Cursor(self.at, self.kind, self.id)

    @property
    def sort_key(self) -> tuple[datetime, str, int]:
        return (self.at, self.kind, self.id)


@dataclass
class ActivityFilters:
    theme: str = ""  # a key of THEMES
    organisation: str = ""  # code: activity on pilots it owns or takes part in
    kind: str = ""  # a key of KINDS; empty: all
    pilot: str = ""  # slug: one pilot's activity
    before: Cursor | None = None
    limit: int = 25


@dataclass
class ActivityPage:
    items: list[ActivityItem] = field(default_factory=list)
    next: Cursor | None = None  # where the next page starts; None on the last page


Source = Callable[[Select, Cursor | None, int], list[ActivityItem]]


def older(cursor: Cursor | None, kind: str, at: ColumnElement, ident: ColumnElement) -> ColumnElement[bool]:
    """The keyset condition for one source: its rows that sort after the cursor."""
    if cursor is None:
        return true()
    if kind < cursor.kind:
        return at <= cursor.at
    if kind > cursor.kind:
        return at < cursor.at
    return or_(at < cursor.at, and_(at == cursor.at, ident < cursor.id))
