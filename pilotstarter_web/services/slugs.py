"""Stable, readable slugs: "Digitale parkeervergunning" -> "digitale-parkeervergunning"."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from ..extensions import db
from ..models import Pilot

MAX_SLUG = 80


def slugify(text: str) -> str:
    """ASCII, lower case, hyphens; accents folded ("coöperatie" -> "cooperatie")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def unique_pilot_slug(title: str) -> str:
    """A free slug for a new pilot; "-2", "-3" … when the title was taken (deleted pilots count)."""
    base = slugify(title) or "pilot"
    taken = set(db.session.scalars(select(Pilot.slug).where(Pilot.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
