"""GET /api/v1/pilots, /pilots/<slug>, /organisations, /organisations/<code>, /openapi.json."""

from __future__ import annotations

from flask import abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from search_index.fulltext import SORTS

from ..database import reads_only
from ..errors import problem
from ..extensions import csrf
from ..json_body import TEXT_FIELDS, Expect, json_object
from ..models.pilots import ENTRY_TYPES
from ..rate_limits import configured, limiter
from ..search.requests import search_request_from_args
from ..services import notifications, portfolio
from ..services.fulltext_search import search_service
from ..services.matchmaking import duplicates, partner_suggestions
from ..services.matchmaking.duplicates import similar_pilots
from ..services.organisations import get_organisation, list_organisations
from ..services.pilot_queries import PilotFilters, get_pilot, list_pilots, owned_and_joined
from ..services.pilots import check_draft_size
from ..services.themes import STATUS_LABELS, THEMES
from ..transactions import commits
from . import bp
from . import docs as docs_page
from .auth import require_api_writer
from .openapi import MAX_PAGE, OPENAPI
from .serializers import (
    notification_json,
    organisation_json,
    pilot_detail_json,
    pilot_summary_json,
    search_hit_json,
)


class BadParameterError(ValueError):
    pass


def _int(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameterError(_("'%(name)s' moet een geheel getal zijn.", name=name)) from None
    if value < 1 or (maximum is not None and value > maximum):
        limit = maximum or _("oneindig")
        raise BadParameterError(_("'%(name)s' moet tussen 1 en %(maximum)s liggen.", name=name, maximum=limit))
    return value


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    if value and value not in allowed:
        raise BadParameterError(_("Onbekende waarde voor '%(name)s': %(value)s", name=name, value=value))
    return value


@bp.errorhandler(BadParameterError)
def _bad_parameter(exc: BadParameterError):
    return problem(400, str(exc))


@bp.get("/pilots")
def pilots():
    """Pilots with paging and the same filters as the pilot list."""
    filters = PilotFilters(
        theme=_choice("theme", THEMES), status=_choice("status", STATUS_LABELS), entry_type=_choice("type", ENTRY_TYPES),
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


@bp.get("/docs")
def docs():
    """The API for people: every endpoint with its parameters and an example answer (from the same document)."""
    return render_template("api/docs.html", info=OPENAPI["info"], endpoints=docs_page.endpoints(OPENAPI))


def _similar_json(pairs, min_score: float) -> dict:
    return {
        "items": [
            {
                "slug": p.slug,
                "title": p.title,
                "type": p.entry_type,
                "score": m.score,
                "duplicate": m.duplicate,
                "likelihood": m.likelihood,
                "tier": m.tier.value,
                "reasons": m.reasons,
            }
            for p, m in pairs
            if m.score >= min_score
        ]
    }


def _min_score() -> float:
    raw = request.args.get("min_score")
    try:
        value = float(raw) if raw is not None else 0.0
    except ValueError:
        value = -1.0  # refused below, with the one message
    if not 0.0 <= value <= 1.0:
        raise BadParameterError(_("'min_score' moet een getal tussen 0 en 1 zijn."))
    return value


@bp.get("/pilots/<slug>/similar")
def similar(slug: str):
    """Similar pilots, best first, never the pilot itself or a deleted one."""
    pilot = get_pilot(slug)
    limit, min_score = _int("limit", 5, 50), _min_score()
    entry_type = _choice("type", ENTRY_TYPES)
    pairs = similar_pilots(pilot, limit=limit, types=(entry_type,) if entry_type else None)  # "geen dubbel" applied
    return jsonify(_similar_json(pairs, min_score))


@bp.post("/similar")
@reads_only
@csrf.exempt  # reads only: nothing changes, so there is nothing to forge
@limiter.limit(configured("RATELIMIT_SIMILAR"))  # anonymous and expensive: a TF-IDF comparison per call
def similar_to_text():
    """Similar pilots for unsaved text: {"title", "summary", "body"}, and "pilot" (a slug) when the text is an
    edit of that pilot: then never itself, and its "geen dubbel" marks applied, as on its page."""
    data = json_object({**TEXT_FIELDS, "pilot": Expect.TEXT, "type": Expect.TEXT})
    title, summary, body = (data.get(k, "") for k in ("title", "summary", "body"))
    check_draft_size(title, summary, body)  # the form's limits: 422 problem+json naming the field
    limit, min_score = _int("limit", 5, 50), _min_score()
    editing = get_pilot(data["pilot"]) if data.get("pilot") else None
    entry_type = data.get("type") or None
    if entry_type is not None and entry_type not in ENTRY_TYPES:
        raise BadParameterError(_("Onbekende waarde voor '%(name)s': %(value)s", name="type", value=entry_type))
    pairs = duplicates.similar_to_text(title, summary, body, limit=limit, pilot=editing, entry_type=entry_type)
    return jsonify(_similar_json(pairs, min_score))


@bp.get("/pilots/<slug>/partners")
def partners(slug: str):
    """Organisations not yet taking part whose own pilots are most similar, with the reasons."""
    pilot = get_pilot(slug)
    found = partner_suggestions.for_pilot(pilot, limit=_int("limit", 5, 50))  # the pilot page's suggestions
    return jsonify(
        {
            "items": [
                {
                    "code": s.organisation.code,
                    "name": s.organisation.name,
                    "score": s.score,
                    "reasons": s.reasons,
                    "pilots": [p.slug for p in s.pilots],
                }
                for s in found
            ]
        }
    )


MAX_MARK_IDS = 1000


def _logged_in_user():
    """The session's user; the notification endpoints answer 401 problem+json without one."""
    if not current_user.is_authenticated:
        abort(problem(401, _("Log in om uw meldingen te zien.")))
    return current_user._get_current_object()


@bp.get("/notifications")
def notification_list():
    """The logged-in user's notifications, newest first; ?unread=1 for only the unread ones."""
    user = _logged_in_user()
    page = _int("page", 1, MAX_PAGE)
    unread_only = _choice("unread", ("0", "1")) == "1"
    items, total = notifications.for_user(user, page, unread_only)
    return jsonify(
        {
            "total": total,
            "page": page,
            "per_page": notifications.PER_PAGE,
            "unread": notifications.unread_count(user),
            "items": [notification_json(n) for n in items],
        }
    )


@bp.post("/notifications/read")
@commits
def notification_mark_read():
    """Mark the user's notifications read: {"ids": [...]} or {} for all.

    JSON only: a cross-site form cannot send it, and this API is exempt from CSRF form tokens.
    """
    user = _logged_in_user()
    require_api_writer()  # a read-only token may not mark anything
    ids = json_object({"ids": Expect.INT_LIST}).get("ids")
    if ids is not None and len(ids) > MAX_MARK_IDS:
        raise BadParameterError(_("'ids' moet een lijst van hooguit %(max)d gehele getallen zijn.", max=MAX_MARK_IDS))
    marked = notifications.mark_read(user, ids)
    return jsonify({"marked": marked, "unread": notifications.unread_count(user)})


@bp.get("/portfolio/meetings")
def portfolio_meetings():
    """Decisions of the portfolio consultation per meeting, newest first: open data.

    Only meetings with a decision are listed, and only their decided items: agendas under discussion and the
    internal minutes are not published.
    """
    page = _int("page", 1, MAX_PAGE)
    per_page = _int("per_page", 20, 100)
    items, total = portfolio.decided_meetings(page, per_page)
    return jsonify(
        {"total": total, "page": page, "per_page": per_page, "items": [portfolio.public_meeting_json(m) for m in items]}
    )


@bp.get("/portfolio/meetings/<int:meeting_id>")
def portfolio_meeting(meeting_id: int):
    """One meeting's decisions; 404 while it has none."""
    return jsonify(portfolio.public_meeting_json(portfolio.get_public_meeting(meeting_id)))
