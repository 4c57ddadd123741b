"""The footer's "Open API" opens a page people can read, made from the OpenAPI document itself."""

from __future__ import annotations

import json
import re

from pilotstarter_web.api.docs import endpoints, example
from pilotstarter_web.api.openapi import OPENAPI


def test_the_footer_leads_to_a_readable_page_listing_every_endpoint(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/api/v1/docs">Open API</a>' in home
    response = client.get("/api/v1/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    for path, operations in OPENAPI["paths"].items():
        for method in operations:
            assert f"<code>{method.upper()} {path}</code>" in page
    assert page.count("<script") == 1 and "/static/js/app.js" in page  # the site's own script only
    assert 'href="/api/v1/openapi.json"' in page  # the raw document stays one click away
    assert "per_page" in page and "standaard 20" in page  # parameters with their bounds
    assert '<th class="utrecht-table__header-cell" scope="col">Naam</th>' in page


def test_example_answers_follow_the_schemas():
    by_path = {(e.method, e.path): e for e in endpoints(OPENAPI)}
    listed = json.loads(by_path["GET", "/pilots"].example)
    assert set(listed) == {"total", "page", "per_page", "items"} and isinstance(listed["items"], list)
    assert isinstance(listed["total"], int) and isinstance(listed["items"][0], dict) and listed["items"][0]
    similar = by_path["POST", "/similar"]
    assert similar.request_example is not None and "title" in json.loads(similar.request_example)
    assert "404" in by_path["GET", "/pilots/{slug}"].errors
    assert all(re.fullmatch(r"[a-z0-9_-]+", e.anchor) for e in by_path.values())
    assert example(OPENAPI, {"type": ["string", "null"], "format": "date"}) == "2026-12-01"
    node = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
    looping = {"components": {"schemas": {"Node": node}}}
    assert example(looping, {"$ref": "#/components/schemas/Node"}) is not None  # a self-reference stops
