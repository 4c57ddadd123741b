"""Counters behind login back-off and request rate limits, shared by every worker and host.

One row per (kind, key). The key is an HMAC of what is counted (an e-mail address as typed, an IP address,
a rate-limit key), so a password typed into the e-mail field never lands in this table in clear.
Times are Unix seconds (floats) so the atomic SQL that updates them is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ThrottleCounter(db.Model):
    __tablename__ = "throttle_counters"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # "account", "pair", "ip", "known", "rate"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # hex HMAC-SHA256 of the counted value
    count: Mapped[int] = mapped_column(default=0)  # failures (login) or hits in the window (rate)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # the row means nothing after this
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)  # login: next attempt allowed from here
