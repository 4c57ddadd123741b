"""The discussion feature: comments under every pilot, replies, "nuttig", mentions, and the moderation queue."""

from flask import Blueprint

bp = Blueprint("discussion", __name__, template_folder="templates")

from . import moderation_routes, routes  # noqa: E402,F401  (registers the routes)
