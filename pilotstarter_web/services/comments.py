"""The discussion under a pilot: post, reply, edit and delete your own, "nuttig" marks, and reading.

Rules: only verified accounts write, and only on a pilot that is not deleted; a reply attaches to its thread's
top comment (one level deep, however deep the reply button was); an author edits and deletes only their own
comment, and not one the moderation hid. Text is bounded at :data:`MAX_BODY` characters and rendered once, when
saved, with the pages' own renderer and sanitizer (markdown.py), so showing a discussion costs no Markdown work.
Every change writes a change-log row for its pilot (search reads the comments' words) and an audit event in the
same transaction. Moderation (report, hide, restore) lives in comment_moderation.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..extensions import db
from ..markdown import render
from ..models import Comment, CommentMark, CommentReport, Pilot, User, utcnow
from ..models.ids import parse_id
from . import audit, mentions, notifications
from .change_log import record_change
from .errors import InvalidInput, NotFound, PermissionDenied
from .permissions import can_write, require_writer
from .pilot_queries import get_pilot, resolve_wiki_titles

MAX_BODY = 10_000  # characters of one comment
THREADS_PER_PAGE = 20  # top comments per page of the discussion, each with its replies
REPLIES_SHOWN = 100  # replies per thread on the page (the API pages through all of them)

for _kind, _text, _label in (
    ("comment.new", _l("%(actor)s reageerde op de pilot %(pilot)s"), _l("Een nieuwe reactie bij een pilot")),
    (
        "comment.reply",
        _l("%(actor)s antwoordde op uw reactie bij de pilot %(pilot)s"),
        _l("Een antwoord op uw reactie"),
    ),
    (
        "comment.mention",
        _l("%(actor)s noemde u in een reactie bij de pilot %(pilot)s"),
        _l("U of uw organisatie wordt genoemd in een reactie"),
    ),
):
    notifications.register(_kind, _text, label=_label)

_HEADING_ID = re.compile(r' id="sectie-[^"]*"')


def body_text(value: str | None) -> str:
    """The comment as typed, checked: not empty, at most :data:`MAX_BODY` characters."""
    text = (value or "").strip()
    if not text:
        message = _("Schrijf eerst uw reactie.")
        raise InvalidInput(message, {"body": [message]})
    if len(text) > MAX_BODY:
        message = _("Uw reactie is te lang: gebruik hoogstens %(n)d tekens (nu %(m)d).", n=MAX_BODY, m=len(text))
        raise InvalidInput(message, {"body": [message]})
    return text


def render_comment(body: str, resolved: mentions.Resolved) -> str:
    """Sanitized HTML as pages render theirs, mentions as links; without heading ids (a comment's headings
    need no anchors, and the same id twice on one page would clash)."""
    return _HEADING_ID.sub("", render(mentions.to_markdown(body, resolved), resolve_wiki_titles).html)


# --- permissions -------------------------------------------------------------------------------------------


def can_comment(user: User | None, pilot: Pilot) -> bool:
    return can_write(user) and not pilot.is_deleted


def require_comment(user: User | None, pilot: Pilot) -> User:
    """:raise PermissionDenied: for readers who may not write here."""
    require_writer(user)
    if pilot.is_deleted:
        raise PermissionDenied(_("Op een verwijderde pilot kan niemand meer reageren."))
    return user


def is_own(user: User | None, comment: Comment) -> bool:
    return can_write(user) and comment.author_id == user.id and not comment.is_deleted and not comment.is_hidden


def require_own(user: User | None, comment: Comment) -> User:
    """:raise PermissionDenied: unless it is the user's own comment, neither deleted nor hidden."""
    require_comment(user, comment.pilot)
    if comment.author_id != user.id:
        raise PermissionDenied(_("U kunt alleen uw eigen reacties wijzigen of verwijderen."))
    if comment.is_deleted:
        raise NotFound(_("Deze reactie bestaat niet (meer)."))
    if comment.is_hidden:
        raise PermissionDenied(_("Deze reactie is verborgen door de moderatie en kan niet meer worden gewijzigd."))
    return user


# --- writing -----------------------------------------------------------------------------------------------


