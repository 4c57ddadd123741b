"""One clock for the whole app: naive UTC, identical on SQLite and PostgreSQL."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time in UTC without tzinfo (both databases store it the same way)."""
    return datetime.now(UTC).replace(tzinfo=None)
