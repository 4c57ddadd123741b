"""Open data: /export/pilots.csv and /export/pilots.json (the pilot list with its filters), and /open-data."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request, stream_with_context, url_for

from ..pilots.filters import filters_from_args
from ..rate_limits import configured, limiter
from ..services import open_data
from ..services.themes import STATUS_LABELS, THEMES
from . import bp

CACHE_SECONDS = 300
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def _pilot_url(slug: str) -> str:
    return url_for("pilots.view", slug=slug, _external=True)


@bp.get("/export/pilots.<any(csv, json):kind>")
@limiter.limit(configured("RATELIMIT_EXPORT"))  # anonymous and expensive: every visible pilot per request
def pilots_export(kind: str):
    """Every visible pilot with the list's filters (paging ignored), streamed as a download."""
    filters = filters_from_args()
    etag = open_data.export_etag(kind, filters)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        export = open_data.PilotExport.start(filters, _pilot_url)
        chunks = export.csv_chunks() if kind == "csv" else export.json_chunks()
        response = Response(stream_with_context(chunks), content_type=CONTENT_TYPES[kind])
        filename = f"pilotstarter-pilots-{date.today().isoformat()}.{kind}"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.set_etag(etag, weak=True)  # the JSON names the moment it was made; the data is what is equal
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response


@bp.get("/open-data")
def index():
    """What the exports hold, their licence and formats, and where the API is."""
    return render_template(
        "open_data/index.html", columns=open_data.CSV_COLUMNS, license=open_data.LICENSE, themes=THEMES,
        statuses=STATUS_LABELS,
    )  # fmt: skip
