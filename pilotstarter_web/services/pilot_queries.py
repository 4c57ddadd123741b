"""Reading pilots: lookup, listings with filters and sorting, revisions, backlinks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from ..extensions import db
from ..models import Organisation, Participation, Pilot, PilotTheme, Revision, User, WikiLink
from .errors import NotFound
from .permissions import can_view_deleted
from .slugs import slugify

SORTS = ("newest", "changed", "partners")


@dataclass
class PilotFilters:
    theme: str = ""
    status: str = ""
    province: str = ""
    organisation: str = ""  # code: pilots it owns or takes part in
    entry_type: str = ""  # "pilot", "best_practice" or "challenge" (services/entry_types.py); "" for all
    sort: str = "newest"
    page: int = 1
    per_page: int = 20


def get_pilot(slug: str, user: User | None = None) -> Pilot:
    """The pilot by slug. Deleted pilots are visible only to who may restore them; merged ones to all
    (their page forwards to the main pilot, their history stays readable). :raise NotFound:"""
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == slug))
    if pilot is None or (pilot.is_deleted and not pilot.is_merged and not can_view_deleted(user, pilot)):
        raise NotFound(_("Deze pilot bestaat niet (meer)."))
    return pilot


def resolve_wiki_titles(titles: Sequence[str]) -> dict[str, str]:
    """Slugs of the live pilots these [[titles]] point at — by title (case-insensitive) first, then by slug —
    in one query for all of them: a page may link hundreds (markdown.MAX_WIKI_LINKS), each page view."""
    wanted = {title: (title.strip().lower(), slugify(title)) for title in titles}
    if not wanted:
        return {}
    lowered = func.lower(Pilot.title)
    rows = db.session.execute(
        select(lowered, Pilot.slug)
        .where(
            Pilot.deleted_at.is_(None),
            or_(
                lowered.in_({low for low, _ in wanted.values()}), Pilot.slug.in_({slug for _, slug in wanted.values()})
            ),
        )
        .order_by(Pilot.id)
    ).all()
    by_title: dict[str, str] = {}
    for low, slug in rows:  # compared as the database lowers (SQLite's lower() folds ASCII only)
        by_title.setdefault(low, slug)
    slugs = {slug for _, slug in rows}
    resolved = {title: by_title.get(low) or (slug if slug in slugs else None) for title, (low, slug) in wanted.items()}
    return {title: slug for title, slug in resolved.items() if slug}


def _partner_count():
    return (
        select(func.count(Participation.id))
        .where(Participation.pilot_id == Pilot.id, Participation.role.in_(("initiator", "partner")))
        .scalar_subquery()
    )


def _filtered(filters: PilotFilters) -> Select:
    stmt = select(Pilot).where(Pilot.deleted_at.is_(None))
    if filters.theme:
        stmt = stmt.where(Pilot.id.in_(select(PilotTheme.pilot_id).where(PilotTheme.theme == filters.theme)))
    if filters.status:
        stmt = stmt.where(Pilot.status == filters.status)
    if filters.entry_type:
        stmt = stmt.where(Pilot.entry_type == filters.entry_type)
    if filters.province:
        stmt = stmt.where(Pilot.owner_id.in_(select(Organisation.id).where(Organisation.province == filters.province)))
    if filters.organisation:
        org_ids = select(Organisation.id).where(Organisation.code == filters.organisation)
        stmt = stmt.where(
            or_(
                Pilot.owner_id.in_(org_ids),
                Pilot.id.in_(select(Participation.pilot_id).where(Participation.organisation_id.in_(org_ids))),
            )
        )
    return stmt


def _order(filters: PilotFilters) -> tuple:
    return {
        "newest": (Pilot.created_at.desc(), Pilot.id.desc()),
        "changed": (Pilot.updated_at.desc(), Pilot.id.desc()),
        "partners": (_partner_count().desc(), Pilot.updated_at.desc(), Pilot.id.desc()),
    }[filters.sort if filters.sort in SORTS else "newest"]


def list_pilots(filters: PilotFilters) -> tuple[list[Pilot], int]:
    """A page of live pilots matching the filters, and the total count."""
    stmt = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(filters.page, 1)
    items = db.session.scalars(
        stmt.order_by(*_order(filters)).limit(filters.per_page).offset((page - 1) * filters.per_page)
    )
    return list(items), total


def listed_pilot_ids(filters: PilotFilters) -> list[int]:
    """The ids of every live pilot matching the filters, in the list's order (no paging): what an export of
    the list walks through in batches. Ids only, so 20,000 pilots cost a list of integers."""
    return list(db.session.scalars(_filtered(filters).with_only_columns(Pilot.id).order_by(*_order(filters))))


def theme_counts() -> dict[str, int]:
    """How many live pilots each theme has (themes without pilots are absent)."""
    rows = db.session.execute(
        select(PilotTheme.theme, func.count(PilotTheme.pilot_id))
        .join(Pilot, Pilot.id == PilotTheme.pilot_id)
        .where(Pilot.deleted_at.is_(None))
        .group_by(PilotTheme.theme)
    )
    return {theme: count for theme, count in rows}


def revisions(pilot: Pilot) -> list[Revision]:
    """All revisions, newest first."""
    return list(
        db.session.scalars(select(Revision).where(Revision.pilot_id == pilot.id).order_by(Revision.number.desc()))
    )


def revision_page(pilot: Pilot, page: int, per_page: int) -> tuple[list[Revision], Revision | None, int]:
    """A page of revisions, newest first; the one just before it (the page's last change is measured
    against it); and how many pages there are. A history of thousands costs a page's worth of work."""
    total = db.session.scalar(select(func.count(Revision.id)).where(Revision.pilot_id == pilot.id)) or 0
    rows = list(
        db.session.scalars(
            select(Revision)
            .where(Revision.pilot_id == pilot.id)
            .order_by(Revision.number.desc())
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        )
    )
    return rows[:per_page], (rows[per_page] if len(rows) > per_page else None), max(-(-total // per_page), 1)


def get_revision(pilot: Pilot, number: int) -> Revision:
    """:raise NotFound: for a revision number the pilot does not have."""
    rev = db.session.scalar(select(Revision).where(Revision.pilot_id == pilot.id, Revision.number == number))
    if rev is None:
        raise NotFound(_("Revisie %(n)s van deze pilot bestaat niet.", n=number))
    return rev


def backlinks(pilot: Pilot) -> list[Pilot]:
    """Live pilots whose current text links here with [[title]] or [[slug]]."""
    keys = {slugify(pilot.title), pilot.slug}
    sources = select(WikiLink.source_pilot_id).where(WikiLink.target_key.in_(keys))
    return list(
        db.session.scalars(
            select(Pilot)
            .where(Pilot.id.in_(sources), Pilot.id != pilot.id, Pilot.deleted_at.is_(None))
            .order_by(Pilot.title)
        )
    )


def participants(pilot: Pilot) -> dict[str, list[Participation]]:
    """Participations grouped by role, initiator first."""
    grouped: dict[str, list[Participation]] = {"initiator": [], "partner": [], "supplier": [], "interested": []}
    for p in pilot.participations:
        grouped.setdefault(p.role, []).append(p)
    return grouped


def owned_and_joined(org: Organisation) -> tuple[list[Pilot], list[tuple[Pilot, str]]]:
    """An organisation's own pilots, and the pilots it takes part in with its role."""
    owned = list(
        db.session.scalars(
            select(Pilot).where(Pilot.owner_id == org.id, Pilot.deleted_at.is_(None)).order_by(Pilot.updated_at.desc())
        )
    )
    joined = db.session.execute(
        select(Pilot, Participation.role)
        .join(Participation, Participation.pilot_id == Pilot.id)
        .where(Participation.organisation_id == org.id, Pilot.owner_id != org.id, Pilot.deleted_at.is_(None))
        .order_by(Pilot.updated_at.desc())
    ).all()
    return owned, [(p, r) for p, r in joined]
