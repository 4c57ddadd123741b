"""JSON API v1 (read part): pilots and organisations."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, template_folder="templates", url_prefix="/api/v1")
csrf.exempt(bp)  # token-less JSON clients; every write endpoint will authenticate explicitly

from . import call_routes, comment_routes, routes, statistics_routes  # noqa: E402,F401  (registers the routes)
