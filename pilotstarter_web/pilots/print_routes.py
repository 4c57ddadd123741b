"""A pilot as a printable page: its text and metadata, without the site's navigation, forms and panels."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ..render_cache import render_revision
from ..services.pilot_queries import get_pilot, participants
from . import bp


@bp.get("/<slug>/afdrukken")
def print_view(slug: str):
    """The page behind "Afdrukken": works without JavaScript (the browser's own print command prints it), and
    the print stylesheet drops everything but the pilot. :raise 404: as the pilot page does."""
    pilot = get_pilot(slug, current_user)
    return render_template(
        "pilots/print.html",
        pilot=pilot,
        rendered=render_revision(pilot.current_revision),
        participants=participants(pilot),
    )
