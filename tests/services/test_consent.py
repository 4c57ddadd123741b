"""Consent when joining: listed partners are asked, joining tells the team, the team can remove a participant."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, Participation
from pilotstarter_web.services import invitations
from pilotstarter_web.services.errors import InvalidInput, PermissionDenied
from pilotstarter_web.services.participation import is_confirmed, is_team, join_pilot, remove_participant
from pilotstarter_web.services.pilot_queries import participants
from pilotstarter_web.services.pilots import PilotText, create_pilot
from tests.factories import make_pilot, make_user, notification_kinds, org


def taking_part(pilot) -> set[str]:
    return {
        p.organisation.code for p in db.session.scalars(select(Participation).where(Participation.pilot_id == pilot.id))
    }


def test_a_listed_partner_is_invited_and_takes_part_only_after_a_member_accepts():
    rotterdam = make_user("GM0599")
    author = make_user("GM0344")
    pilot = create_pilot(author, PilotText("Slimme bruggen"), [org("GM0599")])
    db.session.commit()
    assert taking_part(pilot) == {"GM0344"}
    assert [i.organisation.code for i in invitations.awaiting_answer(pilot)] == ["GM0599"]
    assert notification_kinds(rotterdam) == ["pilot.invited"]
    invitation = invitations.pending_for(rotterdam, pilot)
    part = invitations.accept(rotterdam, invitation)
    db.session.commit()
    assert taking_part(pilot) == {"GM0344", "GM0599"} and part.role == "partner" and is_confirmed(part)
    assert invitations.awaiting_answer(pilot) == []


def test_a_declined_listing_never_makes_a_partner():
    rotterdam = make_user("GM0599")
    pilot = create_pilot(make_user("GM0344"), PilotText("Slimme bruggen"), [org("GM0599"), org("GM0344")])
    db.session.commit()
    invitations.decline(rotterdam, invitations.pending_for(rotterdam, pilot))
    db.session.commit()
    assert taking_part(pilot) == {"GM0344"} and invitations.awaiting_answer(pilot) == []


def test_is_confirmed_only_for_the_organisations_own_doing_or_imported_content():
    pilot = make_pilot(make_user("GM0344"), partners=["GM0014"])  # agreed, as imported content is
    joined = join_pilot(make_user("GM0599"), pilot)
    lister = make_user("GM0344")  # a row as the old form wrote it: Utrecht listing Amsterdam
    listed = Participation(pilot_id=pilot.id, organisation_id=org("GM0363").id, role="partner", created_by_id=lister.id)
    db.session.add(listed)
    db.session.flush()
    db.session.refresh(pilot)
    by_code = {p.organisation.code: p for p in pilot.participations}
    assert is_confirmed(by_code["GM0344"]) and is_confirmed(by_code["GM0014"]) and is_confirmed(joined)
    assert not is_confirmed(listed)


def test_joining_tells_the_team_who_can_remove_the_participant_audited_and_told():
    team_member, other_member = make_user("GM0344"), make_user("GM0344")
    pilot = make_pilot(team_member)
    joiner = make_user("GM0599")
    join_pilot(joiner, pilot)
    db.session.commit()
    assert "pilot.joined" in notification_kinds(team_member) and "pilot.joined" in notification_kinds(other_member)
    assert is_team(team_member, pilot) and not is_team(joiner, pilot)
    with pytest.raises(PermissionDenied):
        remove_participant(joiner, pilot, org("GM0344"))
    with pytest.raises(InvalidInput):
        remove_participant(team_member, pilot, org("GM0344"))  # the initiator stays
    remove_participant(team_member, pilot, org("GM0599"))
    db.session.commit()
    assert taking_part(pilot) == {"GM0344"} and participants(pilot)["partner"] == []
    assert notification_kinds(joiner)[-1] == "pilot.participant_removed"
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.object_id) == ("pilot.participant_removed", team_member.id, pilot.slug)
    assert event.data == {"organisation": "GM0599", "role": "partner"}
    with pytest.raises(InvalidInput):
        remove_participant(team_member, pilot, org("GM0599"))  # gone already


def test_an_unverified_member_of_the_owner_is_not_the_team():
    pilot = make_pilot(make_user("GM0344"))
    assert not is_team(make_user("GM0344", verified=False), pilot) and not is_team(None, pilot)
