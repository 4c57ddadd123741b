"""The documents feature: "Documenten" on every entry page (upload, versions, download, delete)."""

from flask import Blueprint

bp = Blueprint("attachments", __name__, template_folder="templates")

from . import routes  # noqa: E402,F401  (registers the routes)
