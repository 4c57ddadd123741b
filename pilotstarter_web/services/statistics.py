"""The public statistics (/statistieken, GET /api/v1/statistics): a handful of aggregate queries over the visible
pilots (not deleted, not merged), so the cost grows with the number of groups, never with a loop over pilots.

"Taking part" means a participation as initiator, partner or supplier (not "interested") that the organisation
agreed to — the same rule as the scale-up checklist (services/participation.py: ``is_confirmed``), written as
SQL here. Provinces count the pilots in which a municipality of the province takes part.
"""

from __future__ import annotations

import statistics as pystats
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, case, distinct, extract, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import ChangeLog, Organisation, Participation, Pilot, PilotTheme, ScaleUpTransition, User
from ..models.adoptions import ADOPTION_STAGES
from ..models.pilots import ENTRY_TYPES, STATUSES
from . import entry_types
from .adoption_stats import adoptions_summary
from .adoptions import STAGE_LABELS as ADOPTION_STAGE_LABELS
from .participation import PARTICIPANT_ROLES
from .scaleup import DECISION_LABELS, STATE_LABELS, TRANSITIONS
from .themes import STATUS_LABELS, theme_label

# A timeline shows months up to three years, then quarters up to ten years, then years; beyond MAX_POINTS years
# the earliest ones are folded into the first point, so a chart never has more than MAX_POINTS points.
MONTHS_UP_TO = 36
QUARTERS_UP_TO = 40
MAX_POINTS = 40
CACHE_SECONDS = 60  # figures are reused this long while no pilot changed (see current())
CACHE_ENTRIES = 8  # one per language and change; more are dropped
SHARE_COUNTRY = "NL"  # the headline share is of the Dutch municipalities (VNG's members)
SCALED_UP_STATE = TRANSITIONS[("geagendeerd", "decide:opschalen")]
# Municipalities by the number of pilots they take part in: (key, lowest, highest or None).
PILOT_COUNT_BANDS: tuple[tuple[str, int, int | None], ...] = (("1", 1, 1), ("2", 2, 2), ("3-5", 3, 5), ("6+", 6, None))


@dataclass
class Count:
    """One category of a chart: a stable key for the API, its label in the page's language, the number."""

    key: str
    label: str
    value: int


@dataclass
class Period:
    key: str  # 2025-03, 2025-Q1 or 2025
    label: str  # "mrt 2025", "K1 2025", "2025" in the page's language
    start: date
    new: int
    cumulative: int


@dataclass
class Timeline:
    granularity: str  # month, quarter or year
    periods: list[Period] = field(default_factory=list)
    folded: bool = False  # the first period also holds everything before it (more than MAX_POINTS years)

    @property
    def total(self) -> int:
        return self.periods[-1].cumulative if self.periods else 0


@dataclass
class Duration:
    """Days from nomination to the consultation's decision, for one decision outcome."""

    decision: str
    label: str
    count: int
    median_days: float
    min_days: float
    max_days: float


@dataclass
class Statistics:
    pilots: int
    municipalities: int  # municipalities taking part in at least one visible pilot (any country)
    scaled_up: int
    share_taking_part: int  # Dutch municipalities taking part …
    share_total: int  # … of all Dutch municipalities
    pilots_over_time: Timeline
    municipalities_over_time: Timeline
    types: list[Count]  # entries per type: pilot, best practice, challenge
    themes: list[Count]
    statuses: list[Count]
    provinces: list[Count]
    scale_up_states: list[Count]
    pilots_per_municipality: list[Count]
    durations: list[Duration]
    adoptions: list[Count]  # reuse of scaled-up pilots and best practices: adoptions per stage
    reused_entries: int  # entries with at least one adoption
    adopting_organisations: int

    @property
    def share_percent(self) -> float:
        return round(100 * self.share_taking_part / self.share_total, 1) if self.share_total else 0.0


def _visible() -> list:
    return [Pilot.deleted_at.is_(None), Pilot.merged_at.is_(None)]


def _taking_part() -> Select:
    """(organisation id, pilot id, date it took part) of every agreed participation of a municipality in a
    visible pilot. The initiator and imported participations (no author) are dated by the pilot: they were there
    from the start, and an imported row carries the date of the import rather than the pilot's own date."""
    creator = aliased(User)
    from_start = or_(Participation.role == "initiator", Participation.created_by_id.is_(None))
    since = case((from_start, Pilot.created_at), else_=Participation.created_at)
    return (
        select(
            Participation.organisation_id.label("org_id"),
            Participation.pilot_id.label("pilot_id"),
            since.label("since"),
        )
        .join(Pilot, Pilot.id == Participation.pilot_id)
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .outerjoin(creator, creator.id == Participation.created_by_id)
        .where(
            *_visible(),
            Organisation.kind == "municipality",
            Organisation.pending.is_(False),
            Participation.role.in_(PARTICIPANT_ROLES),
            or_(from_start, creator.organisation_id == Participation.organisation_id),
        )
    )


