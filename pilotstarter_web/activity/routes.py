"""The activity page (/activiteit) and a pilot's own recent activity on its page."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from ..extensions import db
from ..models import Organisation, Participation, Pilot
from ..services.activity import KINDS, ActivityFilters, ActivityItem, Cursor, recent_activity
from ..services.pilot_queries import get_pilot
from ..services.themes import THEMES
from . import bp
from .headlines import headline

PAGE_SIZE = 25
PILOT_PAGE_ITEMS = 5


def filters_from_args(limit: int = PAGE_SIZE) -> ActivityFilters:
    """The GET form's filters; unknown values are dropped, so a hand-edited URL never gives an error."""
    args = request.args
    return ActivityFilters(
        theme=args.get("theme", "") if args.get("theme") in THEMES else "",
        organisation=args.get("organisation", "")[:64],
        kind=args.get("kind", "") if args.get("kind") in KINDS else "",
        pilot=args.get("pilot", "")[:120],
        before=Cursor.decode(args.get("before")),
        limit=limit,
    )


def active_organisations() -> list[Organisation]:
    """The organisations that own or take part in a live pilot: the only ones the filter can find anything for."""
    taking_part = (
        select(Participation.organisation_id)
        .join(Pilot, Pilot.id == Participation.pilot_id)
        .where(Pilot.deleted_at.is_(None))
    )
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(taking_part), Organisation.pending.is_(False))
            .order_by(Organisation.name)
        )
    )


def feed_args(filters: ActivityFilters) -> dict[str, str]:
    """The filters as query arguments of the matching Atom feed (the cursor is not one: a feed starts at the newest)."""
    wanted = {
        "theme": filters.theme,
        "organisation": filters.organisation,
        "kind": filters.kind,
        "pilot": filters.pilot,
    }
    return {key: value for key, value in wanted.items() if value}


@bp.app_template_global("activity_headline")
def activity_headline(item: ActivityItem) -> str:
    return headline(item)


@bp.app_template_global("pilot_activity")
def pilot_activity(pilot: Pilot) -> list[ActivityItem]:
    """The pilot page's short list of its latest activity (pilots/view.html), without touching its route."""
    if pilot.is_deleted:
        return []
    return recent_activity(ActivityFilters(pilot=pilot.slug, limit=PILOT_PAGE_ITEMS)).items


@bp.get("/activiteit")
def index():
    """Recent changes of the whole platform, newest first, filtered by theme, organisation, kind or pilot.

    :raise 404: for a pilot filter naming no visible pilot.
    """
    filters = filters_from_args()
    pilot = get_pilot(filters.pilot) if filters.pilot else None
    page = recent_activity(filters)
    return render_template(
        "activity/index.html", page=page, filters=filters, pilot=pilot, kinds=KINDS,
        organisations=active_organisations(), feed_args=feed_args(filters),
    )  # fmt: skip
