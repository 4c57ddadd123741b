"""Server-side login sessions and two-factor recovery codes.

Flask's session cookie is signed but lives on the client, so a copy of it keeps working after logout.
Every login therefore has a row here, named by the cookie (its id plus a random token, stored only as a
hash); a request is logged in only while its row is live, so ending the row ends the session everywhere.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .timeutil import utcnow
from .users import User


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the random token in the cookie, hex
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)  # refreshed at most once a minute
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(120), default="")  # a summary: "Firefox op Windows"
    remember: Mapped[bool] = mapped_column(default=False)  # "ingelogd blijven": the remember-me limits apply
    # True between the password and the two-factor code: such a row never logs anyone in.
    pending_second_factor: Mapped[bool] = mapped_column(default=False)
    failed_codes: Mapped[int] = mapped_column(default=0)  # wrong codes at the second step
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))  # "logout", "password_changed", "idle", ...

    user: Mapped[User] = relationship(lazy="joined")  # the per-request check reads both in one query

    @property
    def live(self) -> bool:
        return self.ended_at is None


class RecoveryCode(db.Model):
    """One-time codes for when the authenticator app is lost; only their Argon2 hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
