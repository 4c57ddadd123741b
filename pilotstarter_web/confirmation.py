"""A confirmation page before something is deleted or revoked (GOV.UK's "Are you sure?" pattern).

The button that used to do it at once becomes a link to a GET page that says what will happen and holds
the real POST form; "Annuleren" goes back. No JavaScript needed, and the POST routes stay as they were.
"""

from __future__ import annotations

from flask import render_template


def render_confirmation(
    *,
    title: str,
    question: str,
    action: str,
    confirm_label: str,
    cancel_url: str,
    consequence: str = "",
    reason_label: str = "",
    reason_max: int = 300,
) -> str:
    """The page: ``question`` as the heading's lead, ``consequence`` (what cannot be undone, or how to undo),
    a POST to ``action``; with ``reason_label`` an optional bounded text field named "reason"."""
    return render_template(
        "confirm.html",
        title=title,
        question=question,
        action=action,
        confirm_label=confirm_label,
        cancel_url=cancel_url,
        consequence=consequence,
        reason_label=reason_label,
        reason_max=reason_max,
    )
