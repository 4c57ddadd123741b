"""Pilots as the search and similarity engines see them (search_index.documents.PilotDocument).

One pilot after a save comes from its ORM object (:func:`pilot_document`). A rebuild or refit reads every
pilot: :func:`documents_in_bulk` makes the same documents from five plain queries per batch, without ORM
objects, which take most of the time of reading every pilot (measured: 20 000 pilots in 10.2 s through the
ORM, 2.3 s in bulk). Both read the comments' text with the same query (:func:`search_texts`), and the
uploaded documents' text with attachment_texts; comments and documents feed search only, never the
similarity model (matchmaking stays on the pilot's own text).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session, selectinload

from search_index.documents import PilotDocument, markdown_to_text

from ..extensions import db
from ..models import (
    Attachment,
    AttachmentVersion,
    Comment,
    Organisation,
    Participation,
    Pilot,
    PilotTag,
    PilotTheme,
    Revision,
)
from .themes import THEME_NAMES_EN, theme_labels_nl

BATCH = 500  # pilots per query
SEARCH_COMMENTS = 50  # the newest visible comments of a pilot that search reads (comments.py writes them)
SEARCH_CHARS = 50_000  # and at most this much of their plain text
DOCUMENT_CHARS = 200_000  # of all of a pilot's documents' text (titles and extracted text) that search reads


class _Org(Protocol):
    code: str
    name: str
    province: str | None


def _document(
    *, id: int, slug: str, title: str, summary: str, body: str, themes: Sequence[str], tags: Sequence[str],
    orgs: Sequence[_Org], status: str, scale_up: str | None, updated_at: datetime, labels: dict[str, str],
    comments: str = "", entry_type: str = "pilot", documents: str = "",
) -> PilotDocument:  # fmt: skip
    """``orgs``: the owner first, then the other participants; ``labels``: the Dutch label of each theme key
    (theme_labels_nl), English ones come from THEME_NAMES_EN: both whatever the saving request's language."""
    return PilotDocument(
        id=id,
        slug=slug,
        title=title,
        summary=summary,
        body=body,
        themes=tuple(themes),
        theme_labels=tuple(labels.get(k, k) for k in themes),
        theme_labels_en=tuple(THEME_NAMES_EN[k] for k in themes if k in THEME_NAMES_EN),
        tags=tuple(tags),
        organisations=tuple(dict.fromkeys(o.code for o in orgs)),
        organisation_names=tuple(dict.fromkeys(o.name for o in orgs)),
        provinces=tuple(dict.fromkeys(o.province for o in orgs if o.province)),
        status=status,
        scale_up=scale_up or "geen",
        updated_at=updated_at,
        comments=comments,
        entry_type=entry_type,
        documents=documents,
    )


def pilot_document(pilot: Pilot) -> PilotDocument:
    """The plain document the engine indexes: current text, themes, tags and all participants."""
    rev = pilot.current_revision
    session = object_session(pilot) or db.session
    others = [p.organisation for p in pilot.participations if p.organisation_id != pilot.owner_id]
    return _document(
        id=pilot.id, slug=pilot.slug, title=rev.title if rev else pilot.title,
        summary=rev.summary if rev else pilot.summary, body=rev.body if rev else "", themes=pilot.theme_keys,
        tags=pilot.tag_values, orgs=[pilot.owner, *others], status=pilot.status, scale_up=pilot.scale_up_state,
        updated_at=pilot.updated_at, labels=theme_labels_nl(),
        comments=search_texts([pilot.id], session).get(pilot.id, ""),
        documents=attachment_texts([pilot.id], session).get(pilot.id, ""),
        entry_type=pilot.entry_type,
    )  # fmt: skip


def load_live(ids: list[int], session: Session | None = None) -> dict[int, Pilot]:
    """The pilots of ``ids`` that are not deleted, with what :func:`pilot_document` reads."""
    stmt = (
        select(Pilot)
        .where(Pilot.id.in_(ids), Pilot.deleted_at.is_(None))
        .options(
            selectinload(Pilot.current_revision),  # lazy by default: one query per pilot otherwise
            selectinload(Pilot.participations),
            selectinload(Pilot.themes),
            selectinload(Pilot.tags),
        )
    )
    return {p.id: p for p in (session or db.session).scalars(stmt)}


def _grouped(session: Session, key, value, ids: list[int], *order) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for k, v in session.execute(select(key, value).where(key.in_(ids)).order_by(key, *order)):
        found[k].append(v)
    return found


_PILOT_COLUMNS = (
    Pilot.id, Pilot.slug, Pilot.title, Pilot.summary, Pilot.status, Pilot.scale_up_state, Pilot.updated_at,
    Pilot.owner_id, Pilot.entry_type, Revision.id.label("rev_id"), Revision.title.label("rev_title"),
    Revision.summary.label("rev_summary"), Revision.body,
)  # fmt: skip


