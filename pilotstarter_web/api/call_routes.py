"""GET /api/v1/calls and /api/v1/calls/<id>: challenge calls as open data (public fields, published ranking)."""

from __future__ import annotations

from flask import jsonify

from ..services import challenges
from ..services.call_json import call_detail_json, calls_json
from . import bp
from .openapi import _PROBLEM, OPENAPI, _list_of, _ok


@bp.get("/calls")
def calls():
    """Every public call (never concepts, also not for staff: this is the open-data view)."""
    items = calls_json(None)  # a handful a year: one page
    return jsonify({"total": len(items), "page": 1, "per_page": max(len(items), 1), "items": items})


@bp.get("/calls/<key>")
def call(key: str):
    """One call by id or slug; its ranking only once the selection is published."""
    return jsonify(call_detail_json(challenges.get_call(key[:120], None)))


# Documented here, next to the routes (as comment_routes.py does), so the two cannot drift.
OPENAPI["paths"].update(
    {
        "/calls": {
            "get": {
                "summary": "Oproepen voor challenges (open, gesloten en gepubliceerd; nooit concepten)",
                "responses": _ok(_list_of("CallSummary")),
            }
        },
        "/calls/{key}": {
            "get": {
                "summary": "Eén oproep: criteria en gewichten, ingediende challenges en de gepubliceerde rangorde",
                "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {**_ok({"$ref": "#/components/schemas/Call"}), "404": _PROBLEM},
            }
        },
    }
)
