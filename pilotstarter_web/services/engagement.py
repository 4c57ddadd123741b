"""What a pilot page offers this visitor for staying involved: follow, invite suggested partners, answer
an invitation. One call, so the page and its template stay thin."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Invitation, Organisation, Pilot, User
from . import follows, invitations
from .matchmaking import partner_suggestions
from .organisations import provinces
from .participation import is_team
from .permissions import can_write


@dataclass
class PilotEngagement:
    partners: list[partner_suggestions.Suggestion]
    province: str  # the partner filter, "" for all
    provinces: list[str]
    following: bool = False
    can_follow: bool = False
    can_invite: bool = False
    invited: set[int] = field(default_factory=set)  # organisation ids already invited
    invitation: Invitation | None = None  # an open invitation for the visitor's organisation
    team: bool = False  # the visitor speaks for the initiator: may remove participants, sees who was asked
    awaiting: list[Invitation] = field(default_factory=list)  # for the team: asked, not yet answered


def pilot_engagement(pilot: Pilot, user: User | None, province: str = "") -> PilotEngagement:
    """Partner suggestions (filtered by province) with the visitor's follow and invitation state."""
    can_invite = invitations.can_invite(user, pilot)
    team = is_team(user, pilot)
    return PilotEngagement(
        partners=partner_suggestions.for_pilot(pilot, province),
        province=province,
        provinces=provinces(),
        following=follows.is_following(user, pilot),
        can_follow=can_write(user) and not pilot.is_deleted,
        can_invite=can_invite,
        invited=invitations.invited_organisation_ids(pilot) if can_invite else set(),
        invitation=invitations.pending_for(user, pilot),
        team=team,
        awaiting=invitations.awaiting_answer(pilot) if team else [],
    )


@dataclass
class OrganisationEngagement:
    suggestions: list[partner_suggestions.Suggestion]
    province: str
    provinces: list[str]
    invitable: set[int] = field(default_factory=set)  # suggestion organisation ids the visitor may invite
    invited: set[int] = field(default_factory=set)  # of those, already invited to the pilot named


def organisation_engagement(
    organisation: Organisation, user: User | None, province: str = ""
) -> OrganisationEngagement:
    """ "Organisaties om mee samen te werken" with what the visitor may do: invite them to the matching pilot."""
    suggestions = partner_suggestions.for_organisation(organisation, province)
    invitable: set[int] = set()
    invited: set[int] = set()
    for s in suggestions:
        if invitations.can_invite(user, s.for_pilot):
            invitable.add(s.organisation.id)
            if s.organisation.id in invitations.invited_organisation_ids(s.for_pilot):
                invited.add(s.organisation.id)
    return OrganisationEngagement(suggestions, province, provinces(), invitable, invited)
