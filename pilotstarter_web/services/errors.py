"""Errors services raise; the web layer turns them into pages or problem+json answers."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: `message` is shown to the user, so it is translated and plain."""

    status = 400

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class NotFound(ServiceError):
    status = 404


class PermissionDenied(ServiceError):
    status = 403


class InvalidInput(ServiceError):
    status = 422


class Throttled(ServiceError):
    """Too many attempts; `retry_after` (seconds), when known, becomes the Retry-After header."""

    status = 429

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
