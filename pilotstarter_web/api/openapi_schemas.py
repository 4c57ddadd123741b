"""The JSON API's data shapes (OpenAPI ``components.schemas``), referred to by openapi.py's paths."""

from ..models.pilots import ENTRY_TYPES
from ..services.entry_types import STATUSES_BY_TYPE

_CALL_FIELDS = {
    "id": {"type": "integer"},
    "slug": {"type": "string"},
    "title": {"type": "string"},
    "state": {"type": "string", "enum": ["open", "gesloten", "selectie_gepubliceerd"]},
    "opens_on": {"type": "string", "format": "date"},
    "closes_on": {"type": "string", "format": "date"},
    "min_cofunding_percent": {"type": "integer"},
    "budget": {"type": ["integer", "null"]},
    "submissions": {"type": "integer", "description": "ingediende challenges (geen concepten)"},
}
SCHEMAS = {
    "EntryType": {
        "type": "string",
        "enum": list(ENTRY_TYPES),
        "description": "pilot, best practice of challenge; statussen per soort: "
        + "; ".join(f"{t}: {', '.join(STATUSES_BY_TYPE[t])}" for t in ENTRY_TYPES),
    },
    "Adoption": {
        "type": "object",
        "description": "een organisatie die deze opgeschaalde pilot of goede praktijk overneemt (zonder contact)",
        "properties": {
            "organisation": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "stage": {"type": "string", "enum": ["gepland", "in_uitvoering", "in_gebruik"]},
            "since": {"type": "string", "format": "date", "description": "de dag waarop de huidige fase begon"},
        },
    },
    "CallSummary": {"type": "object", "properties": _CALL_FIELDS},
    "Call": {
        "type": "object",
        "description": "een oproep; individuele scores en de commissie staan er nooit in",
        "properties": {
            **_CALL_FIELDS,
            "description": {"type": "string", "description": "Markdown"},
            "criteria": {"type": "array", "items": {"type": "object"}},
            "submitted": {"type": "array", "items": {"type": "object"}},
            "published_at": {"type": ["string", "null"]},
            "ranking": {
                "type": "array",
                "description": "leeg tot de selectie is gepubliceerd",
                "items": {"type": "object"},
            },
        },
    },
    "Decision": {
        "type": "object",
        "properties": {
            "decision": {"type": "string", "enum": ["opschalen", "niet_nu", "meer_informatie"]},
            "rationale": {"type": "string"},
            "follow_up": {"type": "array", "items": {"type": "string"}},
            "decided_at": {"type": ["string", "null"]},
            "meeting": {"type": ["object", "null"]},
        },
    },
    "Meeting": {
        "type": "object",
        "description": "een portfolio-overleg met alleen de genomen besluiten (het verslag is intern)",
        "properties": {
            "id": {"type": "integer"},
            "date": {"type": "string", "format": "date"},
            "title": {"type": "string"},
            "decisions": {"type": "array", "items": {"type": "object"}},
        },
    },
    "Problem": {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    },
    "Organisation": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "display_name": {"type": "string"},
            "kind": {"type": "string"},
            "province": {"type": ["string", "null"]},
            "country": {"type": "string"},
            "url": {"type": "string"},
        },
    },
    "Notification": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "description": "bijv. pilot.similar_published, pilot.invited"},
            "text": {"type": "string", "description": "de melding in de taal van de gebruiker"},
            "pilot": {"type": ["string", "null"], "description": "slug van de pilot"},
            "created_at": {"type": "string"},
            "read": {"type": "boolean"},
            "url": {"type": "string", "description": "opent de pilot en markeert de melding als gelezen"},
        },
    },
    "PilotSummary": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "type": {"$ref": "#/components/schemas/EntryType"},
            "summary": {"type": "string"},
            "status": {"type": "string", "description": "een status van de soort (zie EntryType)"},
            "themes": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "scale_up": {
                "type": "object",
                "description": "opschaling: fase (geen, genomineerd, teruggestuurd, opschaalbaar, geagendeerd, "
                "wordt_opgeschaald, niet_nu, meer_informatie) en het laatste besluit van het portfolio-overleg",
                "properties": {
                    "state": {"type": "string"},
                    "decision": {"oneOf": [{"$ref": "#/components/schemas/Decision"}, {"type": "null"}]},
                },
            },
            "duplicate_of": {
                "type": ["string", "null"],
                "description": "slug van de hoofdpilot als VNG deze pilot als dubbel markeerde",
            },
            "merged": {
                "type": "boolean",
                "description": "samengevoegd met duplicate_of: de pagina verwijst door, de geschiedenis blijft",
            },
            "owner": {"type": "object"},
            "created_at": {"type": "string"},
            "updated_at": {"type": "string"},
            "url": {"type": "string"},
        },
    },
    "Pilot": {
        "allOf": [
            {"$ref": "#/components/schemas/PilotSummary"},
            {
                "type": "object",
                "properties": {
                    "revision": {"type": "integer"},
                    "body_markdown": {"type": "string"},
                    "body_html": {"type": "string"},
                    "last_editor": {"type": ["string", "null"]},
                    "participants": {"type": "array", "items": {"type": "object"}},
                    "adoptions": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Adoption"},
                        "description": "wie dit overneemt; leeg tenzij de pilot wordt opgeschaald of een goede "
                        "praktijk is",
                    },
                },
            },
        ]
    },
}
