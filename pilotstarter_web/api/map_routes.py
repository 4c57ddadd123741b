"""GET /api/v1/map: the numbers of the map page (/kaart), and its place in the OpenAPI document."""

from __future__ import annotations

from flask import jsonify

from ..services.participation_map import LEVELS, build_map
from . import bp
from .openapi import _PROBLEM, OPENAPI, _ok
from .routes import _choice


@bp.get("/map")
def participation_map():
    """The numbers of the map page (/kaart): pilots per municipality or province of the Netherlands and Flanders."""
    level = _choice("niveau", LEVELS) or "gemeente"
    the_map = build_map(level)
    items = [
        {"code": a.code, "name": a.name, "province": a.province, "pilots": a.count}
        for _province, areas in the_map.groups
        for a in areas
    ]
    return jsonify({"niveau": level, "total": the_map.total, "items": items})


# Documented here, next to the route (as comment_routes.py does), so the two cannot drift.
OPENAPI["paths"].update(
    {
        "/map": {
            "get": {
                "summary": "Aan hoeveel pilots elke gemeente (of provincie) in Nederland en Vlaanderen meedoet",
                "description": "De cijfers van de kaart (/kaart): bevestigde deelname aan levende pilots; alleen "
                "gebieden met minstens één pilot, per provincie gegroepeerd.",
                "parameters": [
                    {
                        "name": "niveau",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["gemeente", "provincie"], "default": "gemeente"},
                    }
                ],
                "responses": {
                    **_ok(
                        {
                            "type": "object",
                            "properties": {
                                "niveau": {"type": "string"},
                                "total": {"type": "integer"},
                                "items": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "code": {"type": "string"},
                                            "name": {"type": "string"},
                                            "province": {"type": "string"},
                                            "pilots": {"type": "integer"},
                                        },
                                    },
                                },
                            },
                        }
                    ),
                    "400": _PROBLEM,
                },
            }
        },
    }
)
