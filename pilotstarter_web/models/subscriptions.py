"""Following more than a pilot: a theme, an organisation, a saved search; and the outbox that matches saved
searches against newly published pilots after the publishing request (services/saved_search_matching.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisations import Organisation
from .timeutil import utcnow


class ThemeFollow(db.Model):
    """A person following a theme: told when a new pilot is published in it."""

    __tablename__ = "theme_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)  # a key of services.themes.THEMES
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrganisationFollow(db.Model):
    """A person following an organisation: told when it starts or joins a pilot."""

    __tablename__ = "organisation_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class SavedSearch(db.Model):
    """A search a person keeps: its words and facet filters as the search page took them."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(String(200), default="")
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # facet -> list of values
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    anchors: Mapped[list[SavedSearchAnchor]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class SavedSearchAnchor(db.Model):
    """A key ("content:zorg", "theme:jeugd", or "*") of which a matching pilot has at least one: the
    pre-filter that keeps publishing cheap however many searches are saved (search_index/saved_queries.py)."""

    __tablename__ = "saved_search_anchors"
    __table_args__ = (Index("ix_saved_search_anchors_key", "key", "saved_search_id"),)

    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_searches.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(160), primary_key=True)


class NewPilotMatch(db.Model):
    """Outbox: a published pilot still to be matched against the saved searches. Written in the publishing
    transaction; ``done_at`` and the notifications are written together, so a crash loses or repeats nothing."""

    __tablename__ = "new_pilot_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the publisher: never told
    after_search_id: Mapped[int] = mapped_column(default=0)  # saved searches up to this id are done
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(index=True)
