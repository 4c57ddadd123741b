"""The pilot content file (`content/pilots/<slug>.md`): YAML front matter, then the Markdown body.

One description of the front matter (FIELDS) is read by `flask import-content` (services/content_import.py)
and written by `flask export` (services/content_export.py): a field is added here, once, with what export
writes for it, and the importer refuses any key not listed — so nothing can be imported that an export
would not write back.

The writer keeps the demo files' style — keys in FIELDS order, flow lists (`[a, b]`), plain scalars — and
quotes a value only when YAML would read it back as something else (`yes`, `null`, `1.0`, `: `, `# `,
leading spaces, …). It checks that by reading the value back, so the rule cannot drift from the parser.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from ..models import Pilot
from .participation import confirmed_participations

DELIMITER = "---"
ORGANISATIONS_FILE = "organisations.yaml"  # beside pilots/ in an export: organisations not in the reference lists
REVISIONS_DIR = "revisions"  # history written by `flask export --revisions`: not pilots, never imported
# Characters YAML refuses even in quotes, or reads as line breaks: written as \u escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class FrontMatterField:
    key: str
    kind: str  # "text", "list", "date" or "number": how it is written
    export: Callable[[Pilot], object]  # what `flask export` writes for a pilot


def partner_codes(pilot: Pilot) -> list[str]:
    """The organisations that agreed to take part as partner or supplier, in the order they joined: what the
    importer adds as agreed partners (an organisation that only showed interest is not a partner)."""
    parts = [p for p in confirmed_participations(pilot.participations) if p.role in ("partner", "supplier")]
    return [p.organisation.code for p in sorted(parts, key=lambda p: (p.created_at, p.id))]


FIELDS: tuple[FrontMatterField, ...] = (
    FrontMatterField("title", "text", lambda p: p.title),
    FrontMatterField("summary", "text", lambda p: p.summary),
    FrontMatterField("organisation", "text", lambda p: p.owner.code),
    FrontMatterField("partners", "list", partner_codes),
    FrontMatterField("themes", "list", lambda p: p.theme_keys),
    FrontMatterField("tags", "list", lambda p: p.tag_values),
    FrontMatterField("status", "text", lambda p: p.status),
    # pilot, best_practice or challenge (services/entry_types.py); a file without it is a pilot
    FrontMatterField("type", "text", lambda p: p.entry_type),
    FrontMatterField("created", "date", lambda p: p.created_at.date()),
)
KEYS = tuple(f.key for f in FIELDS)


def canonical_body(text: str) -> str:
    """The body as the importer stores it: `\\n` line ends, no blank lines around it, one final newline."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n") + "\n"


def yaml_scalar(value: str, in_list: bool = False) -> str:
    """A string as plain YAML when it reads back as exactly itself (in a flow list when `in_list`), else as a
    double-quoted string (JSON's escapes are valid YAML)."""
    plain = value and "\n" not in value and value == value.strip() and not value.startswith(("'", '"'))
    if plain:
        probe = f"k: [{value}]" if in_list else f"k: {value}"
        try:
            plain = yaml.safe_load(probe) == {"k": [value] if in_list else value}
        except yaml.YAMLError:
            plain = False
    if plain:
        return value
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def yaml_value(kind: str, value: object) -> str:
    """One front-matter value in the content files' style."""
    if kind == "list":
        return "[" + ", ".join(yaml_scalar(str(v), in_list=True) for v in value) + "]"  # type: ignore[attr-defined]
    if kind == "date":
        assert isinstance(value, dt.date)
        return value.isoformat()
    if kind == "number":
        return "null" if value is None else str(int(value))  # type: ignore[call-overload]
    return yaml_scalar("" if value is None else str(value))


def front_matter_file(pairs: list[tuple[str, str, object]], body: str) -> str:
    """A whole file: `---`, one `key: value` line per (key, kind, value), `---`, the canonical body."""
    lines = [DELIMITER, *(f"{key}: {yaml_value(kind, value)}" for key, kind, value in pairs), DELIMITER]
    return "\n".join(lines) + "\n" + canonical_body(body)


def pilot_file(pilot: Pilot, body: str) -> str:
    """A pilot as import-content reads it: every field of FIELDS, in order."""
    return front_matter_file([(f.key, f.kind, f.export(pilot)) for f in FIELDS], body)
