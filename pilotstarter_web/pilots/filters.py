"""The pilot list's query arguments, parsed once for /pilots and for the open-data exports of the same list."""

from __future__ import annotations

from flask import request

from ..request_args import int_arg
from ..services import entry_types
from ..services.pilot_queries import PilotFilters
from ..services.themes import STATUS_LABELS, THEMES


def filters_from_args() -> PilotFilters:
    """The filters of this request: unknown values fall back to "all", so a hand-edited URL never errors."""
    args = request.args
    return PilotFilters(
        theme=args.get("theme", "") if args.get("theme") in THEMES else "",
        status=args.get("status", "") if args.get("status") in STATUS_LABELS else "",
        entry_type=args.get("type", "") if entry_types.is_entry_type(args.get("type")) else "",
        province=args.get("province", "")[:100],
        organisation=args.get("organisation", "")[:64],
        sort=args.get("sort", "newest"),
        page=int_arg("page"),
        per_page=int_arg("per_page", 20, maximum=100),
    )


def export_args(filters: PilotFilters) -> dict[str, str]:
    """The filters as query arguments again (only those set, no paging): the open-data links of a filtered list
    export that same list."""
    args = {"type": filters.entry_type, "theme": filters.theme, "status": filters.status, "province": filters.province}
    args |= {"organisation": filters.organisation, "sort": filters.sort if filters.sort != "newest" else ""}
    return {k: v for k, v in args.items() if v}
