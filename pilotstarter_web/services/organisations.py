"""Organisations: reference data import, lookup by code, name or alias, and listings."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Organisation, Participation, Pilot, User
from .errors import NotFound
from .slugs import slugify

# CBS spells some names officially; people search for the everyday name.
NL_ALIASES = {"GM0518": ["Den Haag"], "GM0373": ["Bergen NH"], "GM0893": ["Bergen L"]}
_CODE_SUFFIX = re.compile(r"\[([A-Za-z0-9-]+)\]\s*$")


@dataclass
class OrganisationRow:
    code: str
    name: str
    kind: str
    province: str | None
    country: str
    aliases: list[str]


def read_reference_rows(directory: Path) -> list[OrganisationRow]:
    """Read the CBS and Statbel lists and other.yaml from content/organisations/."""
    rows: list[OrganisationRow] = []
    with (directory / "nl_gemeenten_cbs_2023.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["GemeentecodeGM"]
            rows.append(
                OrganisationRow(
                    code, r["Gemeentenaam"], "municipality", r["Provincienaam"], "NL", NL_ALIASES.get(code, [])
                )
            )
    with (directory / "be_gemeenten_statbel_2025.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            names = [n for n in (r["name_nl"], r["name_fr"], r["name_de"]) if n]
            unique = list(dict.fromkeys(names))
            province = (r["province_nl"] or r["region_nl"]).removeprefix("Provincie ")
            rows.append(
                OrganisationRow(
                    "BE" + r["nis_code"], " / ".join(unique[:2]), "municipality", f"{province} (BE)", "BE",
                    unique if len(unique) > 1 else [],
                )
            )  # fmt: skip
    for entry in yaml.safe_load((directory / "other.yaml").read_text(encoding="utf-8")):
        rows.append(
            OrganisationRow(
                entry["code"], entry["name"], entry["kind"], entry.get("province"), entry.get("country", "NL"), []
            )
        )
    return rows


def load_reference_organisations(directory: Path) -> tuple[int, int]:
    """Upsert the reference organisations by code. Returns (created, updated); idempotent."""
    existing = {o.code: o for o in db.session.scalars(select(Organisation))}
    created = updated = 0
    for row in read_reference_rows(directory):
        org = existing.get(row.code)
        values = {
            "name": row.name, "kind": row.kind, "province": row.province, "country": row.country,
            "aliases": "|".join(row.aliases),
        }  # fmt: skip
        if org is None:
            db.session.add(Organisation(code=row.code, **values))
            created += 1
        elif any(getattr(org, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(org, k, v)
            updated += 1
    db.session.flush()
    return created, updated


def option_label(org: Organisation) -> str:
    """The text of an organisation in pickers; ends in [code] so it is never ambiguous."""
    return f"{org.display_name} [{org.code}]"


def find_organisation(ref: str) -> Organisation | None:
    """Find by picker label, code, official name or alias (case-insensitive); None if unknown or ambiguous."""
    ref = (ref or "").strip()
    if not ref:
        return None
    m = _CODE_SUFFIX.search(ref)
    if m:
        ref = m.group(1)
    org = db.session.scalar(select(Organisation).where(func.lower(Organisation.code) == ref.lower()))
    if org:
        return org
    matches = db.session.scalars(
        select(Organisation).where(
            or_(func.lower(Organisation.name) == ref.lower(), func.lower(Organisation.aliases).contains(ref.lower()))
        )
    ).all()
    exact = [o for o in matches if o.name.lower() == ref.lower() or ref.lower() in (a.lower() for a in o.alias_list)]
    return exact[0] if len(exact) == 1 else None


def get_organisation(code: str) -> Organisation:
    """:raise NotFound: for an unknown code."""
    org = db.session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise NotFound("Organisatie niet gevonden.")
    return org


def picker_organisations() -> list[Organisation]:
    """All organisations for the registration picker: NL first, then BE, then the rest."""
    order = {"association": 0, "municipality": 1, "supplier": 2, "other": 3}
    orgs = db.session.scalars(select(Organisation)).all()
    return sorted(orgs, key=lambda o: (order.get(o.kind, 9), o.country != "NL", o.name.lower()))


def list_organisations(
    q: str = "", kind: str = "", province: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[tuple[Organisation, int]], int]:
    """Organisations with their number of pilots (owned or joined), filtered; returns (rows, total)."""
    pilot_count = (
        select(func.count(Participation.id))
        .join(Pilot, Pilot.id == Participation.pilot_id)
        .where(Participation.organisation_id == Organisation.id, Pilot.deleted_at.is_(None))
        .scalar_subquery()
    )
    stmt = select(Organisation, pilot_count.label("pilots"))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Organisation.name).like(like),
                func.lower(Organisation.aliases).like(like),
                func.lower(Organisation.code) == q.lower(),
            )
        )
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    if province:
        stmt = stmt.where(Organisation.province == province)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    stmt = stmt.order_by(pilot_count.desc(), Organisation.name).limit(per_page).offset((page - 1) * per_page)
    return [(o, n) for o, n in db.session.execute(stmt)], total


def provinces() -> list[str]:
    """Provinces that have organisations, Dutch ones first."""
    values = db.session.scalars(select(Organisation.province).where(Organisation.province.is_not(None)).distinct())
    return sorted(values, key=lambda p: (p.endswith("(BE)"), p))


def organisation_members(org: Organisation) -> list[User]:
    return list(db.session.scalars(select(User).where(User.organisation_id == org.id).order_by(User.name)))


def create_other_organisation(name: str) -> Organisation:
    """A supplier or other organisation a registering user names; reuses an existing one by name."""
    name = " ".join(name.split())[:200]
    existing = find_organisation(name)
    if existing is not None:
        return existing
    base = slugify(name) or "organisatie"
    code, n = base, 2
    while db.session.scalar(select(Organisation.id).where(Organisation.code == code)) is not None:
        code, n = f"{base}-{n}", n + 1
    org = Organisation(code=code, name=name, kind="supplier", country="NL")
    db.session.add(org)
    db.session.flush()
    return org