def _monthly_from(subquery, column_name: str) -> dict[tuple[int, int], int]:
    """Counts per (year, month) of a date column of a subquery, grouped in the database."""
    column = subquery.c[column_name]
    year, month = extract("year", column), extract("month", column)
    rows = db.session.execute(select(year, month, func.count()).select_from(subquery).group_by(year, month))
    return {(int(y), int(m)): n for y, m, n in rows}


def _period_of(year: int, month: int, granularity: str) -> tuple[int, int]:
    if granularity == "month":
        return year, month
    if granularity == "quarter":
        return year, (month - 1) // 3 + 1
    return year, 1


def _next(period: tuple[int, int], granularity: str) -> tuple[int, int]:
    year, part = period
    last = {"month": 12, "quarter": 4, "year": 1}[granularity]
    return (year + 1, 1) if part == last else (year, part + 1)


def _describe(period: tuple[int, int], granularity: str) -> tuple[str, str, date]:
    year, part = period
    if granularity == "month":
        start = date(year, part, 1)
        return f"{year:04d}-{part:02d}", format_date(start, "MMM y"), start
    if granularity == "quarter":
        start = date(year, 3 * part - 2, 1)
        return f"{year:04d}-Q{part}", format_date(start, "QQQ y"), start
    start = date(year, 1, 1)
    return f"{year:04d}", format_date(start, "y"), start


def timeline(monthly: dict[tuple[int, int], int]) -> Timeline:
    """New and cumulative counts per period from the first month with data to the last, with no gaps; the
    granularity follows the span (months, quarters, years), and never more than MAX_POINTS points."""
    if not monthly:
        return Timeline("month")
    first, last = min(monthly), max(monthly)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    granularity = "month" if span <= MONTHS_UP_TO else "quarter" if span <= 3 * QUARTERS_UP_TO else "year"
    per_period: dict[tuple[int, int], int] = {}
    for (year, month), n in monthly.items():
        key = _period_of(year, month, granularity)
        per_period[key] = per_period.get(key, 0) + n
    start, end = _period_of(*first, granularity), _period_of(*last, granularity)
    folded = granularity == "year" and end[0] - start[0] + 1 > MAX_POINTS
    if folded:
        start = (end[0] - MAX_POINTS + 1, 1)
    result = Timeline(granularity, folded=folded)
    cumulative = sum(n for key, n in per_period.items() if key < start)  # folded into the first point
    period, carried = start, cumulative
    while period <= end:
        new = per_period.get(period, 0) + carried
        carried = 0
        cumulative += per_period.get(period, 0)
        key, label, day = _describe(period, granularity)
        result.periods.append(Period(key, label, day, new, cumulative))
        period = _next(period, granularity)
    return result


def _counts(rows: Iterable[tuple[str, int]], label, order: Iterable[str] | None = None) -> list[Count]:
    """Counts with labels, largest first (or in the given order of keys, any other key after them), zeros left out."""
    found = {key: n for key, n in rows if n}
    if order is not None:
        keys = [key for key in order if key in found] + sorted(set(found) - set(order))
        return [Count(key, str(label(key) or key), found[key]) for key in keys]
    items = [Count(key, str(label(key)), n) for key, n in found.items()]
    return sorted(items, key=lambda c: (-c.value, c.label.casefold()))


def _grouped(column, *where, join=None) -> list[tuple[str, int]]:
    stmt = select(column, func.count(distinct(Pilot.id))).select_from(Pilot)
    if join is not None:
        stmt = stmt.join(*join)
    return [(key, n) for key, n in db.session.execute(stmt.where(*_visible(), *where).group_by(column))]


def _provinces(taking_part) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Organisation.province, func.count(distinct(taking_part.c.pilot_id)))
        .join(taking_part, taking_part.c.org_id == Organisation.id)
        .where(Organisation.province.is_not(None))
        .group_by(Organisation.province)
    )
    return [(province, n) for province, n in rows]


@dataclass
class _Municipality:
    country: str
    since: datetime  # the first time it took part
    pilots: int


def _municipalities(taking_part) -> list[_Municipality]:
    """Every municipality taking part, once, in one grouped query: at most the length of the reference list of
    municipalities, whatever the number of pilots, so the figures about them are summed up in Python."""
    rows = db.session.execute(
        select(Organisation.country, func.min(taking_part.c.since), func.count(distinct(taking_part.c.pilot_id)))
        .join(taking_part, taking_part.c.org_id == Organisation.id)
        .group_by(Organisation.id, Organisation.country)
    )
    return [_Municipality(country, since, n) for country, since, n in rows]


