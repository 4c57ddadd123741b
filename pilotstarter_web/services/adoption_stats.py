"""Adoption in numbers: per scale-up decision for VNG's portfolio dashboard, per organisation for the map, and
totals per stage for the statistics page. Read-only; every figure counts only entries that can be adopted now
(services/adoptions.py :func:`~.adoptions.can_be_adopted`, here as SQL: :func:`adoptable`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from ..extensions import db
from ..models import Adoption, Organisation, Pilot, ScaleUpReview
from ..models.adoptions import ADOPTION_STAGES
from .adoptions import ADOPTABLE_TYPES, SCALED_UP_STATE

STALE_MONTHS = 6  # a decision to scale up with no adoption after this long stands out on the dashboard
MAX_STALE_MONTHS = 60


def adoptable() -> ColumnElement[bool]:
    """:func:`adoptions.can_be_adopted` as a condition on Pilot (a test keeps the two equal)."""
    return and_(
        Pilot.deleted_at.is_(None),
        or_(
            Pilot.entry_type.in_(sorted(ADOPTABLE_TYPES)),
            and_(Pilot.entry_type == "pilot", Pilot.scale_up_state == SCALED_UP_STATE),
        ),
    )


def adoption_pairs(entry: Pilot) -> Select:
    """(organisation code, entry id) of every organisation adopting ``entry``: the map's reuse layer
    (services/participation_map.build_map counts such pairs)."""
    return (
        select(Organisation.code.label("code"), Adoption.pilot_id.label("pilot_id"))
        .join(Organisation, Organisation.id == Adoption.organisation_id)
        .join(Pilot, Pilot.id == Adoption.pilot_id)
        .where(adoptable(), Adoption.pilot_id == entry.id)
    )


def adoption_counts_by_organisation() -> list[tuple[str, int]]:
    """(organisation code, entries it adopts) for every adopting organisation, most first (the map's layer)."""
    rows = db.session.execute(
        select(Organisation.code, func.count(Adoption.id))
        .join(Adoption, Adoption.organisation_id == Organisation.id)
        .join(Pilot, Pilot.id == Adoption.pilot_id)
        .where(adoptable())
        .group_by(Organisation.code)
        .order_by(func.count(Adoption.id).desc(), Organisation.code)
    ).all()
    return [(code, count) for code, count in rows]


def adoptions_summary() -> dict[str, int]:
    """Adoptions per stage, their total, and how many entries and organisations they involve (statistics)."""
    per_stage = dict(
        db.session.execute(
            select(Adoption.stage, func.count(Adoption.id))
            .join(Pilot, Pilot.id == Adoption.pilot_id)
            .where(adoptable())
            .group_by(Adoption.stage)
        ).all()
    )
    spread = db.session.execute(
        select(func.count(func.distinct(Adoption.pilot_id)), func.count(func.distinct(Adoption.organisation_id)))
        .join(Pilot, Pilot.id == Adoption.pilot_id)
        .where(adoptable())
    ).one()
    summary = {stage: per_stage.get(stage, 0) for stage in ADOPTION_STAGES}
    return {**summary, "total": sum(summary.values()), "entries": spread[0], "organisations": spread[1]}


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 within the first month)."""
    return max((end.year - start.year) * 12 + end.month - start.month - (end.day < start.day), 0)


@dataclass
class DecisionAdoption:
    """One decision to scale up and how far reuse has come since."""

    pilot: Pilot
    decided_at: datetime
    months: int  # whole months since the decision
    counts: dict[str, int] = field(default_factory=dict)  # stage -> adopting organisations

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class DecisionOverview:
    rows: list[DecisionAdoption]
    totals: dict[str, int]  # stage -> adoptions over all decisions, plus "total"
    stale_months: int

    def is_stale(self, row: DecisionAdoption) -> bool:
        return row.total == 0 and row.months >= self.stale_months

    @property
    def stale_count(self) -> int:
        return sum(1 for row in self.rows if self.is_stale(row))


def decisions_overview(stale_months: int = STALE_MONTHS, today: date | None = None) -> DecisionOverview:
    """Every pilot decided "opschalen" with its adoptions per stage and the time since the decision.

    Sorted so the decisions without any adoption after ``stale_months`` come first (longest waiting first),
    then the rest with the fewest adoptions first: what needs a push is at the top. Two queries in all.
    """
    today = today or date.today()
    stale_months = min(max(stale_months, 1), MAX_STALE_MONTHS)
    latest = (
        select(ScaleUpReview.pilot_id, func.max(ScaleUpReview.decided_at).label("decided_at"))
        .where(ScaleUpReview.decision == "opschalen")
        .group_by(ScaleUpReview.pilot_id)
        .subquery()
    )
    decided = db.session.execute(
        select(Pilot, latest.c.decided_at)
        .join(latest, latest.c.pilot_id == Pilot.id)
        .where(Pilot.deleted_at.is_(None), Pilot.scale_up_state == SCALED_UP_STATE)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for pilot_id, stage, n in db.session.execute(
        select(Adoption.pilot_id, Adoption.stage, func.count(Adoption.id))
        .where(Adoption.pilot_id.in_([p.id for p, _at in decided]))
        .group_by(Adoption.pilot_id, Adoption.stage)
    ).all():
        counts.setdefault(pilot_id, {})[stage] = n
    rows = [
        DecisionAdoption(
            pilot,
            at,
            months_between(at.date(), today),
            {s: counts.get(pilot.id, {}).get(s, 0) for s in ADOPTION_STAGES},
        )
        for pilot, at in decided
    ]
    overview = DecisionOverview(rows, {}, stale_months)
    rows.sort(key=lambda r: (not overview.is_stale(r), r.total, r.decided_at, r.pilot.title.lower()))
    totals = {s: sum(r.counts[s] for r in rows) for s in ADOPTION_STAGES}
    overview.totals = {**totals, "total": sum(totals.values())}
    return overview
