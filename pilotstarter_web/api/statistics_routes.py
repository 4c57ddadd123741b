"""GET /api/v1/statistics: the figures of /statistieken as open data.

Registers its path and schemas in the OpenAPI document here, next to the route, so the two cannot drift
(as comment_routes.py does).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import jsonify

from ..services import statistics
from ..services.statistics import Count, Timeline
from . import bp
from .openapi import OPENAPI
from .openapi_schemas import SCHEMAS


def _counts(counts: list[Count]) -> list[dict[str, Any]]:
    return [{"key": c.key, "label": c.label, "count": c.value} for c in counts]


def _timeline(timeline: Timeline) -> dict[str, Any]:
    return {
        "granularity": timeline.granularity,
        "folded": timeline.folded,
        "periods": [
            {"period": p.key, "label": p.label, "start": p.start.isoformat(), "new": p.new, "total": p.cumulative}
            for p in timeline.periods
        ],
    }


def statistics_json(stats: statistics.Statistics) -> dict[str, Any]:
    """The same numbers as the page; labels in the request's language, keys stable."""
    return {
        "pilots": stats.pilots,
        "municipalities": stats.municipalities,
        "scaled_up": stats.scaled_up,
        "share": {
            "country": statistics.SHARE_COUNTRY,
            "taking_part": stats.share_taking_part,
            "total": stats.share_total,
            "percent": stats.share_percent,
        },
        "pilots_over_time": _timeline(stats.pilots_over_time),
        "municipalities_over_time": _timeline(stats.municipalities_over_time),
        "types": _counts(stats.types),
        "themes": _counts(stats.themes),
        "statuses": _counts(stats.statuses),
        "provinces": _counts(stats.provinces),
        "scale_up_states": _counts(stats.scale_up_states),
        "pilots_per_municipality": _counts(stats.pilots_per_municipality),
        "decision_durations": [asdict(d) for d in stats.durations],
        "adoptions": {
            "stages": _counts(stats.adoptions),
            "entries": stats.reused_entries,
            "organisations": stats.adopting_organisations,
        },
    }


@bp.get("/statistics")
def statistics_figures():
    return jsonify(statistics_json(statistics.current()))


_COUNTS = {"type": "array", "items": {"$ref": "#/components/schemas/StatisticsCount"}}
_TIMELINE = {
    "type": "object",
    "properties": {
        "granularity": {"type": "string", "enum": ["month", "quarter", "year"]},
        "folded": {"type": "boolean", "description": "the first period also counts everything before it"},
        "periods": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "period": {"type": "string", "description": "2025-03, 2025-Q1 or 2025"},
                    "label": {"type": "string"},
                    "start": {"type": "string", "format": "date"},
                    "new": {"type": "integer"},
                    "total": {"type": "integer", "description": "cumulative up to and including this period"},
                },
            },
        },
    },
}
SCHEMAS["StatisticsCount"] = {
    "type": "object",
    "properties": {"key": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}},
}
SCHEMAS["Statistics"] = {
    "type": "object",
    "description": "zichtbare pilots (niet verwijderd of samengevoegd); een gemeente doet mee als initiatiefnemer, "
    "partner of leverancier met eigen instemming",
    "properties": {
        "pilots": {"type": "integer"},
        "municipalities": {"type": "integer", "description": "municipalities taking part in at least one pilot"},
        "scaled_up": {"type": "integer", "description": "pilots the portfolio consultation decided to scale up"},
        "share": {
            "type": "object",
            "description": "the share of the Dutch municipalities taking part",
            "properties": {
                "country": {"type": "string"},
                "taking_part": {"type": "integer"},
                "total": {"type": "integer"},
                "percent": {"type": "number"},
            },
        },
        "pilots_over_time": _TIMELINE,
        "municipalities_over_time": {**_TIMELINE, "description": "each municipality from the first time it took part"},
        "types": {**_COUNTS, "description": "entries per type: pilot, best_practice, challenge"},
        "themes": _COUNTS,
        "statuses": _COUNTS,
        "provinces": {**_COUNTS, "description": "pilots in which a municipality of the province takes part"},
        "scale_up_states": _COUNTS,
        "pilots_per_municipality": {
            **_COUNTS,
            "description": "municipalities by their number of pilots: 1, 2, 3-5, 6+",
        },
        "adoptions": {
            "type": "object",
            "description": "reuse: organisations adopting a scaled-up pilot or a best practice",
            "properties": {
                "stages": {**_COUNTS, "description": "adoptions per stage (gepland, in_uitvoering, in_gebruik)"},
                "entries": {"type": "integer", "description": "entries with at least one adoption"},
                "organisations": {"type": "integer", "description": "organisations adopting at least one"},
            },
        },
        "decision_durations": {
            "type": "array",
            "description": "days from nomination to the consultation's decision, per outcome",
            "items": {
                "type": "object",
                "properties": {
                    "decision": {"type": "string", "enum": ["opschalen", "niet_nu", "meer_informatie"]},
                    "label": {"type": "string"},
                    "count": {"type": "integer"},
                    "median_days": {"type": "number"},
                    "min_days": {"type": "number"},
                    "max_days": {"type": "number"},
                },
            },
        },
    },
}
OPENAPI["paths"]["/statistics"] = {
    "get": {
        "summary": "De cijfers van de statistiekenpagina",
        "parameters": [],
        "responses": {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Statistics"}}},
            }
        },
    }
}
