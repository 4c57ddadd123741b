"""Keep password-reset tokens out of access logs.

The e-mailed link carries the token in its path (/account/reset/<token>). That one request lands on a
route that moves the token into the session and redirects to the token-free /account/reset/new, but the
access log line of the landing request itself would still hold the token: this filter rewrites it.
It is installed on werkzeug's logger (development server) and gunicorn's access logger.
"""

from __future__ import annotations

import logging
import re

RESET_TOKEN = re.compile(r"(/account/reset/)(?!new\b)[^\s?#\"/]+")
REDACTED = r"\1[verwijderd]"
LOGGERS = ("werkzeug", "gunicorn.access")


def redact(text: str) -> str:
    """The text with every reset token in a path replaced by a marker."""
    return RESET_TOKEN.sub(REDACTED, text)


class ResetTokenFilter(logging.Filter):
    """Rewrites a record's message; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Add the filter once to each access logger (create_app may run more than once in a process)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ResetTokenFilter) for f in logger.filters):
            logger.addFilter(ResetTokenFilter())
