"""GET /api/v1/pilots/<slug>/documents: an entry's documents as open data (metadata and download URLs).

Registers its path and schema in the OpenAPI document here, next to the route, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for

from ..models import Attachment, AttachmentVersion
from ..services.attachments import KINDS, entry_documents, kind_label
from ..services.pilot_queries import get_pilot
from . import bp
from .openapi import OPENAPI, _ok
from .openapi_schemas import SCHEMAS


def _when(moment) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def version_json(doc: Attachment, v: AttachmentVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "filename": v.original_name,
        "content_type": v.content_type,
        "size": v.size,
        "sha256": v.sha256,
        "note": v.note,
        "uploaded_by": v.uploaded_by.name if v.uploaded_by else None,
        "uploaded_at": _when(v.created_at),
        "url": url_for("attachments.download", slug=doc.pilot.slug, attachment_id=doc.id, number=v.number),
    }


def attachment_json(doc: Attachment) -> dict[str, Any]:
    """A document with its newest version's file and every version (oldest first)."""
    return {
        "id": doc.id,
        "kind": doc.kind,
        "kind_label": kind_label(doc.kind),
        "title": doc.title,
        "version": doc.current.number,
        "created_at": _when(doc.created_at),
        "url": url_for("attachments.download", slug=doc.pilot.slug, attachment_id=doc.id),
        "current": version_json(doc, doc.current),
        "versions": [version_json(doc, v) for v in doc.versions],
    }


@bp.get("/pilots/<slug>/documents")
def pilot_documents(slug: str):
    """The entry's live documents (a deleted entry: 404, as its page)."""
    items = [attachment_json(doc) for doc in entry_documents(get_pilot(slug))]
    return jsonify({"total": len(items), "items": items})


_VERSION = {
    "type": "object",
    "properties": {
        "number": {"type": "integer"},
        "filename": {"type": "string", "description": "the uploaded name, sanitised; also the download name"},
        "content_type": {"type": "string", "description": "as sniffed from the content"},
        "size": {"type": "integer", "description": "bytes"},
        "sha256": {"type": "string"},
        "note": {"type": "string"},
        "uploaded_by": {"type": ["string", "null"]},
        "uploaded_at": {"type": "string"},
        "url": {"type": "string", "description": "download of this version"},
    },
}
SCHEMAS["Document"] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(KINDS)},
        "kind_label": {"type": "string"},
        "title": {"type": "string"},
        "version": {"type": "integer", "description": "the newest version's number"},
        "created_at": {"type": "string"},
        "url": {"type": "string", "description": "download of the newest version"},
        "current": _VERSION,
        "versions": {"type": "array", "items": _VERSION},
    },
}
OPENAPI["paths"]["/pilots/{slug}/documents"] = {
    "get": {
        "summary": "De documenten bij een pilot, best practice of challenge: metadata en downloadadressen",
        "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": _ok(
            {
                "type": "object",
                "required": ["total", "items"],
                "properties": {
                    "total": {"type": "integer"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
                },
            }
        ),
    }
}
