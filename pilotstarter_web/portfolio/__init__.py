"""The portfolio feature: the scale-up route's pages for VNG staff, the public overview of scaled pilots,
and the scale-up panel on every pilot page."""

from flask import Blueprint

# cli_group=None: the demo command is `flask demo-scaleup`, next to `flask demo-accounts`.
bp = Blueprint("portfolio", __name__, template_folder="templates", url_prefix="/portfolio", cli_group=None)

from . import demo, routes  # noqa: E402,F401  (registers the routes and the demo command)
