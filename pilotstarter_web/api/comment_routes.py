"""GET /api/v1/pilots/<slug>/comments: a pilot's discussion as open data (read only; writing comes with tokens).

Registers its path and schema in the OpenAPI document here, next to the route, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ..models import Comment
from ..services.comments import comments_page, useful_counts
from ..services.pilot_queries import get_pilot
from . import bp
from .openapi import OPENAPI, _list_of, _ok
from .openapi_schemas import SCHEMAS
from .routes import _int


def _when(moment) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def comment_json(c: Comment, useful: int) -> dict[str, Any]:
    """A comment as readers see it: no text when deleted or hidden (then the moderation's reason instead)."""
    shown = c.is_visible
    author = None if c.is_deleted else c.author
    return {
        "id": c.id,
        "parent_id": c.parent_id,
        "author": author.name if author else None,
        "organisation": {"code": author.organisation.code, "name": author.organisation.display_name}
        if author
        else None,
        "markdown": c.body if shown else None,
        "html": c.html if shown else None,
        "deleted": c.is_deleted,
        "hidden": c.is_hidden and not c.is_deleted,
        "hidden_reason": c.hidden_reason if c.is_hidden and not c.is_deleted else None,
        "created_at": _when(c.created_at),
        "edited_at": _when(c.edited_at),
        "useful": useful,
    }


@bp.get("/pilots/<slug>/comments")
def pilot_comments(slug: str):
    """Every comment of the pilot, oldest first (replies carry ``parent_id``: their thread's top comment)."""
    page, per_page = _int("page", 1, 1000), _int("per_page", 50, 100)
    items, total = comments_page(get_pilot(slug), page, per_page)
    useful = useful_counts([c.id for c in items])
    return jsonify(
        {
            "total": total,
            "page": page,
            "per_page": per_page,
            "items": [comment_json(c, useful.get(c.id, 0)) for c in items],
        }
    )


SCHEMAS["Comment"] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "parent_id": {"type": ["integer", "null"], "description": "the thread's top comment, for a reply"},
        "author": {"type": ["string", "null"], "description": "null for a deleted comment"},
        "organisation": {
            "type": ["object", "null"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
        },
        "markdown": {"type": ["string", "null"], "description": "as written; null when deleted or hidden"},
        "html": {"type": ["string", "null"], "description": "rendered and sanitized; null when deleted or hidden"},
        "deleted": {"type": "boolean"},
        "hidden": {"type": "boolean", "description": "hidden by the moderation"},
        "hidden_reason": {"type": ["string", "null"]},
        "created_at": {"type": "string"},
        "edited_at": {"type": ["string", "null"]},
        "useful": {"type": "integer", "description": "how many people marked it 'nuttig'"},
    },
}
OPENAPI["paths"]["/pilots/{slug}/comments"] = {
    "get": {
        "summary": "De discussie bij een pilot: alle reacties, oudste eerst, gepagineerd",
        "parameters": [
            {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1}},
            {
                "name": "per_page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
            },
        ],
        "responses": _ok(_list_of("Comment")),
    }
}