def get_comment(comment_id: int | str | None, user: User | None = None) -> Comment:
    """A comment whose pilot the user may read. :raise NotFound: otherwise (also for a malformed id)."""
    number = parse_id(comment_id)
    comment = db.session.get(Comment, number) if number is not None else None
    if comment is None:
        raise NotFound(_("Deze reactie bestaat niet (meer)."))
    get_pilot(comment.pilot.slug, user)  # the same visibility as the pilot itself
    return comment


def post_comment(user: User | None, pilot: Pilot, body: str, reply_to: Comment | None = None) -> Comment:
    """A new comment, or a reply (attached to the thread's top comment); notifies mentioned people, the author
    replied to, and the pilot's audience — each person once, with the most personal message."""
    user = require_comment(user, pilot)
    text = body_text(body)
    parent = None
    if reply_to is not None:
        if reply_to.pilot_id != pilot.id or not reply_to.is_visible:
            raise InvalidInput(_("Op deze reactie kan niet meer worden geantwoord."))
        parent = reply_to.parent or reply_to
    resolved = mentions.resolve(text)
    comment = Comment(pilot=pilot, author=user, parent=parent, body=text, html=render_comment(text, resolved))
    db.session.add(comment)
    db.session.flush()
    record_change(pilot)
    audit.record("comment.post", user, "comment", comment.id, pilot=pilot.slug, reply_to=reply_to and reply_to.id)
    _notify(
        user, comment, [
            ("comment.mention", resolved.recipients()),
            ("comment.reply", [reply_to.author] if reply_to else []),
            ("comment.new", notifications.pilot_audience(pilot)),
        ],
    )  # fmt: skip
    return comment


def _notify(actor: User, comment: Comment, batches: list[tuple[str, list[User]]], skip: Iterable[User] = ()) -> None:
    """One notification per person per comment: ``skip`` holds who already heard (never the actor)."""
    done = {u.id for u in skip}
    for kind, users in batches:
        fresh = [u for u in users if u.id not in done]
        notifications.notify(fresh, kind, actor=actor, pilot=comment.pilot, comment=comment.id)
        done.update(u.id for u in fresh)


def edit_comment(user: User | None, comment: Comment, body: str) -> Comment:
    """The author's new text ("bewerkt" with the time); people mentioned for the first time are notified."""
    user = require_own(user, comment)
    text = body_text(body)
    if text == comment.body:
        return comment
    before = mentions.resolve(comment.body).recipients()
    resolved = mentions.resolve(text)
    comment.body, comment.html, comment.edited_at = text, render_comment(text, resolved), utcnow()
    record_change(comment.pilot)
    audit.record("comment.edit", user, "comment", comment.id, pilot=comment.pilot.slug)
    _notify(user, comment, [("comment.mention", resolved.recipients())], skip=before)
    return comment


def delete_comment(user: User | None, comment: Comment) -> None:
    """The author removes their comment: with replies a "verwijderd" placeholder stays (its text gone), without
    replies it disappears (and a placeholder top comment whose last reply this was goes with it)."""
    user = require_own(user, comment)
    pilot, parent = comment.pilot, comment.parent
    audit.record("comment.delete", user, "comment", comment.id, pilot=pilot.slug)
    if _reply_count(comment.id):
        comment.deleted_at, comment.body, comment.html = utcnow(), "", ""
    else:
        _remove(comment)
        if parent is not None and parent.is_deleted and not _reply_count(parent.id):
            _remove(parent)
    record_change(pilot)


def _reply_count(comment_id: int) -> int:
    db.session.flush()
    return db.session.scalar(select(func.count()).where(Comment.parent_id == comment_id)) or 0


def _remove(comment: Comment) -> None:
    db.session.execute(delete(CommentMark).where(CommentMark.comment_id == comment.id))
    db.session.execute(delete(CommentReport).where(CommentReport.comment_id == comment.id))
    db.session.delete(comment)
    db.session.flush()


def toggle_useful(user: User | None, comment: Comment) -> bool:
    """Mark a comment "nuttig", or take the mark back. Not one's own, nor a deleted or hidden one.
    :return: whether it is marked now."""
    user = require_comment(user, comment.pilot)
    if comment.author_id == user.id:
        raise InvalidInput(_("U kunt uw eigen reactie niet als nuttig markeren."))
    if not comment.is_visible:
        raise InvalidInput(_("Deze reactie kan niet als nuttig worden gemarkeerd."))
    mark = db.session.get(CommentMark, (comment.id, user.id))
    if mark is not None:
        db.session.delete(mark)
        return False
    db.session.add(CommentMark(comment_id=comment.id, user_id=user.id))
    return True


