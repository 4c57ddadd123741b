"""The scale-up checklist: what the portfolio consultation needs before it can decide, read from a pilot's
text, its documents, its participants and its nomination. Shown on the pilot page, the nomination form and the review page."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from ..models import Participation, Pilot, ScaleUpReview
from .attachments import kinds_present
from .participation import PARTICIPANT_ROLES, is_confirmed

MIN_SECTION_WORDS = 15  # a results section needs real text under its heading, not the heading alone


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    met: bool
    hint: str


_RESULTS = re.compile(
    r"(resultat|resultaat|evaluatie|opbrengst|uitkomst|geleerde lessen|lessons learned)", re.IGNORECASE
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_WORD = re.compile(r"\w+")
_STANDARDS = re.compile(r"common ground|open standaard|open source|nl ?api|haal centraal|zgw|\bfsc\b|open api",
                        re.IGNORECASE)  # fmt: skip
_CODE = re.compile(r"broncode|github|gitlab|code\.overheid|repository|\bcode\b", re.IGNORECASE)
_COSTS = re.compile(r"kosten|budget|€|\beuro\b|\bfte\b|\buren\b|inspanning|begroting", re.IGNORECASE)


def section_words(body: str, heading: re.Pattern[str]) -> int:
    """Words of text under the headings that match ``heading`` (up to the next heading of the same or a higher
    level; subheadings' text counts, the heading lines themselves do not)."""
    words, level = 0, 0  # level: the matched heading's depth while inside its section, else 0
    for line in body.splitlines():
        if match := _HEADING.match(line.strip()):
            depth = len(match.group(1))
            if level and depth <= level:
                level = 0
            if not level and heading.search(match.group(2)):
                level = depth
        elif level:
            words += len(_WORD.findall(line))
    return words


def checklist(
    pilot: Pilot,
    review: ScaleUpReview | None,
    confirmed: Callable[[Participation], bool] = is_confirmed,
    documents: set[str] | None = None,
) -> list[ChecklistItem]:
    """What the consultation needs to decide, met or missing, read from the pilot's text, its documents (the
    kinds uploaded; ``documents`` overrides the query) and its current nomination (``review``; costs and reuse
    named there count too). Only participations that ``confirmed`` accepts count: a partner listed without its
    consent is no evidence of demand.

    DPIA, contracts and the code licence count only as uploaded documents of that kind: a sentence naming a
    DPIA ("er komt nog een DPIA") is no DPIA, and the consultation needs the document itself to reuse it.
    Results count as an evaluation document or, as before, a results section with real text: that section is
    on the page for the consultation to read, so it is evidence too."""
    body = pilot.current_revision.body if pilot.current_revision else ""
    extra = f"{review.reuse}\n{review.costs}\n{review.motivation}" if review else ""
    kinds = kinds_present(pilot) if documents is None else documents
    municipalities = {
        p.organisation_id for p in pilot.participations
        if p.role in PARTICIPANT_ROLES and p.organisation.kind == "municipality" and confirmed(p)
    }  # fmt: skip
    code = bool(_CODE.search(body) or _CODE.search(extra))
    results = "evaluatie" in kinds or section_words(body, _RESULTS) >= MIN_SECTION_WORDS
    return [
        ChecklistItem(
            "municipalities", _("Minstens twee deelnemende gemeenten"), len(municipalities) >= 2,
            _("%(n)d gemeente(n) doen aantoonbaar mee. Nodig andere gemeenten uit via “Mogelijke partners”.",
              n=len(municipalities)),
        ),
        ChecklistItem(
            "results", _("Resultaten of evaluatie beschikbaar"), results,
            _("Upload bij Documenten een document van de soort “Evaluatie”, of schrijf onder een kopje "
              "“## Resultaten” minstens %(n)d woorden over wat de pilot opleverde.", n=MIN_SECTION_WORDS),
        ),
        ChecklistItem(
            "standards", _("Open standaarden en Common Ground gevolgd"), bool(_STANDARDS.search(body + extra)),
            _("Beschrijf welke open standaarden, API's of Common Ground-principes de pilot volgt."),
        ),
        ChecklistItem(
            "dpia", _("DPIA beschikbaar"), "dpia" in kinds,
            _("Upload bij Documenten de DPIA (gegevensbeschermingseffectbeoordeling) als document van de soort “DPIA”."),
        ),
        ChecklistItem(
            "contracts", _("Contracten of programma van eisen beschikbaar"), bool(kinds & {"contract", "specificatie"}),
            _("Upload bij Documenten het contract, de verwerkersovereenkomst of het programma van eisen (soort "
              "“Contract” of “Specificatie / programma van eisen”)."),
        ),
        ChecklistItem(
            "licence", _("Broncode en codelicentie"), code and "codelicentie" in kinds,
            _("Upload bij Documenten de licentie van de code (soort “Codelicentie”, bijvoorbeeld de EUPL) en noem "
              "in de tekst waar de broncode staat.") if code
            else _("Noem in de tekst waar de broncode staat en upload bij Documenten de licentie (soort “Codelicentie”)."),
        ),
        ChecklistItem(
            "costs", _("Kosten en inspanning bekend"), bool(_COSTS.search(body) or (review and review.costs.strip())),
            _("Noem de kosten (eenmalig en jaarlijks) en de inzet in uren of fte."),
        ),
    ]  # fmt: skip
