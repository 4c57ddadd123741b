"""The platform's recent activity: a union of sources, one per kind, merged newest first.

Each source reads one existing table and returns plain :class:`ActivityItem` rows, at most a page (plus one)
after a keyset position, for the live pilots that match the filters. So activity needs no table of its own
and can never disagree with the pages; a new kind (comments) is one more function in :data:`SOURCES`.
Follows are private and are not a source.
"""

from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Adoption, AdoptionStep, Comment, Participation, Pilot, Revision, ScaleUpTransition, User
from .activity_items import KINDS, ActivityFilters, ActivityItem, ActivityPage, Cursor, Source, older  # noqa: F401  (KINDS re-exported)
from .pilot_news import NEWS_ROLES
from .pilot_queries import PilotFilters, _filtered

MAX_LIMIT = 50  # items per page or feed
# Edits of one pilot by one person, each within this time of the previous one, are one item ("3 bewerkingen"):
# someone saving every few minutes must not fill the page.
EDIT_GROUP_GAP = timedelta(minutes=30)
MAX_GROUP = 50  # revisions one item may stand for; a longer run shows its newest 50
MAX_EDIT_SCAN = 1000  # revisions looked at to find one page of edit items (bounds the work per request)
EDIT_SCAN_BATCH = 200
MAX_SUMMARIES = 3  # edit summaries shown for a grouped item
COMMENT_OPENING = 300  # characters of a comment shown as its summary


def _new_pilots(pilots: Select, cursor: Cursor | None, limit: int) -> list[ActivityItem]:
    """Each live pilot once, when it was published: its organisation and the author of its first revision."""
    first = aliased(Revision)
    rows = db.session.execute(
        select(Pilot, User.name)
        .join(first, and_(first.pilot_id == Pilot.id, first.number == 1))
        .outerjoin(User, User.id == first.author_id)
        .where(Pilot.id.in_(pilots), older(cursor, "pilot", Pilot.created_at, Pilot.id))
        .order_by(Pilot.created_at.desc(), Pilot.id.desc())
        .limit(limit)
    ).all()
    return [
        ActivityItem(
            "pilot",
            p.id,
            p.created_at,
            p.slug,
            p.title,
            name,
            organisation=p.owner.display_name,
            organisation_code=p.owner.code,
            entry_type=p.entry_type,
        )
        for p, name in rows
    ]


def _joins(pilots: Select, cursor: Cursor | None, limit: int) -> list[ActivityItem]:
    """Organisations joining as partner or supplier (interest alone is not news, as in pilot_news).

    Partners named when the pilot was published belong to that item, not here: those rows were made by
    the content import (no creator) or by the pilot's first author, who as initiator can never join later.
    """
    first = aliased(Revision)
    rows = db.session.execute(
        select(Participation, Pilot.slug, Pilot.title, User.name, Pilot.entry_type)
        .join(Pilot, Pilot.id == Participation.pilot_id)
        .join(first, and_(first.pilot_id == Pilot.id, first.number == 1))
        .join(User, User.id == Participation.created_by_id)
        .where(
            Participation.pilot_id.in_(pilots),
            Participation.role.in_(NEWS_ROLES),
            or_(first.author_id.is_(None), Participation.created_by_id != first.author_id),
            older(cursor, "join", Participation.created_at, Participation.id),
        )
        .order_by(Participation.created_at.desc(), Participation.id.desc())
        .limit(limit)
    ).all()
    return [
        ActivityItem(
            "join",
            part.id,
            part.created_at,
            slug,
            title,
            name,
            organisation=part.organisation.display_name,
            organisation_code=part.organisation.code,
            role=part.role,
            entry_type=entry_type,
        )
        for part, slug, title, name, entry_type in rows
    ]


