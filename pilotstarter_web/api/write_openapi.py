"""The write API and token authentication in the OpenAPI document (write_routes.py, auth.py), kept beside
openapi.py so neither grows past a screenful of paths; the docs page (/api/v1/docs) renders them the same way."""

from __future__ import annotations

from ..json_body import MAX_LIST
from ..models.pilots import ENTRY_TYPES
from ..services.comments import MAX_BODY as MAX_COMMENT
from ..services.entry_types import STATUS_LABELS
from ..services.pilots import MAX_BODY, MAX_EDIT_SUMMARY, MAX_SUMMARY, MAX_TITLE
from ..services.themes import THEMES
from .openapi import _PROBLEM, OPENAPI
from .openapi_schemas import SCHEMAS

BEARER = [{"bearerAuth": []}]
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "dezelfde sleutel bij een herhaald verzoek: het eerste resultaat komt terug, niets dubbel",
}
_TEXTS = {"type": "array", "maxItems": MAX_LIST, "items": {"type": "string"}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: str) -> dict:
    """The problem+json answers every write can give, plus ``codes``."""
    found = {code: _PROBLEM for code in ("400", "401", "403", "404", "413", "415", "422", "429", *codes)}
    found["409"] = {
        "description": "Conflict",
        "content": {"application/problem+json": {"schema": _ref("ConflictProblem")}},
    }
    return found


def _body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _write(summary: str, ok: dict, *, body: dict | None = None, params: list | None = None, **extra) -> dict:
    operation = {"summary": summary, "security": BEARER, "parameters": params or [], "responses": {**ok, **_errors()}}
    if body is not None:
        operation["requestBody"] = body
    operation.update(extra)
    return operation


_PILOT_PROPERTIES = {
    "title": {"type": "string", "maxLength": MAX_TITLE},
    "summary": {"type": "string", "maxLength": MAX_SUMMARY},
    "body": {"type": "string", "maxLength": MAX_BODY, "description": "Markdown"},
    "themes": {**_TEXTS, "items": {"type": "string", "enum": list(THEMES)}},
    "tags": {**_TEXTS, "description": "hooguit 10 (na het weglaten van dubbele)"},
    "status": {"type": "string", "enum": list(STATUS_LABELS), "description": "een status van de soort van het item"},
    "edit_summary": {"type": "string", "maxLength": MAX_EDIT_SUMMARY},
}

SCHEMAS.update(
    {
        "PilotInput": {
            "type": "object",
            "required": ["title"],
            "example": {
                "title": "Slimme lantaarnpalen",
                "summary": "Lantaarnpalen die dimmen als er niemand is.",
                "body": "## Aanleiding\n\nDe energierekening van de openbare verlichting stijgt.\n",
                "themes": ["duurzaamheid"],
                "tags": ["verlichting"],
                "status": "idee",
                "partners": ["GM0363"],
            },
            "properties": {
                **_PILOT_PROPERTIES,
                "type": {
                    "type": "string",
                    "enum": list(ENTRY_TYPES),
                    "default": "pilot",
                    "description": "soort: pilot, best practice of challenge; ligt vast na publiceren",
                },
                "partners": {**_TEXTS, "description": "codes van organisaties; zij krijgen een uitnodiging"},
                "reviewed": {
                    **_TEXTS,
                    "description": "slugs van mogelijk dubbele pilots die u bekeek (na een 409 met duplicates)",
                },
            },
        },
        "PilotEdit": {
            "type": "object",
            "required": ["base_revision"],
            "example": {"base_revision": 1, "status": "lopend", "edit_summary": "De pilot is begonnen"},
            "description": "weggelaten velden houden de waarde van base_revision",
            "properties": {
                "base_revision": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "het revisienummer waarop u uw wijziging maakte",
                },
                **_PILOT_PROPERTIES,
            },
        },
        "EditResult": {
            "type": "object",
            "required": ["saved", "auto_merged", "pilot"],
            "properties": {
                "saved": {"type": "boolean", "description": "false: er was niets gewijzigd"},
                "auto_merged": {
                    "type": "boolean",
                    "description": "iemand anders wijzigde intussen; niet-overlappende wijzigingen zijn samengevoegd",
                },
                "pilot": _ref("Pilot"),
            },
        },
        "ConflictProblem": {
            "description": "409: een bewerkingsconflict (met current_revision en merged_text) of, bij aanmaken, "
            "mogelijk dubbele pilots (duplicates)",
            "allOf": [
                _ref("Problem"),
                {
                    "type": "object",
                    "properties": {
                        "current_revision": {"type": "integer", "description": "stuur dit als nieuwe base_revision"},
                        "base_revision": {"type": "integer"},
                        "merged_text": {
                            "type": "object",
                            "properties": {
                                "segments": {
                                    "type": "array",
                                    "description": "de beschrijving op volgorde: tekst waarover beide kanten het "
                                    "eens zijn ({agreed}) en conflicten ({yours, theirs, base})",
                                    "items": {
                                        "oneOf": [
                                            {
                                                "type": "object",
                                                "required": ["agreed"],
                                                "properties": {"agreed": {"type": "string"}},
                                                "additionalProperties": False,
                                            },
                                            {
                                                "type": "object",
                                                "required": ["yours", "theirs", "base"],
                                                "properties": {
                                                    "yours": {"type": "string"},
                                                    "theirs": {"type": "string"},
                                                    "base": {"type": "string"},
                                                },
                                                "additionalProperties": False,
                                            },
                                        ]
                                    },
                                },
                                "conflicts": {"type": "integer"},
                            },
                        },
                        "field_conflicts": {
                            "type": "object",
                            "description": "titel, samenvatting, status of tags die beide kanten anders wijzigden",
                            "additionalProperties": {
                                "type": "object",
                                "properties": {"yours": {"type": "string"}, "theirs": {"type": "string"}},
                            },
                        },
                        "merged": {"type": "object", "description": "de overige velden zoals samengevoegd"},
                        "duplicates": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "slug": {"type": "string"},
                                    "title": {"type": "string"},
                                    "tier": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            ],
        },
        "Participation": {
            "type": "object",
            "properties": {
                "pilot": {"type": "string"},
                "organisation": {"type": "string"},
                "role": {"type": ["string", "null"], "enum": ["partner", "supplier", "interested", None]},
                "left": {"type": ["string", "null"], "description": "de rol die uw organisatie had (bij DELETE)"},
            },
        },
        "Following": {
            "type": "object",
            "required": ["following", "changed"],
            "properties": {"following": {"type": "boolean"}, "changed": {"type": "boolean"}},
        },
        "Me": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "email": {"type": "string"},
                "organisation": _ref("Organisation"),
                "role": {"type": "string", "enum": ["member", "vng_staff", "admin"]},
                "verified": {"type": "boolean", "description": "alleen geverifieerde accounts schrijven"},
                "authenticated_by": {"type": "string", "enum": ["token", "session"]},
                "scopes": {"type": "array", "items": {"type": "string", "enum": ["read", "write"]}},
                "token": {
                    "type": ["object", "null"],
                    "properties": {
                        "name": {"type": "string"},
                        "prefix": {"type": "string"},
                        "expires_at": {"type": ["string", "null"]},
                    },
                },
            },
        },
    }
)