# --- reading -----------------------------------------------------------------------------------------------


@dataclass
class Discussion:
    """One page of a pilot's discussion: threads (top comment, its replies), counts, the reader's marks."""

    threads: list[tuple[Comment, list[Comment]]]
    more_replies: dict[int, int]  # top comment id -> replies past REPLIES_SHOWN, not on the page
    total: int  # comments shown to readers (placeholders of deleted ones not counted)
    page: int
    pages: int
    useful: dict[int, int]
    marked: set[int]


def discussion(pilot: Pilot, user: User | None, page: int = 1) -> Discussion:
    """Threads oldest first, :data:`THREADS_PER_PAGE` per page, each with its first :data:`REPLIES_SHOWN`
    replies: a few queries and a bounded page whatever the discussion's size."""
    tops_total = db.session.scalar(
        select(func.count()).where(Comment.pilot_id == pilot.id, Comment.parent_id.is_(None))
    ) or 0  # fmt: skip
    pages = max((tops_total + THREADS_PER_PAGE - 1) // THREADS_PER_PAGE, 1)
    page = min(max(page, 1), pages)
    tops = db.session.scalars(
        select(Comment)
        .where(Comment.pilot_id == pilot.id, Comment.parent_id.is_(None))
        .order_by(Comment.created_at, Comment.id)
        .offset((page - 1) * THREADS_PER_PAGE)
        .limit(THREADS_PER_PAGE)
    ).all()
    replies: dict[int, list[Comment]] = {c.id: [] for c in tops}
    more: dict[int, int] = {}
    if tops:
        rank = func.row_number().over(partition_by=Comment.parent_id, order_by=(Comment.created_at, Comment.id))
        ranked = select(Comment.id, rank.label("rank")).where(Comment.parent_id.in_(list(replies))).subquery()
        shown_ids = select(ranked.c.id).where(ranked.c.rank <= REPLIES_SHOWN)
        for reply in db.session.scalars(
            select(Comment).where(Comment.id.in_(shown_ids)).order_by(Comment.created_at, Comment.id)
        ):
            replies[reply.parent_id].append(reply)
        counts = select(Comment.parent_id, func.count()).where(Comment.parent_id.in_(list(replies)))
        for parent_id, n in db.session.execute(counts.group_by(Comment.parent_id)):
            if n > REPLIES_SHOWN:
                more[parent_id] = n - REPLIES_SHOWN
    shown = [c.id for c in tops] + [r.id for rs in replies.values() for r in rs]
    total = db.session.scalar(
        select(func.count()).where(Comment.pilot_id == pilot.id, Comment.deleted_at.is_(None))
    ) or 0  # fmt: skip
    return Discussion(
        threads=[(c, replies[c.id]) for c in tops], more_replies=more, total=total, page=page, pages=pages,
        useful=useful_counts(shown), marked=marked_by(user, shown),
    )  # fmt: skip


def useful_counts(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(CommentMark.comment_id, func.count())
        .where(CommentMark.comment_id.in_(ids))
        .group_by(CommentMark.comment_id)
    )
    return dict(rows.tuples().all())


def marked_by(user: User | None, ids: list[int]) -> set[int]:
    if not ids or user is None or not user.is_authenticated:
        return set()
    return set(
        db.session.scalars(
            select(CommentMark.comment_id).where(CommentMark.comment_id.in_(ids), CommentMark.user_id == user.id)
        )
    )


def comments_page(pilot: Pilot, page: int, per_page: int) -> tuple[list[Comment], int]:
    """Every comment of the pilot, oldest first, paged flat (the API): deleted placeholders included."""
    where = (Comment.pilot_id == pilot.id,)
    total = db.session.scalar(select(func.count()).where(*where)) or 0
    items = db.session.scalars(
        select(Comment)
        .where(*where)
        .order_by(Comment.created_at, Comment.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(items), total
