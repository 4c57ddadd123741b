"""The activity feature: the platform's recent changes (/activiteit), a pilot's own activity, the Atom feeds
and the portfolio meetings' calendar feed."""

from flask import Blueprint

bp = Blueprint("activity", __name__, template_folder="templates")

from . import calendar_routes, feeds, routes  # noqa: E402,F401  (registers the routes)