OPENAPI["components"]["securitySchemes"] = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "Een persoonlijk API-token (pst_…), te maken op /account/tokens; lezen, of lezen en schrijven",
    }
}
_FOLLOW = {
    "post": _write("Volgen (meldingen van nieuws)", {"200": _json(_ref("Following"))}),
    "delete": _write("Niet meer volgen", {"200": _json(_ref("Following"))}),
}
OPENAPI["paths"].update(
    {
        "/me": {
            "get": {
                "summary": "Wie u bent: account, organisatie en de rechten van uw token",
                "security": BEARER,
                "parameters": [],
                "responses": {"200": _json(_ref("Me")), "401": _PROBLEM, "429": _PROBLEM},
            }
        },
    }
)
OPENAPI["paths"]["/pilots"]["post"] = _write(
    "Een pilot publiceren (201 met Location); mogelijk dubbele pilots geven eerst 409 met duplicates",
    {"201": _json(_ref("Pilot"), "Gepubliceerd")},
    body=_body(_ref("PilotInput")),
    params=[_IDEMPOTENCY],
)
_edit = _write(
    "Een pilot bewerken vanaf base_revision; overlappende wijzigingen van een ander geven 409 met merged_text",
    {"200": _json(_ref("EditResult"))},
    body=_body(_ref("PilotEdit")),
    params=[_SLUG, _IDEMPOTENCY],
    description="Is base_revision niet meer de nieuwste, dan wordt driewegs samengevoegd zoals op de pagina. "
    "Bij een conflict wordt niets opgeslagen: los de conflicten op en stuur het opnieuw met "
    "base_revision = current_revision. PUT en PATCH werken gelijk.",
)
OPENAPI["paths"]["/pilots/{slug}"].update({"put": _edit, "patch": _edit})
OPENAPI["paths"]["/pilots/{slug}/participation"] = {
    "post": _write(
        "Meedoen met een pilot namens uw organisatie (partner, of leverancier) of interesse tonen",
        {"200": _json(_ref("Participation"))},
        params=[_SLUG],
        body=_body(
            {
                "type": "object",
                "properties": {
                    "role": {"type": "string", "enum": ["partner", "supplier", "interested"], "default": "partner"},
                    "organisation": {"type": "string", "description": "code; alleen uw eigen organisatie"},
                },
            },
            required=False,
        ),
    ),
    "delete": _write("Uw organisatie van de pilot halen", {"200": _json(_ref("Participation"))}, params=[_SLUG]),
}
OPENAPI["paths"]["/pilots/{slug}/follow"] = {k: {**v, "parameters": [_SLUG]} for k, v in _FOLLOW.items()}
OPENAPI["paths"]["/themes/{key}/follow"] = {
    k: {**v, "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}]}
    for k, v in _FOLLOW.items()
}
OPENAPI["paths"]["/organisations/{code}/follow"] = {
    k: {**v, "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]}
    for k, v in _FOLLOW.items()
}
OPENAPI["paths"]["/pilots/{slug}/comments"]["post"] = _write(
    "Reageren op een pilot, of antwoorden met parent (Markdown)",
    {"201": _json(_ref("Comment"), "Geplaatst")},
    params=[_SLUG],
    body=_body(
        {
            "type": "object",
            "required": ["body"],
            "properties": {
                "body": {"type": "string", "minLength": 1, "maxLength": MAX_COMMENT},
                "parent": {"type": "integer", "description": "id van de reactie waarop u antwoordt"},
            },
        }
    ),
)
OPENAPI["paths"]["/pilots/{slug}/not-duplicate"] = {
    "post": _write(
        "'Geen dubbel': deze pilot en een andere zijn niet dezelfde pilot",
        {
            "200": _json(
                {
                    "type": "object",
                    "properties": {
                        "pilot": {"type": "string"},
                        "other": {"type": "string"},
                        "reason": {"type": "string"},
                        "duplicate": {"type": "boolean"},
                    },
                }
            )
        },
        params=[_SLUG],
        body=_body(
            {
                "type": "object",
                "required": ["other"],
                "properties": {
                    "other": {"type": "string", "description": "slug van de andere pilot"},
                    "reason": {"type": "string", "maxLength": 300},
                },
            }
        ),
    )
}
