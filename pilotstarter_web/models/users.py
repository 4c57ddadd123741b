"""Accounts. An unverified account may read everything but write nothing."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .organisations import Organisation
from .timeutil import utcnow

ROLES = ("member", "vng_staff", "admin")


STAFF_ROLES = ("vng_staff", "admin")  # the roles that curate; services/permissions.py is_curator adds "verified"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))  # Argon2id
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(default=True)  # False: blocked by an admin
    # Two-factor login (TOTP): the base32 secret, set when enrolment starts, in use once confirmed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]  # the last accepted 30-second time step: a code works only once
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_staff(self) -> bool:
        """VNG staff and admins curate: verify accounts, route pilots."""
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    # Flask-Login's id for this login: "<session row id>:<token>" (auth_session.py). Not a column: it is
    # set on the object just before login_user and by the user loader, for the request at hand.
    login_id = ""

    def get_id(self) -> str:
        """The login names a server-side session row, so ending that row ends this login everywhere."""
        return self.login_id

    def __eq__(self, other: object) -> bool:
        """The same account, whichever session loaded it (UserMixin would compare get_id)."""
        return other is self or (isinstance(other, User) and self.id is not None and other.id == self.id)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.email}>"
