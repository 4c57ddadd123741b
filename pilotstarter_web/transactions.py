"""The request's one commit.

Services change objects and ``flush()``; they never commit. A view decorated with :func:`commits` commits
once, after it returned (a redirect, a rendered page); when it raises, nothing is committed and the error
handlers (errors.py) roll back and answer. The commit still happens inside the request, before the
``after_request`` hooks, so the derived data follows at once (services/derived_data.py).

The rule for views (where each kind of view stands):

- A view that calls services and answers, with no service error caught, is ``@commits`` and has no
  ``db.session.commit()`` of its own.
- A view that *catches* a service error and still answers normally (a form shown again, a flash and a
  redirect) commits by hand in its success branch and rolls back in the error branch: a decorator cannot
  tell a handled refusal from success, and would commit what the service flushed before refusing.
- Work with transactions of its own on purpose keeps them: login throttles and rate limits
  (services/throttle.py, rate_limits.py), audit records of refusals (errors.py: ``audit_refusal``),
  session bookkeeping (auth_session.py), and the edit-conflict rollback in pilots/routes.py ``edit``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from .extensions import db

View = TypeVar("View", bound=Callable[..., object])


def commits(view: View) -> View:
    """Commit the view's work once when it returns; an exception propagates with nothing committed."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        db.session.commit()
        return response

    return wrapper  # type: ignore[return-value]
