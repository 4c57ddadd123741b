"""JSON API v1: pilots, organisations, search and decisions to read; with a personal token (auth.py), writes."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, template_folder="templates", url_prefix="/api/v1")
csrf.exempt(bp)  # no form tokens: writes authenticate by Bearer token, or by session with a JSON body (auth.py)

from .auth import read_limit  # noqa: E402

read_limit(bp)  # per token; anonymous and session reads stay unlimited, as before

# Importing the modules registers their routes (and their parts of the OpenAPI document).
from . import (  # noqa: E402,F401
    attachment_routes,
    call_routes,
    comment_routes,
    map_routes,
    routes,
    statistics_routes,
    write_openapi,
    write_routes,
)
