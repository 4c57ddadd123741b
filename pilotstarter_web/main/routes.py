"""Home: recent pilots and recent activity; Markdown help; the language switch."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from .. import i18n
from ..account.routes import safe_next
from ..services import accounts
from ..services.activity import ActivityFilters, recent_activity
from ..services.pilot_queries import PilotFilters, list_pilots
from ..services.themes import THEMES
from ..transactions import commits
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


@bp.route("/taal/<lang>", methods=["GET", "POST"])
@commits
def language(lang: str):
    """Switch the interface language and go back to the page it was chosen on (a local path only).

    Anyone may follow the link (the choice lives in the session); the logged-in header posts a form, which
    also stores the choice on the account, so mail and the next login follow it.
    :raise 404: for a language the site does not offer.
    """
    if lang not in i18n.languages():
        abort(404)
    i18n.remember_choice(lang)
    if request.method == "POST" and current_user.is_authenticated and current_user.locale != lang:
        accounts.update_profile(current_user, current_user.name, lang, ip=request.remote_addr)
    return redirect(safe_next(request.values.get("next")))


@bp.get("/best-practices", defaults={"entry_type": "best_practice"}, endpoint="best_practices")
@bp.get("/challenges", defaults={"entry_type": "challenge"}, endpoint="challenges")
def entries_of_type(entry_type: str):
    """Short addresses for the list of one entry type: the pilot list with its type filter (one list to keep)."""
    return redirect(url_for("pilots.index", **{**request.args.to_dict(), "type": entry_type}))
