"""Reading a search request from query arguments: shared by the search page and the JSON API."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from search_index.fulltext import FACETS, SORTS, SearchRequest

MAX_PAGE = 500


def search_request_from_args(args: MultiDict, default_per_page: int = 20) -> SearchRequest:
    """Nonsense values fall back to defaults: a search URL never produces an error page."""

    def positive(name: str, default: int, upper: int) -> int:
        try:
            return min(max(int(args.get(name, default)), 1), upper)
        except (TypeError, ValueError):
            return default

    filters = {name: tuple(v[:100] for v in args.getlist(name) if v)[:10] for name in FACETS}
    return SearchRequest(
        query=(args.get("q") or "")[:500],
        filters={k: v for k, v in filters.items() if v},
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
        page=positive("page", 1, MAX_PAGE),
        per_page=positive("per_page", default_per_page, 100),
    )
