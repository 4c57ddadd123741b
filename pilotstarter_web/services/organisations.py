"""Organisations: reference data import, lookup by code, name or alias, and listings."""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Organisation, Participation, Pilot, User
from ..models.organisations import GOVERNMENT_KINDS
from .change_log import record_changes
from .errors import InvalidInput, NotFound
from .slugs import slugify
from .text_input import clean_name

# CBS spells some names officially; people search for the everyday name.
NL_ALIASES = {"GM0518": ["Den Haag"], "GM0373": ["Bergen NH"], "GM0893": ["Bergen L"]}
_CODE_SUFFIX = re.compile(r"\[([A-Za-z0-9-]+)\]\s*$")
MIN_ORG_NAME, MAX_ORG_NAME = 2, 200
FORMULA_START = "=+-@"
MARKUP = "<>{}[]`|\\"  # markup, and the separators of picker labels ("Naam [code]") and aliases ("a|b")
INDEXED_FIELDS = ("name", "province")  # what a pilot's search document holds of each of its organisations


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
    return rows + read_organisation_yaml(directory / "other.yaml")


def read_organisation_yaml(path: Path) -> list[OrganisationRow]:
    """A YAML list of organisations (code, name, kind, optional province and country), as in other.yaml and in
    an export's organisations.yaml. :raise KeyError, TypeError, yaml.YAMLError: on a malformed file."""
    return [
        OrganisationRow(
            str(entry["code"]), str(entry["name"]), str(entry["kind"]), entry.get("province"),
            entry.get("country", "NL"), [],
        )
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []
    ]  # fmt: skip


def add_missing_organisations(rows: list[OrganisationRow]) -> int:
    """Create the organisations whose code is unknown (an export's organisations beyond the reference lists);
    existing ones are left as they are. Returns how many were created."""
    known = set(db.session.scalars(select(Organisation.code).where(Organisation.code.in_([r.code for r in rows]))))
    new = [r for r in rows if r.code not in known]
    for row in new:
        db.session.add(
            Organisation(code=row.code, name=row.name, kind=row.kind, province=row.province, country=row.country)
        )
    db.session.flush()
    return len(new)


def load_reference_organisations(directory: Path) -> tuple[int, int]:
    """Upsert the reference organisations by code. Returns (created, updated); idempotent."""
    existing = {o.code: o for o in db.session.scalars(select(Organisation))}
    created = updated = 0
    renamed: list[int] = []  # a new list renames municipalities (mergers) and moves them between provinces
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
            if any(getattr(org, k) != values[k] for k in INDEXED_FIELDS):
                renamed.append(org.id)
            for k, v in values.items():
                setattr(org, k, v)
            updated += 1
    reindex_pilots_of(renamed)
    db.session.flush()
    return created, updated


def reindex_pilots_of(organisation_ids: Collection[int]) -> int:
    """Append an upsert to the change log for every live pilot these organisations own or take part in.

    Call it in the transaction that changes what a pilot's search document holds of an organisation
    (INDEXED_FIELDS, or whether it is public): the document carries organisation names and provinces, and
    nothing else tells the index those pilots changed. Returns the number of pilots.
    """
    if not organisation_ids:
        return 0
    ids = list(organisation_ids)
    taking_part = select(Participation.pilot_id).where(Participation.organisation_id.in_(ids))
    pilot_ids = db.session.scalars(
        select(Pilot.id)
        .where(Pilot.deleted_at.is_(None), or_(Pilot.owner_id.in_(ids), Pilot.id.in_(taking_part)))
        .order_by(Pilot.id)
    ).all()
    record_changes(pilot_ids)
    return len(pilot_ids)


def option_label(org: Organisation) -> str:
    """The text of an organisation in pickers; ends in [code] so it is never ambiguous."""
    return f"{org.display_name} [{org.code}]"


def resolve_partners(refs: dict[str, str]) -> list[Organisation]:
    """The organisations named as partners (field name -> what was typed); blank fields are skipped.

    The rule that a partner must be a known organisation lives here, not in the form, so every way of
    starting a pilot applies it. :raise InvalidInput: naming each field whose organisation is unknown.
    """
    found: list[Organisation] = []
    unknown: dict[str, list[str]] = {}
    for name, ref in refs.items():
        if not (ref or "").strip():
            continue
        org = find_organisation(ref)
        if org is None:
            unknown[name] = [_("Onbekende organisatie: kies er een uit de lijst.")]
        else:
            found.append(org)
    if unknown:
        raise InvalidInput(_("Onbekende organisatie: kies er een uit de lijst."), unknown)
    return found


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
    org = db.session.scalar(select(Organisation).where(Organisation.code == code, Organisation.pending.is_(False)))
    if org is None:
        raise NotFound(_("Organisatie niet gevonden."))
    return org


def picker_organisations() -> list[Organisation]:
    """All organisations for the registration picker: NL first, then BE, then the rest."""
    order = {"association": 0, "municipality": 1, "supplier": 2, "other": 3}
    orgs = db.session.scalars(select(Organisation).where(Organisation.pending.is_(False))).all()
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
    stmt = select(Organisation, pilot_count.label("pilots")).where(Organisation.pending.is_(False))
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
    """Members shown on the public page: verified and active only (staff see pending ones in admin)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == org.id, User.verified_at.is_not(None), User.active)
            .order_by(User.name)
        )
    )


def validate_organisation_name(name: str) -> str:
    """A new organisation's name, cleaned. :raise InvalidInput: (field new_organisation) when it is no name.

    Letters required; no leading = + - @ (a formula when the list is opened in a spreadsheet); no markup or
    the characters our picker and alias list use as separators.
    """
    name = clean_name(name, "new_organisation")
    if not MIN_ORG_NAME <= len(name) <= MAX_ORG_NAME:
        problem = _("Een organisatienaam heeft %(lo)d tot %(hi)d tekens.", lo=MIN_ORG_NAME, hi=MAX_ORG_NAME)
    elif not any(c.isalpha() for c in name):
        problem = _("Een organisatienaam bevat letters.")
    elif name[0] in FORMULA_START:
        problem = _("Een organisatienaam mag niet beginnen met = + - of @.")
    elif any(c in MARKUP for c in name):
        problem = _("Een organisatienaam mag deze tekens niet bevatten: %(chars)s", chars=" ".join(MARKUP))
    else:
        return name
    raise InvalidInput(problem, {"new_organisation": [problem]})


def create_other_organisation(name: str) -> Organisation:
    """A supplier or other organisation a registering user names; reuses an existing one by name.

    A new one is `pending`: hidden from public pages until VNG verifies one of its members.
    :raise InvalidInput: for a name that is no organisation name (validate_organisation_name).
    """
    name = validate_organisation_name(name)
    existing = find_organisation(name)
    if existing is not None:
        return existing
    base = slugify(name) or "organisatie"
    code, n = base, 2
    while db.session.scalar(select(Organisation.id).where(Organisation.code == code)) is not None:
        code, n = f"{base}-{n}", n + 1
    org = Organisation(code=code, name=name, kind="supplier", country="NL", pending=True)
    db.session.add(org)
    db.session.flush()
    return org


def is_government(organisation: Organisation | None) -> bool:
    """A government organisation (GOVERNMENT_KINDS) that is not pending: it may submit challenges and adopt."""
    return organisation is not None and organisation.kind in GOVERNMENT_KINDS and not organisation.pending
