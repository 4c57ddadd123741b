"""The map feature: /kaart, where municipalities and provinces of the Netherlands and Flanders take part."""

from flask import Blueprint

bp = Blueprint("maps", __name__, template_folder="templates", url_prefix="/kaart")

from . import routes  # noqa: E402,F401  (registers the routes)