def documents_in_bulk(ids: Iterable[int], session: Session) -> Iterator[PilotDocument]:
    """``pilot_document`` of each pilot of ``ids`` that is not deleted, in the order of ``ids``."""
    ids = list(ids)
    columns = (Organisation.id, Organisation.code, Organisation.name, Organisation.province)
    orgs = {row.id: row for row in session.execute(select(*columns))}
    labels = theme_labels_nl()  # once, not once per pilot
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        stmt = (
            select(*_PILOT_COLUMNS)
            .outerjoin(Revision, Revision.id == Pilot.current_revision_id)
            .where(Pilot.id.in_(chunk), Pilot.deleted_at.is_(None))
        )
        rows = {row.id: row for row in session.execute(stmt)}
        themes = _grouped(session, PilotTheme.pilot_id, PilotTheme.theme, chunk, PilotTheme.theme)
        tags = _grouped(session, PilotTag.pilot_id, PilotTag.tag, chunk, PilotTag.tag)
        comments = search_texts(chunk, session)
        documents = attachment_texts(chunk, session)
        partners = _grouped(
            session, Participation.pilot_id, Participation.organisation_id, chunk, Participation.created_at,
            Participation.id,
        )  # fmt: skip
        for pilot_id in chunk:
            row = rows.get(pilot_id)
            if row is None:
                continue
            has_rev = row.rev_id is not None
            others = [orgs[o] for o in partners.get(pilot_id, ()) if o != row.owner_id]
            yield _document(
                id=row.id, slug=row.slug, title=row.rev_title if has_rev else row.title,
                summary=row.rev_summary if has_rev else row.summary, body=row.body if has_rev else "",
                themes=themes.get(pilot_id, ()), tags=tags.get(pilot_id, ()), orgs=[orgs[row.owner_id], *others],
                status=row.status, scale_up=row.scale_up_state, updated_at=row.updated_at, labels=labels,
                comments=comments.get(pilot_id, ""), entry_type=row.entry_type, documents=documents.get(pilot_id, ""),
            )  # fmt: skip


def search_texts(pilot_ids: list[int], session: Session) -> dict[int, str]:
    """The plain text search reads for each pilot: its newest :data:`SEARCH_COMMENTS` visible comments (not
    deleted, not hidden), newest first, at most :data:`SEARCH_CHARS` characters. One query for all pilots: both
    the bulk loader and a single save use it, so they cannot differ."""
    if not pilot_ids:
        return {}
    rank = func.row_number().over(
        partition_by=Comment.pilot_id, order_by=(Comment.created_at.desc(), Comment.id.desc())
    )
    ranked = (
        select(Comment.pilot_id, Comment.body, Comment.created_at, Comment.id, rank.label("rank"))
        .where(Comment.pilot_id.in_(pilot_ids), Comment.deleted_at.is_(None), Comment.moderation != "verborgen")
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.pilot_id, ranked.c.body)
        .where(ranked.c.rank <= SEARCH_COMMENTS)
        .order_by(ranked.c.pilot_id, ranked.c.created_at.desc(), ranked.c.id.desc())
    )
    texts: dict[int, list[str]] = {}
    for pilot_id, body in rows:
        texts.setdefault(pilot_id, []).append(markdown_to_text(body))
    return {pilot_id: "\n".join(parts)[:SEARCH_CHARS] for pilot_id, parts in texts.items()}


def attachment_texts(pilot_ids: Iterable[int], session: Session) -> dict[int, str]:
    """The text search reads from each entry's live documents: their newest versions' extracted text, titles
    first, at most :data:`DOCUMENT_CHARS` characters per entry. One query for all entries (a save and a
    rebuild use it alike)."""
    ids = list(pilot_ids)
    if not ids:
        return {}
    newest = (
        select(AttachmentVersion.attachment_id, func.max(AttachmentVersion.number).label("number"))
        .join(Attachment)
        .where(Attachment.pilot_id.in_(ids))
        .group_by(AttachmentVersion.attachment_id)
        .subquery()
    )
    rows = session.execute(
        select(Attachment.pilot_id, Attachment.title, AttachmentVersion.text)
        .join(newest, newest.c.attachment_id == Attachment.id)
        .join(
            AttachmentVersion,
            (AttachmentVersion.attachment_id == Attachment.id) & (AttachmentVersion.number == newest.c.number),
        )
        .where(Attachment.pilot_id.in_(ids), Attachment.deleted_at.is_(None))
        .order_by(Attachment.pilot_id, Attachment.id)
    )
    texts: dict[int, list[str]] = {}
    for pilot_id, title, text in rows:
        texts.setdefault(pilot_id, []).append(f"{title}\n{text}")
    return {pilot_id: "\n".join(parts)[:DOCUMENT_CHARS] for pilot_id, parts in texts.items()}
