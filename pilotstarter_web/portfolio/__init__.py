"""The portfolio feature: the scale-up route's pages for VNG staff, the public overview of scaled pilots,
and the scale-up panel on every pilot page."""

from flask import Blueprint

bp = Blueprint("portfolio", __name__, template_folder="templates", url_prefix="/portfolio")

from . import routes  # noqa: E402,F401  (registers the routes)
