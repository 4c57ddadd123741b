"""The scale-up checklist: what the portfolio consultation needs before it can decide, read from a pilot's
text, its participants and its nomination. Shown on the pilot page, the nomination form and the review page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from ..models import Pilot, ScaleUpReview

PARTICIPANT_ROLES = ("initiator", "partner", "supplier")  # "interested" is not yet taking part


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    met: bool
    hint: str


_RESULTS = re.compile(r"^#{1,6}\s*(resultat|resultaat|evaluatie|opbrengst|uitkomst|geleerde lessen|lessons learned)",
                      re.IGNORECASE | re.MULTILINE)  # fmt: skip
_STANDARDS = re.compile(r"common ground|open standaard|open source|nl ?api|haal centraal|zgw|\bfsc\b|open api",
                        re.IGNORECASE)  # fmt: skip
_ASSETS = {
    "code": re.compile(r"broncode|github|gitlab|code\.overheid|repository|\bcode\b", re.IGNORECASE),
    "licence": re.compile(r"licentie|eupl|\bmit\b|apache|open source", re.IGNORECASE),
    "dpia": re.compile(r"\bdpia\b|gegevensbeschermingseffect", re.IGNORECASE),
    "contracts": re.compile(r"contract|overeenkomst|aanbesteding|inkoopvoorwaarden", re.IGNORECASE),
}
_COSTS = re.compile(r"kosten|budget|€|\beuro\b|\bfte\b|\buren\b|inspanning|begroting", re.IGNORECASE)


def checklist(pilot: Pilot, review: ScaleUpReview | None) -> list[ChecklistItem]:
    """What the consultation needs to decide, met or missing, read from the pilot's text and its current
    nomination (``review``; costs and reuse named there count too)."""
    body = pilot.current_revision.body if pilot.current_revision else ""
    extra = f"{review.reuse}\n{review.costs}\n{review.motivation}" if review else ""
    municipalities = {
        p.organisation_id for p in pilot.participations
        if p.role in PARTICIPANT_ROLES and p.organisation.kind == "municipality"
    }  # fmt: skip
    assets = {name for name, pattern in _ASSETS.items() if pattern.search(body) or pattern.search(extra)}
    asset_names = {"code": _("broncode"), "licence": _("licentie"), "dpia": _("DPIA"), "contracts": _("contracten")}
    missing_assets = [str(asset_names[a]) for a in _ASSETS if a not in assets]
    return [
        ChecklistItem(
            "municipalities", _("Minstens twee deelnemende gemeenten"), len(municipalities) >= 2,
            _("%(n)d gemeente(n) doen mee. Nodig andere gemeenten uit via “Mogelijke partners”.", n=len(municipalities)),
        ),
        ChecklistItem(
            "results", _("Resultaten of evaluatie beschreven"), bool(_RESULTS.search(body)),
            _("Voeg een kopje “## Resultaten” of “## Evaluatie” toe aan de beschrijving."),
        ),
        ChecklistItem(
            "standards", _("Open standaarden en Common Ground gevolgd"), bool(_STANDARDS.search(body + extra)),
            _("Beschrijf welke open standaarden, API's of Common Ground-principes de pilot volgt."),
        ),
        ChecklistItem(
            "assets", _("Herbruikbare onderdelen op een rij"), len(assets) >= 2,
            _("Nog niet genoemd: %(missing)s.", missing=", ".join(missing_assets)) if missing_assets
            else _("Broncode, licentie, DPIA en contracten zijn genoemd."),
        ),
        ChecklistItem(
            "costs", _("Kosten en inspanning bekend"), bool(_COSTS.search(body) or (review and review.costs.strip())),
            _("Noem de kosten (eenmalig en jaarlijks) en de inzet in uren of fte."),
        ),
    ]  # fmt: skip
