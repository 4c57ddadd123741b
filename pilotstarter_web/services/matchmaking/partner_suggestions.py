"""Partner suggestions for a pilot and for an organisation, with an optional province filter.

Built on the similarity service's partner matches (search_index stays untouched): a pilot's suggestions
are organisations not yet taking part whose own pilots are most alike; an organisation's suggestions
combine those of its own pilots, keeping per organisation the best match and which pilot it was for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from ...extensions import db
from ...models import Organisation, Pilot
from .similarity import similarity_service

LIMIT = 5
PROVINCE_POOL = 50  # with a province filter, look further down the list so the filter still finds some
OWN_PILOTS = 20  # an organisation's most recently changed pilots that count for its suggestions


@dataclass
class Suggestion:
    organisation: Organisation
    score: float
    for_pilot: Pilot  # the pilot they would join (on an organisation page: its own pilot they match best)
    pilots: list[Pilot] = field(default_factory=list)  # the suggested organisation's matching pilots
    reasons: list[str] = field(default_factory=list)  # shared words


def for_pilot(pilot: Pilot, province: str = "", limit: int = LIMIT) -> list[Suggestion]:
    """Organisations to invite to this pilot, best first; only those in ``province`` when given."""
    if pilot.is_deleted:
        return []
    found = similarity_service().partners(pilot, limit=PROVINCE_POOL if province else limit)
    out = [
        Suggestion(org, match.score, pilot, their, match.reasons)
        for org, match, their in found
        if not province or org.province == province
    ]
    return out[:limit]


def for_organisation(organisation: Organisation, province: str = "", limit: int = LIMIT) -> list[Suggestion]:
    """Organisations to work with: those whose pilots are most like this organisation's own pilots."""
    own = db.session.scalars(
        select(Pilot)
        .where(Pilot.owner_id == organisation.id, Pilot.deleted_at.is_(None))
        .order_by(Pilot.updated_at.desc())
        .limit(OWN_PILOTS)
    )
    best: dict[int, Suggestion] = {}
    for pilot in own:
        for suggestion in for_pilot(pilot, province, limit=PROVINCE_POOL if province else limit * 2):
            key = suggestion.organisation.id
            if key != organisation.id and (key not in best or suggestion.score > best[key].score):
                best[key] = suggestion
    return sorted(best.values(), key=lambda s: (-s.score, s.organisation.name))[:limit]
