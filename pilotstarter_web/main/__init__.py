"""Home page and site-wide pages."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from . import routes, statement_routes  # noqa: E402,F401  (registers the routes)
