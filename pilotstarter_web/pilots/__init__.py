"""The pilots feature: routes, forms and templates."""

from flask import Blueprint

bp = Blueprint("pilots", __name__, template_folder="templates", url_prefix="/pilots")

from . import routes  # noqa: E402,F401  (registers the routes)
