"""Home: recent pilots and recent activity."""

from flask import render_template

from ..services.activity import ActivityFilters, recent_activity
from ..services.pilot_queries import PilotFilters, list_pilots
from ..services.themes import THEMES
from . import bp


@bp.get("/")
def home():
    """Recent pilots, recent activity and a way in by theme."""
    recent, total = list_pilots(PilotFilters(sort="newest", per_page=6))
    activity = recent_activity(ActivityFilters(limit=8)).items
    return render_template("main/home.html", recent=recent, total=total, activity=activity, themes=THEMES)


@bp.get("/markdown-hulp")
def markdown_help():
    """Short Markdown help, also linked from the edit form."""
    return render_template("main/markdown_help.html")