def _scale_up_steps(pilots: Select, cursor: Cursor | None, limit: int) -> list[ActivityItem]:
    """Every step of the scale-up route, as the pilot page's public timeline shows it."""
    rows = db.session.execute(
        select(ScaleUpTransition, Pilot.slug, Pilot.title, Pilot.entry_type)
        .join(Pilot, Pilot.id == ScaleUpTransition.pilot_id)
        .where(
            ScaleUpTransition.pilot_id.in_(pilots),
            older(cursor, "scaleup", ScaleUpTransition.created_at, ScaleUpTransition.id),
        )
        .order_by(ScaleUpTransition.created_at.desc(), ScaleUpTransition.id.desc())
        .limit(limit)
    ).all()
    return [
        ActivityItem(
            "scaleup",
            step.id,
            step.created_at,
            slug,
            title,
            step.actor.name if step.actor else None,
            action=step.action,
            state=step.to_state,
            meeting=step.meeting.title if step.meeting else "",
            reason=step.reason[:300],
            entry_type=entry_type,
        )
        for step, slug, title, entry_type in rows
    ]


def _edits(pilots: Select, cursor: Cursor | None, limit: int) -> list[ActivityItem]:
    """Edits (revision 2 on; the first is the new pilot), a run by one person shown once, at its newest.

    A revision heads an item when the pilot's next revision is by someone else or more than
    EDIT_GROUP_GAP later (or there is none): a property of the revision itself, so paging never splits a run.
    """
    following = aliased(Revision)
    scan = (
        select(Revision.id, Revision.created_at, Revision.author_id, following.author_id, following.created_at)
        .outerjoin(following, and_(following.pilot_id == Revision.pilot_id, following.number == Revision.number + 1))
        .where(Revision.number >= 2, Revision.pilot_id.in_(pilots))
        .order_by(Revision.created_at.desc(), Revision.id.desc())
        .limit(EDIT_SCAN_BATCH)
    )
    heads: list[int] = []
    position, scanned = cursor, 0
    while len(heads) < limit and scanned < MAX_EDIT_SCAN:
        rows = db.session.execute(scan.where(older(position, "edit", Revision.created_at, Revision.id))).all()
        for rev_id, at, author, next_author, next_at in rows:
            if next_at is None or next_author != author or next_at - at > EDIT_GROUP_GAP:
                heads.append(rev_id)
        scanned += len(rows)
        if len(rows) < EDIT_SCAN_BATCH:
            break
        position = Cursor(rows[-1][1], "edit", rows[-1][0])
    return _edit_items(heads[:limit])


def _edit_items(head_ids: list[int]) -> list[ActivityItem]:
    """Each head revision with the run it ends: one query for the heads, one for the runs."""
    if not head_ids:
        return []
    heads = db.session.execute(
        select(Revision, Pilot.slug, Pilot.title, Pilot.entry_type)
        .join(Pilot, Pilot.id == Revision.pilot_id)
        .where(Revision.id.in_(head_ids))
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    ).all()
    ranges = [
        and_(Revision.pilot_id == head.pilot_id, Revision.number.between(head.number - MAX_GROUP, head.number))
        for head, _slug, _title, _type in heads
    ]
    run_rows = db.session.execute(
        select(Revision.pilot_id, Revision.number, Revision.id, Revision.author_id, Revision.created_at)
        .add_columns(Revision.edit_summary)
        .where(or_(*ranges), Revision.number >= 2)
    ).all()
    by_number = {(row.pilot_id, row.number): row for row in run_rows}
    items = []
    for head, slug, title, entry_type in heads:
        first = head.number
        while head.number - first + 1 < MAX_GROUP and (head.pilot_id, first - 1) in by_number:
            before = by_number[(head.pilot_id, first - 1)]
            if (
                before.author_id != head.author_id
                or by_number[(head.pilot_id, first)].created_at - before.created_at > EDIT_GROUP_GAP
            ):
                break
            first -= 1
        run = [by_number[(head.pilot_id, number)] for number in range(head.number, first - 1, -1)]  # newest first
        summaries: list[str] = []
        if head.author_id is not None:  # an import's summary names a file, which means nothing to readers
            for text in (row.edit_summary.strip() for row in run):
                if text and text not in summaries and len(summaries) < MAX_SUMMARIES:
                    summaries.append(text)
        items.append(
            ActivityItem(
                "edit",
                head.id,
                head.created_at,
                slug,
                title,
                head.author.name if head.author else None,
                summaries=tuple(summaries),
                count=len(run),
                diff_from=first - 1,
                diff_to=head.number,
                first_id=run[-1].id,
                entry_type=entry_type,
            )
        )
    return items


