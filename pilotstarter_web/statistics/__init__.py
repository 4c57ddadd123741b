"""The public statistics page: headline numbers and accessible server-rendered charts (/statistieken)."""

from flask import Blueprint

bp = Blueprint("statistics", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401  (registers the routes)
