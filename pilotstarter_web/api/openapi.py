"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json."""

from ..models.pilots import ENTRY_TYPES
from ..request_args import MAX_PAGE
from ..services.entry_types import STATUS_LABELS
from ..services.pilots import MAX_BODY, MAX_SUMMARY, MAX_TITLE
from .openapi_schemas import SCHEMAS

_PAGE = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]
_TYPE = {
    "name": "type",
    "in": "query",
    "schema": {"type": "string", "enum": list(ENTRY_TYPES)},
    "description": "Soort: pilot, best practice of challenge",
}
_PROBLEM = {
    "description": "Fout",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def _list_of(ref: str) -> dict:
    return {
        "type": "object",
        "required": ["total", "page", "per_page", "items"],
        "properties": {
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
        },
    }


def _ok(schema: dict) -> dict:
    return {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "400": _PROBLEM,
        "404": _PROBLEM,
    }


_SIMILAR = {
    "type": "object",
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "slug": {"type": "string"},
                    "title": {"type": "string"},
                    "type": {"$ref": "#/components/schemas/EntryType"},
                    "score": {"type": "number", "description": "cosine similarity, 0–1"},
                    "duplicate": {"type": "boolean", "description": "tier is likely or possible"},
                    "likelihood": {
                        "type": "number",
                        "description": "calibrated likelihood, 0–1, that it is the same pilot invented twice",
                    },
                    "tier": {
                        "type": "string",
                        "enum": ["likely", "possible", "related"],
                        "description": "waarschijnlijk dubbel / mogelijk dubbel / verwant (after people's corrections)",
                    },
                    "reasons": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "words that explain the match",
                    },
                },
            },
        }
    },
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Pilotstarter API", "version": "1.0", "description": "Pilots en organisaties van Pilotstarter."},
    "servers": [{"url": "/api/v1"}],
    "paths": {
        "/pilots": {
            "get": {
                "summary": "Pilots, gefilterd en gepagineerd",
                "parameters": [
                    *_PAGE,
                    _TYPE,
                    {"name": "theme", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(STATUS_LABELS)},
                        "description": "De statussen van elke soort (zie EntryType)",
                    },
                    {"name": "province", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "organisation",
                        "in": "query",
                        "schema": {"type": "string"},
                        "description": "Code: eigenaar of deelnemer",
                    },
                    {
                        "name": "sort",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["newest", "changed", "partners"]},
                    },
                ],
                "responses": _ok(_list_of("PilotSummary")),
            }
        },
        "/search": {
            "get": {
                "summary": "Zoeken in pilots (Nederlands: stammen, samenstellingen, facetten, fragmenten)",
                "description": 'Syntaxis: AND, OR, NOT, "zin", prefix*, thema:data. Een ongeldige zoekopdracht wordt als losse woorden gezocht.',
                "parameters": [
                    *_PAGE,
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 500}},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "changed"]}},
                    *[
                        {
                            "name": f,
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "string"}},
                            "explode": True,
                        }
                        for f in ("theme", "status", "province", "organisation", "scale_up")
                    ],
                    {
                        "name": "type",
                        "in": "query",
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/EntryType"}},
                        "explode": True,
                    },
                ],
                "responses": _ok(
                    {
                        "type": "object",
                        "properties": {
                            "total": {"type": "integer"},
                            "page": {"type": "integer"},
                            "per_page": {"type": "integer"},
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "slug": {"type": "string"},
                                        "title": {"type": "string"},
                                        "type": {"$ref": "#/components/schemas/EntryType"},
                                        "snippet": {"type": "string", "description": "HTML: escaped text with <mark>"},
                                        "score": {"type": "number"},
                                        "in_documents": {
                                            "type": "boolean",
                                            "description": "the snippet is from the pilot's documents",
                                        },
                                    },
                                },
                            },
                            "facets": {
                                "type": "object",
                                "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}},
                            },
                            "suggestion": {"type": ["string", "null"]},
                            "broadened": {"type": "boolean"},
                            "degraded": {"type": "boolean", "description": "true while the index is rebuilt"},
                        },
                    }
                ),
            }
        },
        "/pilots/{slug}": {
            "get": {
                "summary": "Eén pilot met tekst (Markdown en HTML), deelnemers en revisienummer",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _ok({"$ref": "#/components/schemas/Pilot"}),
            }
        },
        "/pilots/{slug}/similar": {
            "get": {
                "summary": "Vergelijkbare pilots, beste eerst; nooit de pilot zelf of een verwijderde",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
                    },
                    {"name": "min_score", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 1}},
                    {**_TYPE, "description": "Alleen deze soort (zonder: alle soorten)"},
                ],
                "responses": _ok(_SIMILAR),
            }
        },
        "/similar": {
            "post": {
                "summary": "Vergelijkbare pilots voor een nog niet opgeslagen tekst",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "title": {"type": "string", "maxLength": MAX_TITLE},
                                    "summary": {"type": "string", "maxLength": MAX_SUMMARY},
                                    "body": {"type": "string", "maxLength": MAX_BODY},
                                    "pilot": {
                                        "type": "string",
                                        "description": "slug: de tekst is een bewerking van deze pilot "
                                        "(nooit zichzelf; 'geen dubbel' telt mee)",
                                    },
                                    "type": {
                                        "$ref": "#/components/schemas/EntryType",
                                        "description": "soort van de nieuwe tekst (standaard pilot): alleen "
                                        "dezelfde soort kan een dubbel zijn",
                                    },
                                },
                            }
                        }
                    },
                },
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
                    },
                ],
                "responses": {**_ok(_SIMILAR), "413": _PROBLEM, "415": _PROBLEM, "422": _PROBLEM, "429": _PROBLEM},
            }
        },
        "/pilots/{slug}/partners": {
            "get": {
                "summary": "Organisaties die nog niet meedoen en wier eigen pilots het meest lijken, met de reden",
                "parameters": [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
                    },
                ],
                "responses": _ok(
                    {
                        "type": "object",
                        "properties": {
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "code": {"type": "string"},
                                        "name": {"type": "string"},
                                        "score": {"type": "number"},
                                        "reasons": {"type": "array", "items": {"type": "string"}},
                                        "pilots": {"type": "array", "items": {"type": "string"}},
                                    },
                                },
                            }
                        },
                    }
                ),
            }
        },
        "/notifications": {
            "get": {
                "summary": "Meldingen van de ingelogde gebruiker, nieuwste eerst (sessie-cookie of API-token)",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                    {
                        "name": "unread",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["0", "1"]},
                        "description": "1: alleen ongelezen meldingen",
                    },
                ],
                "responses": {
                    **_ok(
                        {
                            **_list_of("Notification"),
                            "properties": {
                                **_list_of("Notification")["properties"],
                                "unread": {"type": "integer", "description": "aantal ongelezen meldingen"},
                            },
                        }
                    ),
                    "401": _PROBLEM,
                },
            }
        },
        "/notifications/read": {
            "post": {
                "summary": "Meldingen als gelezen markeren: deze ids, of alle (sessie-cookie, of API-token met schrijfrechten)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "ids": {
                                        "type": "array",
                                        "items": {"type": "integer"},
                                        "maxItems": 1000,
                                        "description": "weglaten: alle meldingen",
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    **_ok(
                        {
                            "type": "object",
                            "properties": {"marked": {"type": "integer"}, "unread": {"type": "integer"}},
                        }
                    ),
                    "401": _PROBLEM,
                    "415": _PROBLEM,
                },
            }
        },
        "/portfolio/meetings": {
            "get": {
                "summary": "Besluiten van het portfolio-overleg per overleg (open data), nieuwste eerst",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                ],
                "responses": _ok(_list_of("Meeting")),
            }
        },
        "/portfolio/meetings/{meeting_id}": {
            "get": {
                "summary": "De besluiten van één portfolio-overleg (404 zolang er geen besluit is)",
                "parameters": [{"name": "meeting_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {**_ok({"$ref": "#/components/schemas/Meeting"}), "404": _PROBLEM},
            }
        },
        "/organisations": {
            "get": {
                "summary": "Organisaties",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["municipality", "supplier", "association", "other"]},
                    },
                    {"name": "province", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": _ok(_list_of("Organisation")),
            }
        },
        "/organisations/{code}": {
            "get": {
                "summary": "Eén organisatie met haar pilots",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _ok({"$ref": "#/components/schemas/Organisation"}),
            }
        },
    },
    "components": {"schemas": SCHEMAS},
}