def _comments(pilots: Select, cursor: Cursor | None, limit: int) -> list[ActivityItem]:
    """Comments as the discussion shows them: hidden and deleted ones are not news."""
    rows = db.session.execute(
        select(Comment, Pilot.slug, Pilot.title, Pilot.entry_type)
        .join(Pilot, Pilot.id == Comment.pilot_id)
        .where(
            Comment.pilot_id.in_(pilots),
            Comment.deleted_at.is_(None),
            Comment.moderation != "verborgen",
            older(cursor, "comment", Comment.created_at, Comment.id),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    return [
        ActivityItem(
            "comment",
            comment.id,
            comment.created_at,
            slug,
            title,
            comment.author.name,
            reason=Markup(comment.html).striptags()[:COMMENT_OPENING],  # noqa: S704 -- our sanitized HTML, tags stripped
            entry_type=entry_type,
        )
        for comment, slug, title, entry_type in rows
    ]


def _adoption_steps(pilots: Select, cursor: Cursor | None, limit: int) -> list[ActivityItem]:
    """ "Wij nemen dit over" and each later stage (services/adoptions.py); a withdrawn adoption leaves none."""
    rows = db.session.execute(
        select(AdoptionStep, Adoption, Pilot.slug, Pilot.title, User.name)
        .join(Adoption, Adoption.id == AdoptionStep.adoption_id)
        .join(Pilot, Pilot.id == Adoption.pilot_id)
        .outerjoin(User, User.id == AdoptionStep.actor_id)
        .where(Adoption.pilot_id.in_(pilots), older(cursor, "adoption", AdoptionStep.created_at, AdoptionStep.id))
        .order_by(AdoptionStep.created_at.desc(), AdoptionStep.id.desc())
        .limit(limit)
    ).all()
    firsts = set(
        db.session.scalars(
            select(func.min(AdoptionStep.id))
            .where(AdoptionStep.adoption_id.in_({adoption.id for _step, adoption, *_rest in rows}))
            .group_by(AdoptionStep.adoption_id)
        )
    )
    return [
        ActivityItem(
            "adoption",
            step.id,
            step.created_at,
            slug,
            title,
            name,
            organisation=adoption.organisation.display_name,
            organisation_code=adoption.organisation.code,
            state=step.stage,
            action="declare" if step.id in firsts else "stage",
        )
        for step, adoption, slug, title, name in rows
    ]


# Every kind's source. A new kind adds its key to KINDS and its function here.
SOURCES: dict[str, Source] = {
    "pilot": _new_pilots,
    "edit": _edits,
    "join": _joins,
    "scaleup": _scale_up_steps,
    "comment": _comments,
    "adoption": _adoption_steps,
}


def _pilot_ids(filters: ActivityFilters) -> Select:
    """The live pilots whose activity is wanted: the pilot list's own theme and organisation rules."""
    stmt = _filtered(PilotFilters(theme=filters.theme, organisation=filters.organisation))
    if filters.pilot:
        stmt = stmt.where(Pilot.slug == filters.pilot)
    return stmt.with_only_columns(Pilot.id)


def recent_activity(filters: ActivityFilters) -> ActivityPage:
    """A page of activity, newest first, after ``filters.before``; at most MAX_LIMIT items.

    Each source returns at most one item more than the page, so a page costs the same whatever the history.
    """
    limit = min(max(filters.limit, 1), MAX_LIMIT)
    pilots = _pilot_ids(filters)
    kinds = [filters.kind] if filters.kind in SOURCES else list(SOURCES)
    merged = sorted(
        (item for kind in kinds for item in SOURCES[kind](pilots, filters.before, limit + 1)),
        key=lambda item: item.sort_key,
        reverse=True,
    )
    page = merged[:limit]
    return ActivityPage(page, page[-1].position if len(merged) > limit else None)