def _pilots_per_municipality(municipalities: list[_Municipality]) -> list[Count]:
    labels = {
        "1": _("1 pilot"),
        "2": _("2 pilots"),
        "3-5": _("3 tot en met 5 pilots"),
        "6+": _("6 of meer pilots"),
    }
    return [
        Count(
            key, labels[key], sum(1 for m in municipalities if low <= m.pilots and (high is None or m.pilots <= high))
        )
        for key, low, high in PILOT_COUNT_BANDS
    ]


def _days(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 86400, 1)


def _durations() -> list[Duration]:
    """Nomination → decision per review round, from the route's timeline rows. A round starts with its first
    nomination; rounds VNG routed without one (a flag) have no nomination and are not counted."""
    nominated = (
        select(ScaleUpTransition.review_id, func.min(ScaleUpTransition.created_at).label("at"))
        .where(ScaleUpTransition.action == "nominate")
        .group_by(ScaleUpTransition.review_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ScaleUpTransition.to_state, nominated.c.at, ScaleUpTransition.created_at)
        .join(nominated, nominated.c.review_id == ScaleUpTransition.review_id)
        .join(Pilot, Pilot.id == ScaleUpTransition.pilot_id)
        .where(ScaleUpTransition.action == "decide", *_visible())
    )  # one row per decided round: bounded by the decisions taken, not by the pilots
    outcome = {TRANSITIONS[("geagendeerd", f"decide:{d}")]: d for d in DECISION_LABELS}
    days: dict[str, list[float]] = {}
    for to_state, start, end in rows:
        if to_state in outcome:
            days.setdefault(outcome[to_state], []).append(_days(start, end))
    return [
        Duration(
            d, str(DECISION_LABELS[d]), len(days[d]), round(pystats.median(days[d]), 1), min(days[d]), max(days[d])
        )
        for d in DECISION_LABELS
        if d in days
    ]


def compute() -> Statistics:
    """Every figure of the statistics page and API, from the database as it is now."""
    taking_part = _taking_part().subquery()
    pilots = db.session.scalar(select(func.count(Pilot.id)).where(*_visible())) or 0
    scaled_up = db.session.scalar(
        select(func.count(Pilot.id)).where(*_visible(), Pilot.scale_up_state == SCALED_UP_STATE)
    )
    municipalities = _municipalities(taking_part)
    first_months = Counter((m.since.year, m.since.month) for m in municipalities)
    share_total = db.session.scalar(
        select(func.count(Organisation.id)).where(
            Organisation.kind == "municipality", Organisation.country == SHARE_COUNTRY, Organisation.pending.is_(False)
        )
    )
    pilot_times = select(Pilot.created_at.label("since")).where(*_visible()).subquery()
    reuse = adoptions_summary()
    return Statistics(
        pilots=pilots,
        municipalities=len(municipalities),
        scaled_up=scaled_up or 0,
        share_taking_part=sum(1 for m in municipalities if m.country == SHARE_COUNTRY),
        share_total=share_total or 0,
        pilots_over_time=timeline(_monthly_from(pilot_times, "since")),
        municipalities_over_time=timeline(first_months),
        types=_counts(_grouped(Pilot.entry_type), entry_types.type_plural, ENTRY_TYPES),
        themes=_counts(_grouped(PilotTheme.theme, join=(PilotTheme, PilotTheme.pilot_id == Pilot.id)), theme_label),
        statuses=_counts(_grouped(Pilot.status), STATUS_LABELS.get, STATUSES),
        provinces=_counts(_provinces(taking_part), str),
        scale_up_states=_counts(_grouped(Pilot.scale_up_state), lambda k: STATE_LABELS.get(k, k), STATE_LABELS),
        pilots_per_municipality=_pilots_per_municipality(municipalities),
        durations=_durations(),
        adoptions=_counts(
            ((stage, reuse[stage]) for stage in ADOPTION_STAGES), ADOPTION_STAGE_LABELS.get, ADOPTION_STAGES
        ),
        reused_entries=reuse["entries"],
        adopting_organisations=reuse["organisations"],
    )


_cache: dict[tuple[str, int], tuple[float, Statistics]] = {}
_cache_lock = threading.Lock()


def current() -> Statistics:
    """The figures for the page and the API: :func:`compute`, reused for up to CACHE_SECONDS in this process
    while nothing changed. Every change to a pilot, its participants or its scale-up route appends a ChangeLog
    row in the same transaction, so the newest row's id (one indexed look-up) tells whether the figures moved;
    the time limit covers what does not go through it (an organisation becoming visible)."""
    key = (str(get_locale()), db.session.scalar(select(func.max(ChangeLog.id))) or 0)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    stats = compute()
    with _cache_lock:
        if len(_cache) >= CACHE_ENTRIES:
            _cache.clear()
        _cache[key] = (now, stats)
    return stats
