"""CSV for spreadsheets: one rule against formula injection, shared by every CSV the site writes."""

from __future__ import annotations

FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell that would start with = + - @, a tab or a carriage
    return gets a leading ', which Excel and LibreOffice show as text instead of evaluating."""
    return "'" + value if value[:1] in FORMULA_CHARACTERS else value
