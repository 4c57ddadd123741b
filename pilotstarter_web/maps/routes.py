"""The participation map: one page, at the level of municipalities or provinces (?niveau=provincie)."""

from __future__ import annotations

from flask import render_template, request

from ..services.participation_map import LEVELS, build_map
from . import bp


@bp.get("")
def index():
    """The map with its legend and the table that carries the same numbers; an unknown level shows
    municipalities (a hand-edited URL never gives an error)."""
    level = request.args.get("niveau", "")
    the_map = build_map(level if level in LEVELS else "gemeente")
    return render_template("maps/index.html", map=the_map)
