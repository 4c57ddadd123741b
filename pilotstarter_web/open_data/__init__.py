"""Open data: the pilot list as CSV and JSON downloads, and the page that explains them."""

from flask import Blueprint

bp = Blueprint("open_data", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401  (registers the routes)
