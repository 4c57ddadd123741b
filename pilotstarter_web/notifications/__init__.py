"""The notifications feature: the list of a user's notifications and opening one."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, template_folder="templates", url_prefix="/notifications")

from . import routes  # noqa: E402,F401  (registers the routes)
