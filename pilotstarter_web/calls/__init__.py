"""The challenge calls feature (oproepen): calls, submissions, the committee's scoring, the published
selection and the proposals, at /oproepen. The rules live in services/challenges.py and its siblings."""

from flask import Blueprint

bp = Blueprint("calls", __name__, template_folder="templates", url_prefix="/oproepen")

from . import routes, submission_routes  # noqa: E402,F401  (registers the routes)
