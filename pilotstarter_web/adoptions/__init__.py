"""Adoption after scale-up ("wij nemen dit over"): the section on an entry page and its forms."""

from flask import Blueprint

bp = Blueprint("adoptions", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401  (registers the routes)
