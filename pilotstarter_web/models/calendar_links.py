"""Secret calendar links: a calendar app cannot log in, so a VNG staff member's app fetches a feed by a token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .timeutil import utcnow
from .users import User


class CalendarLink(db.Model):
    """One live link per person; a new link replaces it, revoking deletes it (both audited)."""

    __tablename__ = "calendar_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token in the URL, hex
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
