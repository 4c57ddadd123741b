"""The themes feature: every theme with its pilots, and following a theme."""

from flask import Blueprint

bp = Blueprint("themes", __name__, template_folder="templates", url_prefix="/themas")

from . import routes  # noqa: E402,F401  (registers the routes)
