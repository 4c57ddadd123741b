"""Home: recent pilots and recent activity."""

from flask import render_template

from ..services.pilot_queries import PilotFilters, list_pilots, recent_revisions
from ..services.themes import THEMES
from . import bp


@bp.get("/")
def home():
    """Recent pilots, recent edits and a way in by theme."""
    recent, total = list_pilots(PilotFilters(sort="newest", per_page=6))
    return render_template("main/home.html", recent=recent, total=total, activity=recent_revisions(10), themes=THEMES)


@bp.get("/markdown-hulp")
def markdown_help():
    """Short Markdown help, also linked from the edit form."""
    return render_template("main/markdown_help.html")
