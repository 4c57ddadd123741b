"""The outline a new entry starts from, one per entry type (services/entry_types.py). A pilot's headings are
the ones the scale-up checklist (services/scaleup_checklist.py) looks for; a best practice's say what another
municipality needs to adopt it; a challenge's describe the question. Each heading has a line of guidance in an
HTML comment (invisible in the preview and on the page).

Publishing drops what the writer left untouched — the guidance comments, and template headings with nothing
under them — so an unfilled outline neither shows empty headings nor satisfies the checklist by itself.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from ..models.pilots import ENTRY_TYPES

# Bounded: a body is at most services.pilots.MAX_BODY characters; the cleaning below is linear in it.
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def sections(entry_type: str = "pilot") -> list[tuple[str, str]]:
    """(heading, guidance) in order for an entry type (a pilot's for an unknown one)."""
    if entry_type == "best_practice":
        return _best_practice_sections()
    if entry_type == "challenge":
        return _challenge_sections()
    return _pilot_sections()


def _pilot_sections() -> list[tuple[str, str]]:
    """The headings match the checklist's patterns (results, standards, reusable parts, costs), so a filled-in
    outline is what the portfolio consultation needs."""
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


def _best_practice_sections() -> list[tuple[str, str]]:
    """What a municipality needs to know to adopt a solution that works elsewhere."""
    return [
        (_("Wat het oplost"), _("Welk probleem lost deze werkwijze of oplossing op, en voor wie?")),
        (_("Waar het in gebruik is"), _("Welke gemeenten gebruiken het, sinds wanneer en op welke schaal?")),
        (_("Resultaten"), _("Wat levert het op? Noem cijfers, ervaringen van inwoners en medewerkers, en evaluaties.")),
        (
            _("Wat nodig is om over te nemen"),
            _("Welke software, koppelingen, afspraken, DPIA's en kennis heeft een gemeente nodig? Waar staan ze?"),
        ),
        (_("Kosten"), _("Eenmalige en jaarlijkse kosten, en de inzet in uren of fte bij het overnemen.")),
        (_("Contact"), _("Bij wie kunnen andere gemeenten terecht met vragen? Noem een team of functie, geen privégegevens.")),
    ]  # fmt: skip


def _challenge_sections() -> list[tuple[str, str]]:
    """A question well put: what the problem is, for whom, and what a solution must meet."""
    return [
        (_("Het vraagstuk"), _("Welk probleem wilt u oplossen? Beschrijf het zo concreet mogelijk.")),
        (_("Wie het raakt"), _("Welke inwoners, ondernemers of medewerkers hebben er last van, en hoeveel?")),
        (_("Gewenste uitkomst"), _("Wat is er anders als het is opgelost? Hoe meet u dat?")),
        (_("Wat al geprobeerd is"), _("Welke oplossingen zijn al geprobeerd, hier of elders, en waarom werkten ze niet?")),
        (
            _("Randvoorwaarden"),
            _("Budget, planning, wetgeving, privacy, open standaarden: waar moet een oplossing aan voldoen?"),
        ),
    ]  # fmt: skip


def template_body(entry_type: str = "pilot") -> str:
    """The outline as Markdown, for an empty new-entry editor."""
    return "\n".join(f"## {heading}\n\n<!-- {guidance} -->\n" for heading, guidance in sections(entry_type))


def drop_unfilled(body: str) -> str:
    """``body`` without any type's outline guidance comments and without outline headings left empty (followed
    only by blank lines up to the next heading or the end). The writer's own headings and text are kept. Every
    type's outline counts: the writer may have switched type after the editor was filled."""
    outline = [pair for entry_type in ENTRY_TYPES for pair in sections(entry_type)]
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
