"""Views that take a file: a larger request limit for them only, set before anything reads the body.

``MAX_CONTENT_LENGTH`` (config.py) fits any pilot form, far below a document. A view marked with
:func:`accepts_file` gets ``ATTACHMENT_MAX_BYTES`` plus :data:`FORM_ROOM` instead. The hook that sets it runs
first of all ``before_request`` hooks — CSRF protection reads the form, and with it the body, before any
view-level code could — so a larger body is refused by Werkzeug from its Content-Length (or, streamed
without one, as soon as it passes the limit) with a 413, never read into memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from flask_babel import gettext as _

from .services.attachment_files import megabytes

FORM_ROOM = 1024 * 1024  # the form's other fields and the multipart framing
View = TypeVar("View", bound=Callable[..., object])


def accepts_file(view: View) -> View:
    """Mark a view as taking one uploaded file (see the module docstring)."""
    view.accepts_file = True  # type: ignore[attr-defined]
    return view


def takes_file() -> bool:
    """Whether the current request's view is marked with :func:`accepts_file`."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "accepts_file", False))


def upload_limit() -> int:
    return current_app.config["ATTACHMENT_MAX_BYTES"] + FORM_ROOM


def too_large_detail() -> str:
    """What a 413 says: for an upload, the largest file accepted."""
    if takes_file():
        return _(
            "Het bestand is te groot: hoogstens %(mb)s MB.", mb=megabytes(current_app.config["ATTACHMENT_MAX_BYTES"])
        )
    return _("Wat u verstuurde is te groot.")


def init_app(app: Flask) -> None:
    def _raise_limit_for_uploads() -> None:
        if takes_file():
            request.max_content_length = upload_limit()

    app.before_request_funcs.setdefault(None, []).insert(0, _raise_limit_for_uploads)
