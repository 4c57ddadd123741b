"""The map of participation: how many pilots each Dutch and Flemish municipality, and each province, takes part in.

What is counted is a parameter: a query of ``(code, pilot_id)`` pairs (an organisation code and a pilot). The map
counts confirmed participations in live pilots (``participation_pairs``); another relation — a municipality
that adopts a pilot — passes its own pairs to ``area_counts`` or ``build_map`` and gets the same counts, bins,
table and SVG (a mini-map elsewhere renders ``templates/maps/_svg.html`` with the result). A pilot counts once
per municipality and once per province however many of the province's municipalities take part.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Organisation, Participation, Pilot, User
from ..models.organisations import display_name
from .map_geometry import map_geometry
from .participation import confirmed_condition

LEVELS = ("gemeente", "provincie")
# Colour classes: 0, 1, 2–3, 4–6, 7 or more pilots (lower bounds).
BIN_FLOORS = (0, 1, 2, 4, 7)
TAKING_PART = ("initiator", "partner", "supplier")  # "interested" is not taking part


def participation_pairs() -> Select:
    """(organisation code, pilot id) of every confirmed participation of a municipality in a live pilot."""
    creator = aliased(User)
    return (
        select(Organisation.code.label("code"), Participation.pilot_id.label("pilot_id"))
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .join(Pilot, Pilot.id == Participation.pilot_id)
        .outerjoin(creator, creator.id == Participation.created_by_id)
        .where(
            Pilot.deleted_at.is_(None),
            Pilot.merged_at.is_(None),
            Organisation.kind == "municipality",
            Organisation.pending.is_(False),
            Participation.role.in_(TAKING_PART),
            confirmed_condition(creator),
        )
    )


@dataclass(frozen=True)
class AreaCounts:
    by_organisation: dict[str, int]  # organisation code -> distinct pilots
    by_province: dict[str, int]  # province name (as organisations carry it) -> distinct pilots


def area_counts(pairs: Select | None = None) -> AreaCounts:
    """Distinct pilots per organisation code and per province, in two grouped queries (rows bounded by the
    number of organisations and provinces, not by pilots)."""
    sub = (pairs if pairs is not None else participation_pairs()).subquery()
    per_org = select(sub.c.code, func.count(distinct(sub.c.pilot_id))).group_by(sub.c.code)
    per_province = (
        select(Organisation.province, func.count(distinct(sub.c.pilot_id)))
        .join(Organisation, Organisation.code == sub.c.code)
        .where(Organisation.province.is_not(None))
        .group_by(Organisation.province)
    )
    return AreaCounts(
        {code: n for code, n in db.session.execute(per_org)}, {p: n for p, n in db.session.execute(per_province)}
    )


def count_bin(count: int) -> int:
    """The colour class (0–4) of a count."""
    return max(i for i, floor in enumerate(BIN_FLOORS) if count >= floor)


@dataclass(frozen=True)
class Area:
    code: str  # organisation code, or province code at province level
    name: str
    count: int
    path: str  # SVG path data; "" for an organisation without an outline (still listed in the table)
    province: str  # province name
    kind: str  # "gemeente" or "provincie"

    @property
    def bin(self) -> int:
        return count_bin(self.count)


@dataclass(frozen=True)
class ParticipationMap:
    level: str
    view_box: str
    areas: list[Area]  # every outline, drawn in this order
    groups: list[tuple[str, list[Area]]]  # the table: areas with at least one pilot, by province
    total: int  # areas with at least one pilot
    borders: list[str]  # province outlines drawn over municipalities, for orientation (none at province level)

    @property
    def linked(self) -> list[Area]:
        return [a for a in self.areas if a.count and a.path]


def _province_order(name: str) -> tuple[bool, str]:
    return name.endswith("(BE)"), name


def build_map(level: str = "gemeente", pairs: Select | None = None) -> ParticipationMap:
    """The map and its table at one level ("gemeente" or "provincie"; anything else is "gemeente")."""
    level = level if level in LEVELS else "gemeente"
    geometry = map_geometry()
    counts = area_counts(pairs)
    if level == "provincie":
        areas = [
            Area(code, shape.name, counts.by_province.get(shape.name, 0), shape.path, shape.name, level)
            for code, shape in geometry.provinces.items()
        ]
        # Provinces off the map (Brussels, Wallonia) with pilots still go into the table, without a code.
        drawn = {shape.name for shape in geometry.provinces.values()}
        unmapped = [Area("", name, n, "", name, level) for name, n in counts.by_province.items() if name not in drawn]
        groups = [("", sorted((a for a in areas + unmapped if a.count), key=lambda a: _province_order(a.name)))]
        return ParticipationMap(level, geometry.view_box, areas, [g for g in groups if g[1]], len(groups[0][1]), [])
    rows = db.session.execute(
        select(
            Organisation.code, Organisation.name, Organisation.aliases, Organisation.country, Organisation.province
        ).where(Organisation.kind == "municipality", Organisation.pending.is_(False))
    )  # plain rows, not 900 ORM objects: this runs on every view of the page
    names = {
        code: (display_name(name, aliases, country), province or "") for code, name, aliases, country, province in rows
    }
    areas = [
        Area(code, names[code][0], counts.by_organisation.get(code, 0), shape.path, names[code][1], level)
        for code, shape in geometry.municipalities.items()
        if code in names
    ]
    # Organisations with pilots but no outline (a code newer than the map) still go into the table.
    unmapped = [
        Area(code, names[code][0], n, "", names[code][1], level)
        for code, n in counts.by_organisation.items()
        if code in names and code not in geometry.municipalities
    ]
    grouped: dict[str, list[Area]] = {}
    for area in sorted((a for a in areas + unmapped if a.count), key=lambda a: a.name.lower()):
        grouped.setdefault(area.province, []).append(area)
    groups = [(p, grouped[p]) for p in sorted(grouped, key=_province_order)]
    borders = [shape.path for shape in geometry.provinces.values()]
    return ParticipationMap(level, geometry.view_box, areas, groups, sum(len(g) for _, g in groups), borders)
