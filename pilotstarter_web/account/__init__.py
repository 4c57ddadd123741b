"""The account feature: routes, forms and templates."""

from flask import Blueprint

bp = Blueprint("account", __name__, template_folder="templates", url_prefix="/account")

from . import following_routes, mail_routes, routes, session_routes, token_routes, two_factor_routes  # noqa: E402,F401  (registers the routes)
