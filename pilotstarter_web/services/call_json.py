"""Calls as open data for the API: public fields only; the ranking once the selection is published.

Individual scores, committee members, concept submissions and proposals other than the accepted one are
never in it."""

from __future__ import annotations

from typing import Any

from ..models import ChallengeCall, User
from . import call_proposals, call_scoring, challenges


def call_summary_json(call: ChallengeCall) -> dict[str, Any]:
    """A call in a list: dates, co-funding minimum, budget and the number of submissions."""
    return {
        "id": call.id,
        "slug": call.slug,
        "title": call.title,
        "state": call.state,
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
        "min_cofunding_percent": call.min_cofunding,
        "budget": call.budget,
        "submissions": len(challenges.public_submissions(call)),
    }


def call_detail_json(call: ChallengeCall) -> dict[str, Any]:
    """One call: description, criteria with weights (and normalised weights), submissions, published ranking."""
    total = sum(c.weight for c in call.criteria) or 1
    ranking = []
    for s in call_scoring.published_ranking(call):
        accepted = call_proposals.accepted(s)
        ranking.append(
            {
                "rank": s.rank, "score": s.score, "challenge": s.pilot.slug, "title": s.pilot.title,
                "state": s.state, "reason": s.decision_reason,
                "accepted_proposal": {
                    "title": accepted.title, "organisation": accepted.organisation.code, "reason": accepted.decision_reason,
                } if accepted else None,
            }
        )  # fmt: skip
    return {
        **call_summary_json(call),
        "description": call.description,
        "criteria": [
            {"name": c.name, "weight": c.weight, "normalised_weight": round(c.weight / total, 4)} for c in call.criteria
        ],
        "submitted": [
            {
                "id": s.id,
                "challenge": s.pilot.slug,
                "title": s.pilot.title,
                "state": s.state,
                "organisations": [p.organisation.code for p in challenges.confirmed(s)],
                "lead": s.lead.code,
            }
            for s in challenges.public_submissions(call)
        ],
        "published_at": call.published_at.isoformat(timespec="seconds") + "Z" if call.published_at else None,
        "ranking": ranking,
    }


def calls_json(user: User | None) -> list[dict[str, Any]]:
    """Every call the viewer may see, in list order."""
    return [call_summary_json(call) for call, _count in challenges.list_calls(user)]
