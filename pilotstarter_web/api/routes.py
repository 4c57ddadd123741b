"""GET /api/v1/pilots, /pilots/<slug>, /organisations, /organisations/<code>, /openapi.json."""

from __future__ import annotations

from flask import jsonify, request

from search_index.fulltext import SORTS

from ..errors import problem
from ..search.requests import search_request_from_args
from ..services.organisations import get_organisation, list_organisations
from ..services.pilot_queries import PilotFilters, get_pilot, list_pilots, owned_and_joined
from ..services.search import search_service
from ..services.themes import STATUS_LABELS, THEMES
from . import bp
from .openapi import MAX_PAGE, OPENAPI
from .serializers import organisation_json, pilot_detail_json, pilot_summary_json, search_hit_json


class BadParameterError(ValueError):
    pass


def _int(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameterError(f"'{name}' moet een geheel getal zijn.") from None
    if value < 1 or (maximum is not None and value > maximum):
        raise BadParameterError(f"'{name}' moet tussen 1 en {maximum or 'oneindig'} liggen.")
    return value


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    if value and value not in allowed:
        raise BadParameterError(f"Onbekende waarde voor '{name}': {value}")
    return value


@bp.errorhandler(BadParameterError)
def _bad_parameter(exc: BadParameterError):
    return problem(400, str(exc))


@bp.get("/pilots")
def pilots():
    """Pilots with paging and the same filters as the pilot list."""
    filters = PilotFilters(
        theme=_choice("theme", THEMES), status=_choice("status", STATUS_LABELS),
        province=request.args.get("province", ""), organisation=request.args.get("organisation", ""),
        sort=_choice("sort", ("newest", "changed", "partners")) or "newest",
        page=_int("page", 1, MAX_PAGE), per_page=_int("per_page", 20, 100),
    )  # fmt: skip
    items, total = list_pilots(filters)
    return jsonify(
        {
            "total": total,
            "page": filters.page,
            "per_page": filters.per_page,
            "items": [pilot_summary_json(p) for p in items],
        }
    )


@bp.get("/search")
def search():
    """Full-text search; the same engine and request parsing as the search page, with strict paging."""
    query = search_request_from_args(request.args)
    query.page, query.per_page = _int("page", 1, MAX_PAGE), _int("per_page", 20, 100)
    query.sort = _choice("sort", SORTS) or "relevance"
    result, from_index = search_service().search(query)
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "items": [search_hit_json(hit) for hit in result.hits],
            "facets": result.facets,
            "suggestion": result.suggestion,
            "broadened": result.broadened,
            "degraded": not from_index,
        }
    )


@bp.get("/pilots/<slug>")
def pilot(slug: str):
    return jsonify(pilot_detail_json(get_pilot(slug)))


@bp.get("/organisations")
def organisations():
    page, per_page = _int("page", 1, MAX_PAGE), _int("per_page", 50, 500)
    kind = _choice("kind", ("municipality", "supplier", "association", "other"))
    rows, total = list_organisations(
        request.args.get("q", "")[:100], kind, request.args.get("province", ""), page, per_page
    )
    items = [{**organisation_json(o), "pilot_count": n} for o, n in rows]
    return jsonify({"total": total, "page": page, "per_page": per_page, "items": items})


@bp.get("/organisations/<code>")
def organisation(code: str):
    org = get_organisation(code)
    owned, joined = owned_and_joined(org)
    return jsonify(
        {
            **organisation_json(org),
            "pilots": [p.slug for p in owned],
            "participates_in": [{"slug": p.slug, "role": role} for p, role in joined],
        }
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)
