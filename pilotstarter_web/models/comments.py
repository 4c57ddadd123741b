"""The discussion under a pilot: comments (one level of replies), "nuttig" marks and reports.

services/comments.py writes comments and marks; services/comment_moderation.py is the only writer of
``Comment.moderation`` and of reports (a small state machine, like the scale-up route).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .pilots import Pilot
from .timeutil import utcnow
from .users import User


class Comment(db.Model):
    """One comment. A reply points at its thread's top comment (``parent_id``), so threads are one level deep."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)  # the thread's top
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown as typed, mentions as @[Naam](user:12)
    html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitized when saved, shown as is
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]  # shown as "bewerkt"
    deleted_at: Mapped[datetime | None]  # by its author; kept (text emptied) only as a placeholder for replies
    moderation: Mapped[str] = mapped_column(String(20), default="zichtbaar", index=True)  # zichtbaar|gemeld|verborgen
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")  # shown in the comment's place
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_at: Mapped[datetime | None]

    pilot: Mapped[Pilot] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.moderation == "verborgen"

    @property
    def is_visible(self) -> bool:
        """Its text counts for search and readers: neither deleted nor hidden."""
        return not self.is_deleted and not self.is_hidden


class CommentMark(db.Model):
    """A "nuttig" mark: one per person per comment."""

    __tablename__ = "comment_marks"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentReport(db.Model):
    """A report of a comment to the moderators, once per person per comment; resolved by a hide or restore."""

    __tablename__ = "comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_id", name="uq_comment_reports_comment_reporter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(String(20), default="")  # the moderator's action: hide | restore
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined")
