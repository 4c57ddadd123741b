"""GET /search: results with highlighted snippets, facet filters with counts, sorting and paging."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..account.following_forms import SaveSearchForm
from ..extensions import db
from ..models import Organisation
from ..services import saved_searches
from ..services.entry_types import type_plural
from ..services.fulltext_search import search_service
from ..services.permissions import can_write
from ..services.scaleup import STATE_LABELS
from ..services.text_input import clean_line
from ..services.themes import STATUS_LABELS, THEMES
from . import bp
from .requests import search_request_from_args

FACET_TITLES = {
    "type": _l("Soort"),
    "theme": _l("Thema"),
    "status": _l("Status"),
    "province": _l("Provincie"),
    "organisation": _l("Organisatie"),
    "scale_up": _l("Opschaling"),
}
SCALE_UP_LABELS = STATE_LABELS  # one set of labels for the route's states
FACET_LIMIT = 12


def facet_labels(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """Readable names for facet values (theme keys, status keys, organisation codes)."""
    codes = list(facets.get("organisation", {}))
    names = dict(
        db.session.execute(select(Organisation.code, Organisation.name).where(Organisation.code.in_(codes))).all()
    )
    return {
        "type": {k: type_plural(k) for k in facets.get("type", {})},
        "theme": {k: str(THEMES.get(k, k)) for k in facets.get("theme", {})},
        "status": {k: str(STATUS_LABELS.get(k, k)) for k in facets.get("status", {})},
        "province": {k: k for k in facets.get("province", {})},
        "organisation": {k: names.get(k, k) for k in codes},
        "scale_up": {k: str(SCALE_UP_LABELS.get(k, k)) for k in facets.get("scale_up", {})},
    }


@bp.get("")
def index():
    search = search_request_from_args(request.args)
    result, from_index = search_service().search(search)
    pages = max(1, -(-result.total // result.per_page))
    return render_template(
        "search/index.html",
        search=search,
        result=result,
        from_index=from_index,
        pages=pages,
        labels=facet_labels(result.facets),
        facet_titles=FACET_TITLES,
        facet_limit=FACET_LIMIT,
        saved=_saved(search.query, search.filters) if can_write(current_user) else None,
        save_form=SaveSearchForm(formdata=None),
    )


def _saved(query: str, filters: dict[str, tuple[str, ...]]):
    """The user's saved search for exactly this search, if any: "U volgt deze zoekopdracht" instead of the button."""
    return saved_searches.find_same(current_user, clean_line(query), saved_searches.clean_filters(filters))


@bp.get("/suggest")
def suggest():
    """Title autocomplete for the header search box: [{"slug", "title", "url"}]."""
    prefix = (request.args.get("q") or "")[:100]
    items = search_service().autocomplete(prefix, limit=8)
    return jsonify([{"slug": slug, "title": title, "url": f"/pilots/{slug}"} for slug, title in items])
