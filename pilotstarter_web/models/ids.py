"""Row ids as they arrive from outside (a path, a JSON body): only values an INTEGER column can hold.

PostgreSQL's INTEGER is 32 bits and SQLite's 64: a larger number is not a row on either, and looking it up
would fail in the driver (OverflowError, "integer out of range": a 500) instead of answering "not found".
"""

from __future__ import annotations

MAX_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """The id, or None for anything that cannot be a row's id (malformed, zero, negative or too large)."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None
