"""The participation map: one page, at the level of municipalities or provinces (?niveau=provincie)."""

from __future__ import annotations

from flask import render_template, request

from ..services.adoption_stats import adoption_pairs
from ..services.participation_map import LEVELS, build_map
from ..services.pilot_queries import get_pilot
from . import bp


@bp.get("")
def index():
    """The map with its legend and the table that carries the same numbers; an unknown level shows
    municipalities (a hand-edited URL never gives an error)."""
    level = request.args.get("niveau", "")
    level = level if level in LEVELS else "gemeente"
    reused = request.args.get("hergebruik")  # ?hergebruik=<slug>: who adopts that entry, instead of participation
    entry = get_pilot(reused) if reused else None  # an unknown entry is a 404 page
    if entry is not None:  # one entry's adopters: municipalities only (a province would count the entry once)
        level = "gemeente"
    the_map = build_map(level, adoption_pairs(entry) if entry is not None else None)
    return render_template("maps/index.html", map=the_map, entry=entry)
