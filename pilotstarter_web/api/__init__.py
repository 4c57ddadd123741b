"""JSON API v1 (read part): pilots and organisations."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, template_folder="templates", url_prefix="/api/v1")
csrf.exempt(bp)  # token-less JSON clients; every write endpoint will authenticate explicitly

from . import attachment_routes, comment_routes, routes  # noqa: E402,F401  (registers the routes)
