"""The outline a new pilot starts from: the headings the scale-up checklist (services/scaleup_checklist.py)
looks for, each with a line of guidance in an HTML comment (invisible in the preview and on the page).

Publishing drops what the writer left untouched — the guidance comments, and template headings with nothing
under them — so an unfilled outline neither shows empty headings nor satisfies the checklist by itself.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

# Bounded: a body is at most services.pilots.MAX_BODY characters; the cleaning below is linear in it.
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def sections() -> list[tuple[str, str]]:
    """(heading, guidance) in order; the headings match the checklist's patterns (results, standards,
    reusable parts, costs), so a filled-in outline is what the portfolio consultation needs."""
    return [
        (_("Aanleiding"), _("Welk probleem lost de pilot op, en voor wie?")),
        (_("Aanpak"), _("Wat doet u, met welke gemeenten, partners en leveranciers, en in welke fasen?")),
        (
            _("Open standaarden en Common Ground"),
            _("Welke open standaarden, API's (NL API-strategie, Haal Centraal, ZGW) of Common Ground-principes volgt de pilot?"),
        ),
        (
            _("Herbruikbare onderdelen"),
            _("Waar staat de broncode, onder welke licentie (bijvoorbeeld EUPL)? Upload de licentie, de DPIA en contracten of het programma van eisen bij Documenten, zodat anderen ze kunnen hergebruiken."),
        ),
        (_("Kosten en inspanning"), _("Eenmalige en jaarlijkse kosten, en de inzet in uren of fte.")),
        (_("Resultaten"), _("Wat heeft de pilot opgeleverd, en wat heeft u geleerd? Vul dit aan zodra u het weet.")),
    ]  # fmt: skip


def template_body() -> str:
    """The outline as Markdown, for an empty new-pilot editor."""
    return "\n".join(f"## {heading}\n\n<!-- {guidance} -->\n" for heading, guidance in sections())


def drop_unfilled(body: str) -> str:
    """``body`` without the outline's guidance comments and without outline headings left empty (followed only
    by blank lines up to the next heading or the end). The writer's own headings and text are kept."""
    outline = sections()
    guidance = {f"<!-- {g} -->" for _h, g in outline}
    headings = {h for h, _g in outline}
    lines = [line for line in body.splitlines() if line.strip() not in guidance]
    kept: list[str] = []
    for i, line in enumerate(lines):
        match = _HEADING.match(line.strip())
        if match and match.group(1) in headings and _empty_until_next_heading(lines, i + 1):
            continue
        kept.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return text + "\n" if text else ""


def _empty_until_next_heading(lines: list[str], start: int) -> bool:
    for line in lines[start:]:
        if _HEADING.match(line.strip()):
            return True
        if line.strip():
            return False
    return True
