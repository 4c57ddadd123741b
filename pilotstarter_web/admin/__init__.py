"""The admin feature: routes, forms and templates."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")

from . import mail_routes, routes  # noqa: E402,F401  (registers the routes)
