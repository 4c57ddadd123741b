"""Clusters of similar pilots for VNG staff (under /portfolio, next to the scale-up route)."""

from flask import Blueprint

bp = Blueprint("clusters", __name__, template_folder="templates", url_prefix="/portfolio/clusters")

from . import routes  # noqa: E402,F401  (registers the routes)
