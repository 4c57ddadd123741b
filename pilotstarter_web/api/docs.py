"""The API described for people: the OpenAPI document (openapi.py) as an HTML page with every endpoint, its
parameters and an example answer built from its schema. Rendered from the same document the JSON serves, so
the page and /api/v1/openapi.json cannot drift; no JavaScript, no library from elsewhere."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

MAX_DEPTH = 6  # schemas may refer to themselves; an example stops nesting here
_PLAIN = {"string": "tekst", "integer": 1, "number": 0.5, "boolean": True, "null": None}
_FORMATS = {
    "date": "2026-12-01", "date-time": "2026-12-01T09:00:00Z", "email": "naam@gemeente.nl", "uri": "/pilots/voorbeeld",
}  # fmt: skip


@dataclass
class Parameter:
    name: str
    where: str  # "query", "path" or "body"
    kind: str  # the type as people read it: "integer (1–100; standaard 20)"
    required: bool
    description: str


@dataclass
class Endpoint:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    request_example: str | None  # JSON, for endpoints that take a body
    example: str  # the 200 answer, JSON
    errors: list[str]  # the other status codes it answers with (problem+json)
    writes: bool = False  # changes something: needs a token with the write scope (or a logged-in session)

    @property
    def anchor(self) -> str:
        """ "get-pilots-slug-similar": the section's id, for the page's table of contents."""
        return "-".join([self.method.lower(), *re.findall(r"\w+", self.path)])


def _resolve(document: dict, schema: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return document.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[1], {})
    return schema


def example(document: dict, schema: dict, depth: int = 0) -> Any:
    """A plausible value for a JSON schema: its example or first enum value, else a placeholder per type."""
    schema = _resolve(document, schema)
    if "example" in schema:
        return schema["example"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if depth >= MAX_DEPTH:
        return {} if kind == "object" else [] if kind == "array" else _PLAIN.get(kind)
    if kind == "object":
        return {name: example(document, sub, depth + 1) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(document, schema.get("items", {}), depth + 1)]
    if kind == "string" and schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    return _PLAIN.get(kind, "tekst")


def _kind(document: dict, schema: dict) -> str:
    schema = _resolve(document, schema)
    kind = schema.get("type", "string")
    text = _(" of ").join(kind) if isinstance(kind, list) else kind
    if kind == "array":
        text = _("lijst van %(kind)s", kind=_kind(document, schema.get("items", {})))
    notes = []
    if schema.get("enum"):
        notes.append(", ".join(str(v) for v in schema["enum"]))
    if "minimum" in schema or "maximum" in schema:
        notes.append(f"{schema.get('minimum', '')}–{schema.get('maximum', '')}")
    if "maxLength" in schema:
        notes.append(_("hoogstens %(n)s tekens", n=schema["maxLength"]))
    if "default" in schema:
        notes.append(_("standaard %(value)s", value=schema["default"]))
    return f"{text} ({'; '.join(notes)})" if notes else text


def _body_schema(operation: dict) -> dict | None:
    return operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")


def _parameters(document: dict, operation: dict) -> list[Parameter]:
    found = [
        Parameter(p["name"], p.get("in", "query"), _kind(document, p.get("schema", {})),
                  bool(p.get("required") or p.get("in") == "path"), p.get("description", ""))
        for p in operation.get("parameters", [])
    ]  # fmt: skip
    body = _body_schema(operation)
    if body:
        body = _resolve(document, body)
        required = set(body.get("required", []))
        for name, sub in body.get("properties", {}).items():
            found.append(Parameter(name, "body", _kind(document, sub), name in required, sub.get("description", "")))
    return found


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _endpoint(document: dict, method: str, path: str, operation: dict) -> Endpoint:
    responses = operation.get("responses", {})
    ok = responses.get("200") or responses.get("201") or {}
    schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
    body = _body_schema(operation)
    return Endpoint(
        method=method.upper(), path=path, summary=operation.get("summary", ""),
        description=operation.get("description", ""), parameters=_parameters(document, operation),
        request_example=_json(example(document, body)) if body else None, example=_json(example(document, schema)),
        errors=sorted(code for code in responses if not code.startswith("2")),
        writes=bool(operation.get("security")) and method != "get",
    )  # fmt: skip


def endpoints(document: dict) -> list[Endpoint]:
    """Every operation in the document, in its order, ready for the page."""
    return [
        _endpoint(document, method, path, operation)
        for path, operations in document.get("paths", {}).items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
