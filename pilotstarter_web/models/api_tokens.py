"""Personal API tokens: a script or another system acts as one person on /api/v1, without a browser login."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .timeutil import utcnow
from .users import User

SCOPES = ("read", "write")  # write implies read


class ApiToken(db.Model):
    """Only the SHA-256 of a token is kept (it is random and long, so a fast hash suffices); the prefix lets
    its owner recognise it in the list. Revoked tokens stay as rows, so the list and the audit log agree."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # chosen by its owner: what the token is for
    prefix: Mapped[str] = mapped_column(String(16))  # "pst_" and the token's first characters, shown in the list
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the whole token, hex
    scope: Mapped[str] = mapped_column(String(8), default="read")  # "read" or "write" (write implies read)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]  # written at most once a minute
    expires_at: Mapped[datetime | None]  # None: until revoked
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")  # the request's user, read with the token in one query

    @property
    def scopes(self) -> list[str]:
        return ["read", "write"] if self.scope == "write" else ["read"]

    def live(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
