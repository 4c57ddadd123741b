"""Query arguments for pages: nonsense falls back to a default, so a hand-edited URL never gives an error."""

from __future__ import annotations

from flask import request

MAX_PAGE = 100_000  # a larger OFFSET overflows the database's integer


def int_arg(name: str, default: int = 1, maximum: int = MAX_PAGE) -> int:
    """A positive integer query argument, at most ``maximum``; anything else gives ``default``."""
    try:
        return min(max(int(request.args.get(name, default)), 1), maximum)
    except (TypeError, ValueError):
        return default
