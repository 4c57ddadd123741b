"""The search feature: results page with facets, and title autocomplete for the header search box."""

from flask import Blueprint

bp = Blueprint("search", __name__, template_folder="templates", url_prefix="/search")

from . import routes  # noqa: E402,F401  (registers the routes)
