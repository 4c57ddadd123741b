"""Pilots as wiki pages: the page, its immutable revisions, participants, links and change log."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisations import Organisation
from .timeutil import utcnow
from .users import User

STATUSES = ("idee", "partners_gezocht", "lopend", "afgerond", "gestopt")
PARTICIPATION_ROLES = ("initiator", "partner", "interested", "supplier")
# Kinds of wiki entry sharing one table and one machinery (revisions, search, matchmaking, comments): a pilot
# (something being tried), a best practice (a solution in use that others can roll out) and a challenge (a
# government question looking for a solution, submitted to a call: services/challenges).
ENTRY_TYPES = ("pilot", "best_practice", "challenge")


class Pilot(db.Model):
    __tablename__ = "pilots"
    __table_args__ = (CheckConstraint(f"entry_type IN {ENTRY_TYPES}", name="entry_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)  # stable: never changes with the title
    # Title and summary repeat the current revision so lists and sorting need no join.
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="idee", index=True)
    entry_type: Mapped[str] = mapped_column(String(20), default="pilot", server_default="pilot", index=True)
    scale_up_state: Mapped[str] = mapped_column(String(20), default="geen")
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, name="fk_pilots_current_revision_id_revisions")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    deleted_at: Mapped[datetime | None]  # soft delete: hidden, restorable by owner or admin
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "Dubbel van": VNG staff point a duplicate at its main pilot; a merge then hides it (deleted_at set too).
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", name="fk_pilots_duplicate_of_id_pilots"), index=True
    )
    merged_at: Mapped[datetime | None]  # merged into duplicate_of: the page redirects there, history stays
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_pilots_merged_by_id_users"))

    owner: Mapped[Organisation] = relationship(lazy="joined")
    duplicate_of: Mapped[Pilot | None] = relationship(remote_side=[id], foreign_keys=[duplicate_of_id])
    current_revision: Mapped[Revision | None] = relationship(foreign_keys=[current_revision_id], post_update=True)
    themes: Mapped[list[PilotTheme]] = relationship(cascade="all, delete-orphan", order_by="PilotTheme.theme")
    tags: Mapped[list[PilotTag]] = relationship(cascade="all, delete-orphan", order_by="PilotTag.tag")
    participations: Mapped[list[Participation]] = relationship(
        back_populates="pilot", cascade="all, delete-orphan", order_by="Participation.created_at"
    )

    @property
    def theme_keys(self) -> list[str]:
        return [t.theme for t in self.themes]

    @property
    def tag_values(self) -> list[str]:
        return [t.tag for t in self.tags]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_merged(self) -> bool:
        return self.merged_at is not None

    def __repr__(self) -> str:
        return f"<Pilot {self.slug}>"


class DuplicateDismissal(db.Model):
    """ "Geen dubbel": people who know both pilots say a similar pair is not a duplicate.

    The pair is unordered, so it is stored once as (lower id, higher id); the check constraint keeps it so.
    """

    __tablename__ = "duplicate_dismissals"
    __table_args__ = (
        UniqueConstraint("pilot_low_id", "pilot_high_id", name="uq_duplicate_dismissals_pair"),
        CheckConstraint("pilot_low_id < pilot_high_id", name="ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_low_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    pilot_high_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")


class Revision(db.Model):
    """One saved version of a pilot's text. Never changed after it is written."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("pilot_id", "number", name="uq_revisions_pilot_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    number: Mapped[int]  # 1, 2, 3 … per pilot
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown as written
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: imported content
    edit_summary: Mapped[str] = mapped_column(String(300), default="")
    reverted_to: Mapped[int | None]  # number of the revision this one restores, if a revert
    # A random token from the edit form: a double submit finds its first revision instead of adding one.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The page's metadata as of this revision, so a stale edit merges it three-way like the text and the
    # history shows who changed it. Themes and tags are sorted JSON lists of strings.
    status: Mapped[str] = mapped_column(String(20), server_default="idee")
    themes_json: Mapped[str] = mapped_column("themes", Text, server_default="[]")
    tags_json: Mapped[str] = mapped_column("tags", Text, server_default="[]")

    pilot: Mapped[Pilot] = relationship(foreign_keys=[pilot_id])
    author: Mapped[User | None] = relationship(lazy="joined")

    @property
    def theme_keys(self) -> list[str]:
        return json.loads(self.themes_json)

    @property
    def tag_values(self) -> list[str]:
        return json.loads(self.tags_json)

    def set_metadata(self, status: str, themes: list[str], tags: list[str]) -> None:
        """Store the metadata in the one canonical form (sorted), so revisions compare equal when it is."""
        self.status, self.themes_json, self.tags_json = status, json.dumps(sorted(themes)), json.dumps(sorted(tags))


class Participation(db.Model):
    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("pilot_id", "organisation_id", name="uq_participations_pilot_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # one of PARTICIPATION_ROLES
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pilot: Mapped[Pilot] = relationship(back_populates="participations")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class PilotTheme(db.Model):
    """A curated theme (see services/themes.py) of a pilot."""

    __tablename__ = "pilot_themes"

    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class PilotTag(db.Model):
    """A free tag of a pilot, lower-cased."""

    __tablename__ = "pilot_tags"

    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class WikiLink(db.Model):
    """A [[link]] in a pilot's current text, kept to answer "pages that link here"."""

    __tablename__ = "wiki_links"

    source_pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), primary_key=True)
    target_key: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)  # slugified title


class ChangeLog(db.Model):
    """Outbox for derived data (search index, similarity): written in the same transaction as the change."""

    __tablename__ = "change_log"
    # Ids are the index's bookmark: SQLite must never reuse one after rows are deleted.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    operation: Mapped[str] = mapped_column(String(10))  # "upsert" or "delete"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
