"""One strict reader for JSON request bodies, so every JSON endpoint answers malformed input alike.

`request.get_json(silent=True)` turned some bodies into None (a vague 400), let others through (NaN,
Infinity, numbers of thousands of digits) and crashed on deep nesting (RecursionError: a 500). Here the
body must be UTF-8 JSON with a JSON content type, hold one object, and give each known field the type
the endpoint expects; anything else is a 400 (415 for the content type) problem+json naming the field.
Duplicate keys are allowed (the last one counts, as in every JSON parser); unknown fields are ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from flask import request
from flask_babel import gettext as _

MAX_INT_DIGITS = 18  # ids and counts fit in 64 bits; a longer number is an error, not a slow bignum
MAX_LIST = 100  # items of a text list (themes, tags, partners): more is an error, not work
# Text no database column can hold: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates (not encodable as
# UTF-8); JSON's \u escapes let a client send both. Refused here, with the field, instead of a 500 on saving.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class Expect(Enum):
    """What a field must hold."""

    TEXT = "text"
    INT = "int"
    TEXT_LIST = "text_list"
    INT_LIST = "int_list"


TEXT_FIELDS = {"title": Expect.TEXT, "summary": Expect.TEXT, "body": Expect.TEXT}  # a pilot's unsaved text


class JsonBodyError(Exception):
    """A body the endpoint cannot read; errors.py turns it into problem+json."""

    def __init__(self, status: int, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.field = status, detail, field


def json_object(fields: Mapping[str, Expect]) -> dict[str, Any]:
    """The request's JSON object, with only the known fields, each of the expected type.

    :raise JsonBodyError: 415 without a JSON content type, 400 for anything malformed.
    """
    if not request.is_json:
        raise JsonBodyError(415, _("Stuur JSON (Content-Type: application/json)."))
    try:
        text = request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        raise JsonBodyError(400, _("De JSON is geen geldige UTF-8.")) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_bounded_int, parse_float=_finite_float)
    except RecursionError:
        raise JsonBodyError(400, _("De JSON is te diep genest.")) from None
    except ValueError as exc:  # JSONDecodeError included; also raised by the parse_* hooks below
        raise JsonBodyError(400, _("Ongeldige JSON: %(error)s", error=str(exc))) from None
    if not isinstance(data, dict):
        raise JsonBodyError(400, _('Stuur één JSON-object, bijvoorbeeld {"title": "…"}.'))
    out: dict[str, Any] = {}
    for name, expect in fields.items():
        if name in data:
            out[name] = _checked(name, data[name], expect)
    return out


def _checked(name: str, value: object, expect: Expect) -> object:
    if any(isinstance(v, str) and _UNSTORABLE.search(v) for v in (value if isinstance(value, list) else [value])):
        raise JsonBodyError(
            400,
            _(
                "Het veld '%(field)s' bevat een teken dat niet kan worden opgeslagen (\\u0000 of een losse surrogate).",
                field=name,
            ),
            name,
        )
    if expect is Expect.TEXT and isinstance(value, str):
        return value
    if expect is Expect.INT and _is_int(value):
        return value
    if expect is Expect.INT_LIST and isinstance(value, list) and all(_is_int(v) for v in value):
        return value
    if expect is Expect.TEXT_LIST and isinstance(value, list) and len(value) <= MAX_LIST and _all_text(value):
        return value
    wanted = {
        Expect.TEXT: _("tekst"),
        Expect.INT: _("een geheel getal"),
        Expect.TEXT_LIST: _("een lijst van hooguit %(n)d teksten", n=MAX_LIST),
    }.get(expect, _("een lijst van gehele getallen"))
    raise JsonBodyError(400, _("Het veld '%(field)s' moet %(wanted)s zijn.", field=name, wanted=wanted), name)


def _all_text(values: list) -> bool:
    return all(isinstance(v, str) for v in values)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _reject_constant(name: str) -> float:
    raise ValueError(_("%(name)s is geen JSON-getal", name=name))


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(_("getal te groot"))
    return int(digits)


def _finite_float(literal: str) -> float:
    value = float(literal)
    if value in (float("inf"), float("-inf")):
        raise ValueError(_("getal te groot"))
    return value
