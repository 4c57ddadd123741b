"""The matchmaking feature's pages: similar pilots while writing, duplicates ("geen dubbel", "dubbel van",
merging) under /pilots, and the clusters for VNG staff under /portfolio/clusters.

Its rules are in services/matchmaking/, the engine in search_index/matchmaking/.
"""

from flask import Blueprint

bp = Blueprint("matchmaking", __name__, template_folder="templates")

from . import cluster_routes, duplicate_routes  # noqa: E402,F401  (registers the routes)
