"""Challenge calls: both state machines step by step (every allowed and refused transition), the two-governments
and co-funding rules, confirmations, dates, scoring privacy and conflicts of interest, the ranking's maths,
publication, proposals and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, CallTransition
from pilotstarter_web.services import call_admin, call_proposals, call_scoring, call_submissions, challenges
from pilotstarter_web.services.call_admin import CallData
from pilotstarter_web.services.challenges import CALL_TRANSITIONS, SUBMISSION_TRANSITIONS, InvalidTransition
from pilotstarter_web.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.call_world import make_world, score_all, start, submitted
from tests.factories import make_user, notification_kinds, org

TESTED_CALL: set[tuple[str, str]] = set()
TESTED_SUBMISSION: set[tuple[str, str]] = set()


def audited(action: str) -> int:
    return len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))))


# --- the call's state machine ------------------------------------------------------------------------------


def test_a_call_goes_concept_open_closed_published_and_refuses_everything_else():
    staff = make_user("vng", role="vng_staff")
    call = call_admin.create_call(
        staff, CallData("Oproep", opens_on=date.today(), closes_on=date.today() + timedelta(days=5))
    )
    assert call.state == "concept" and call.criteria[0].name == "Onderscheidend vermogen"
    for refused in (challenges.close_call, lambda u, c: call_scoring.publish(u, c, {})):
        with pytest.raises(InvalidTransition):
            refused(staff, call)
    challenges.open_call(staff, call)
    TESTED_CALL.add(("concept", "open"))
    assert call.state == "open"
    with pytest.raises(InvalidTransition):
        challenges.open_call(staff, call)
    with pytest.raises(InvalidTransition):
        call_scoring.publish(staff, call, {})
    challenges.close_call(staff, call)
    TESTED_CALL.add(("open", "close"))
    with pytest.raises(InvalidTransition):
        challenges.close_call(staff, call)
    with pytest.raises(InvalidTransition):
        call_admin.edit_call(staff, call, CallData("Anders", opens_on=date.today(), closes_on=date.today()))
    call_scoring.publish(staff, call, {})
    TESTED_CALL.add(("gesloten", "publish"))
    assert call.state == "selectie_gepubliceerd" and call.published_at is not None
    with pytest.raises(InvalidTransition):
        call_scoring.publish(staff, call, {})
    steps = [
        t.action
        for t in db.session.scalars(
            select(CallTransition).where(CallTransition.call_id == call.id).order_by(CallTransition.id)
        )
    ]
    assert steps == ["open", "close", "publish"]
    assert audited("call.open") == audited("call.close") == audited("call.publish") == 1


def test_criteria_are_fixed_once_the_call_is_open_and_weights_must_be_positive():
    world = make_world()
    staff, call = world.staff, world.call
    with pytest.raises(InvalidInput):
        call_admin.parse_criteria("Missie: 0")
    with pytest.raises(InvalidInput):
        call_admin.parse_criteria("")
    assert call_admin.parse_criteria("Missie: 2\n\nTransparantie") == [("Missie", 2), ("Transparantie", 1)]
    call_admin.edit_call(
        staff, call, CallData("Nieuw", opens_on=call.opens_on, closes_on=call.closes_on, criteria=[("Iets", 9)])
    )
    assert call.title == "Nieuw" and [(c.name, c.weight) for c in call.criteria] == [
        ("Onderscheidend vermogen", 3), ("Missie", 1),
    ]  # fmt: skip


def test_only_staff_manage_calls():
    world = make_world()
    for user in (None, world.lead, world.judges[0], world.supplier):
        with pytest.raises(PermissionDenied):
            call_admin.create_call(user, CallData("X", opens_on=date.today(), closes_on=date.today()))
        with pytest.raises(PermissionDenied):
            challenges.close_call(user, world.call)
        with pytest.raises(PermissionDenied):
            call_admin.add_committee_member(user, world.call, world.other.email)
    assert world.call.state == "open"


def test_a_concept_call_is_hidden_from_everyone_but_staff():
    staff = make_user("vng", role="vng_staff")
    call = call_admin.create_call(staff, CallData("Geheim", opens_on=date.today(), closes_on=date.today()))
    db.session.commit()
    assert challenges.get_call(call.slug, staff) is call
    for user in (None, make_user("GM0344")):
        with pytest.raises(NotFound):
            challenges.get_call(call.slug, user)
    assert challenges.list_calls(None) == []


# --- submissions -------------------------------------------------------------------------------------------


def test_submitting_takes_two_confirmed_governments():
    world = make_world()
    submission = start(world, pledge=25)
    with pytest.raises(InvalidInput, match="Minstens 2 overheden"):
        call_submissions.submit(world.lead, submission)
    with pytest.raises(InvalidInput):  # a supplier does not count as a co-submitter
        call_submissions.invite(world.lead, submission, org("datalab-noord"))
    call_submissions.invite(world.lead, submission, org("GM0307"))
    assert "call.invited" in notification_kinds(world.co)
    with pytest.raises(InvalidInput):  # invited but not yet confirmed
        call_submissions.submit(world.lead, submission)
    call_submissions.confirm(world.co, submission, 0)
    call_submissions.submit(world.lead, submission)
    TESTED_SUBMISSION.add(("concept", "submit"))
    assert submission.state == "ingediend" and submission.submitted_at is not None
    assert "call.submitted" in notification_kinds(world.co) and "call.submitted" in notification_kinds(world.staff)
    with pytest.raises(InvalidTransition):
        call_submissions.submit(world.lead, submission)


def test_the_pledge_counts_together_against_the_minimum():
    world = make_world()
    submission = start(world, pledge=10)
    call_submissions.invite(world.lead, submission, org("GM0307"))
    call_submissions.confirm(world.co, submission, 5)
    with pytest.raises(InvalidInput, match="minstens 20%"):
        call_submissions.submit(world.lead, submission)
    with pytest.raises(InvalidInput):
        call_submissions.confirm(world.co, submission, 101)
    call_submissions.confirm(world.co, submission, 10)
    assert call_submissions.total_pledge(submission) == 20
    call_submissions.submit(world.lead, submission)
    assert submission.state == "ingediend"


def test_only_an_invited_organisation_confirms_and_it_may_decline():
    world = make_world()
    submission = start(world)
    call_submissions.invite(world.lead, submission, org("GM0307"))
    with pytest.raises(PermissionDenied):
        call_submissions.confirm(world.other, submission, 10)
    with pytest.raises(PermissionDenied):  # only the lead invites
        call_submissions.invite(world.co, submission, org("GM0599"))
    call_submissions.decline(world.co, submission)
    assert call_submissions.confirmed(submission) == [submission.partners[0]]
    with pytest.raises(InvalidTransition):  # the lead cannot decline its own submission
        call_submissions.decline(world.lead, submission)
    unverified = make_user("GM0307", verified=False)
    with pytest.raises(PermissionDenied):
        call_submissions.confirm(unverified, submission, 10)


def test_a_new_challenge_is_a_wiki_entry_of_type_challenge_and_amounts_are_checked():
    world = make_world()
    submission = start(world)
    assert submission.pilot.entry_type == "challenge" and submission.pilot.owner.code == "GM0344"
    assert call_submissions.own_challenges(world.lead) == [submission.pilot]
    assert call_submissions.own_challenges(world.co) == []
    with pytest.raises(InvalidInput):  # the same challenge twice in one call
        call_submissions.start_submission(world.lead, world.call, 10, pilot=submission.pilot)
    with pytest.raises(InvalidInput):  # another organisation's challenge
        call_submissions.start_submission(world.co, world.call, 10, pilot=submission.pilot)
    assert challenges.amount_field("250.000", "budget") == 250_000 and challenges.amount_field("", "budget") is None
    for bad in ("veel", "-5", "1" * 13):
        with pytest.raises(InvalidInput):
            challenges.amount_field(bad, "budget")


def test_no_submission_before_the_open_date():
    world = make_world()
    with time_machine.travel(world.call.opens_on - timedelta(days=1), tick=False):
        assert not call_submissions.accepting(world.call)
        with pytest.raises(InvalidTransition):
            start(world)


def test_suppliers_cannot_start_a_submission():
    world = make_world()
    with pytest.raises(PermissionDenied):
        call_submissions.start_submission(world.supplier, world.call, 20, text=None)


def test_no_submission_after_the_close_date_but_on_it():
    world = make_world()
    submission = start(world)
    call_submissions.invite(world.lead, submission, org("GM0307"))
    call_submissions.confirm(world.co, submission, 10)
    with time_machine.travel(world.call.closes_on + timedelta(days=1), tick=False):
        with pytest.raises(InvalidInput, match="geen challenges"):
            call_submissions.submit(world.lead, submission)
        with pytest.raises(InvalidTransition):
            start(world, "Te laat")
    with time_machine.travel(world.call.closes_on, tick=False):
        call_submissions.submit(world.lead, submission)
    assert submission.state == "ingediend"


def test_withdraw_before_the_close_only():
    world = make_world()
    draft = start(world, "Concept om in te trekken")
    call_submissions.withdraw(world.lead, draft)
    TESTED_SUBMISSION.add(("concept", "withdraw"))
    sent = submitted(world)
    with pytest.raises(PermissionDenied):
        call_submissions.withdraw(world.co, sent)
    call_submissions.withdraw(world.lead, sent, "We pakken het zelf op.")
    TESTED_SUBMISSION.add(("ingediend", "withdraw"))
    assert sent.state == draft.state == "ingetrokken"
    with pytest.raises(InvalidTransition):
        call_submissions.withdraw(world.lead, sent)
    late = submitted(world, "Nog een challenge")
    challenges.close_call(world.staff, world.call)
    with pytest.raises(InvalidTransition):
        call_submissions.withdraw(world.lead, late)
    assert challenges.public_submissions(world.call) == [late]


# --- scoring -----------------------------------------------------------------------------------------------


def test_scoring_only_by_committee_without_conflict_and_only_while_closed():
    world = make_world()
    submission = submitted(world)
    with pytest.raises(InvalidTransition):  # the call is still open
        score_all(world.judges[0], submission, [4, 4])
    challenges.close_call(world.staff, world.call)
    assert "call.closed" in notification_kinds(world.judges[0]) and "call.closed" in notification_kinds(world.lead)
    with pytest.raises(PermissionDenied, match="Uw organisatie staat op deze inzending"):
        score_all(world.conflicted, submission, [5, 5])
    for outsider in (world.other, world.staff, world.supplier):
        with pytest.raises(PermissionDenied):
            score_all(outsider, submission, [5, 5])
    with pytest.raises(InvalidInput):  # a motivation is required, scores are 1–5
        call_scoring.save_scores(world.judges[0], submission, {c.id: (6, "") for c in world.call.criteria})
    score_all(world.judges[0], submission, [4, 2])
    score_all(world.judges[0], submission, [5, 2])  # a second save replaces the first
    assert sorted(s.score for s in call_scoring.own_scores(world.judges[0], submission).values()) == [2, 5]


def test_scores_stay_private_until_you_scored_and_the_public_never_sees_them():
    world = make_world()
    submission = submitted(world)
    challenges.close_call(world.staff, world.call)
    first, second = world.judges
    score_all(first, submission, [4, 2])
    assert call_scoring.visible_scores(None, submission) == []
    assert call_scoring.visible_scores(world.lead, submission) == []
    assert call_scoring.visible_scores(second, submission) == []  # has not scored yet
    assert {s.user_id for s in call_scoring.visible_scores(first, submission)} == {first.id}
    assert {s.user_id for s in call_scoring.visible_scores(world.staff, submission)} == {first.id}
    score_all(second, submission, [2, 4])
    assert {s.user_id for s in call_scoring.visible_scores(second, submission)} == {first.id, second.id}
    assert call_scoring.published_ranking(world.call) == []


def test_the_ranking_is_the_weighted_average_of_the_mean_scores():
    world = make_world(criteria=[("Onderscheidend vermogen", 3), ("Missie", 1)])
    a = submitted(world, "Challenge A")
    b = submitted(world, "Challenge B")
    unscored = submitted(world, "Challenge C")
    challenges.close_call(world.staff, world.call)
    first, second = world.judges
    score_all(first, a, [4, 2])
    score_all(second, a, [2, 4])  # means 3 and 3 -> 3.0
    score_all(first, b, [5, 1])  # (3*5 + 1*1) / 4 = 4.0
    rows = call_scoring.ranking(world.call)
    assert [r.submission for r in rows] == [b, a, unscored]
    assert [r.score for r in rows] == [4.0, 3.0, None]
    assert rows[1].per_criterion == {world.call.criteria[0].id: 3.0, world.call.criteria[1].id: 3.0}
    assert call_scoring.weighted_average(world.call, {world.call.criteria[0].id: 5.0}) == 5.0


# --- publication -------------------------------------------------------------------------------------------


def published_world():
    world = make_world()
    top, other = submitted(world, "Challenge A"), submitted(world, "Challenge B")
    challenges.close_call(world.staff, world.call)
    score_all(world.judges[0], top, [5, 5])
    score_all(world.judges[0], other, [2, 2])
    with pytest.raises(InvalidInput):  # a reason for every challenge
        call_scoring.publish(world.staff, world.call, {top.id: (True, "Sterk")})
    with pytest.raises(PermissionDenied):
        call_scoring.publish(world.judges[0], world.call, {top.id: (True, "x"), other.id: (False, "y")})
    call_scoring.publish(
        world.staff, world.call, {top.id: (True, "Sterk en breed toepasbaar."), other.id: (False, "Te smal.")}
    )
    db.session.commit()
    return world, top, other


def test_publication_selects_with_reasons_and_opens_the_selected_for_proposals():
    world, top, other = published_world()
    TESTED_SUBMISSION.update({("ingediend", "select"), ("ingediend", "reject"), ("geselecteerd", "open_proposals")})
    assert (top.state, top.rank, top.score) == ("open_voor_voorstellen", 1, 5.0)
    assert (other.state, other.rank, other.decision_reason) == ("niet_geselecteerd", 2, "Te smal.")
    assert call_scoring.published_ranking(world.call) == [top, other]
    assert "call.selection_published" in notification_kinds(world.lead)
    assert audited("call.select") == 1 and audited("call.reject") == 1


def test_a_published_selection_is_immutable_except_by_a_correction_with_a_reason():
    world, top, other = published_world()
    with pytest.raises(InvalidTransition):
        score_all(world.judges[1], top, [1, 1])
    with pytest.raises(InvalidTransition):
        call_admin.add_committee_member(world.staff, world.call, world.other.email)
    with pytest.raises(InvalidInput):
        call_scoring.correct(world.staff, world.call, other, True, "")
    with pytest.raises(PermissionDenied):
        call_scoring.correct(world.lead, world.call, other, True, "Graag")
    call_scoring.correct(world.staff, world.call, other, True, "Rekenfout in de scores hersteld.")
    TESTED_CALL.add(("selectie_gepubliceerd", "correct"))
    TESTED_SUBMISSION.add(("niet_geselecteerd", "select"))
    assert other.state == "open_voor_voorstellen" and other.decision_reason == "Rekenfout in de scores hersteld."
    call_scoring.correct(world.staff, world.call, other, False, "Toch niet: buiten de scope.")
    TESTED_SUBMISSION.add(("open_voor_voorstellen", "reject"))
    assert other.state == "niet_geselecteerd"
    assert [t.action for t in challenges.timeline(world.call)] == ["open", "close", "publish", "correct", "correct"]


def test_a_selected_submission_can_be_rejected_by_correction_before_it_opens():
    world = make_world()
    s = submitted(world)
    challenges.close_call(world.staff, world.call)
    challenges.step(world.staff, world.call, "select", s)
    challenges.step(world.staff, world.call, "reject", s)
    TESTED_SUBMISSION.add(("geselecteerd", "reject"))
    assert s.state == "niet_geselecteerd"
    with pytest.raises(InvalidTransition):
        challenges.step(world.staff, world.call, "open_proposals", s)


# --- proposals ---------------------------------------------------------------------------------------------


def test_suppliers_propose_and_the_lead_accepts_one():
    world, top, other = published_world()
    with pytest.raises(PermissionDenied):  # the team does not propose to itself
        call_proposals.submit_proposal(world.co, top, "Zelf", "Tekst")
    with pytest.raises(PermissionDenied):  # not selected
        call_proposals.submit_proposal(world.supplier, other, "Voorstel", "Tekst")
    first = call_proposals.submit_proposal(world.supplier, top, "Slimme wachtrij", "**Aanpak**", "45000", "6 maanden")
    rival_user = make_user("open-dienst-cooperatie")
    rival = call_proposals.submit_proposal(rival_user, top, "Chatbot", "Een chatbot.")
    assert "call.proposal_received" in notification_kinds(world.lead)
    # Visibility: the team and staff see both, a proposer their own, the public none until one is accepted.
    assert call_proposals.visible_proposals(world.co, top) == [first, rival]
    assert call_proposals.visible_proposals(world.staff, top) == [first, rival]
    assert call_proposals.visible_proposals(rival_user, top) == [rival]
    assert call_proposals.visible_proposals(None, top) == []
    with pytest.raises(PermissionDenied):  # only the lead accepts
        call_proposals.accept(world.co, first, "Goed")
    with pytest.raises(InvalidInput):
        call_proposals.accept(world.lead, first, "")
    call_proposals.accept(world.lead, first, "Past het best bij onze processen.")
    TESTED_SUBMISSION.add(("open_voor_voorstellen", "accept_proposal"))
    assert top.state == "voorstel_aanvaard" and (first.state, rival.state) == ("aanvaard", "niet_aanvaard")
    assert "call.proposal_accepted" in notification_kinds(
        world.supplier
    ) and "call.proposal_declined" in notification_kinds(rival_user)
    assert call_proposals.visible_proposals(None, top) == [first]
    with pytest.raises(InvalidTransition):
        call_proposals.accept(world.lead, rival, "Toch deze")
    with pytest.raises(PermissionDenied):
        call_proposals.submit_proposal(make_user("geo-inzicht"), top, "Te laat", "Tekst")


def test_every_transition_in_the_tables_is_tested():
    """Runs last in this module: the tables and the tests above cannot drift apart."""
    assert set(CALL_TRANSITIONS) == TESTED_CALL
    assert set(SUBMISSION_TRANSITIONS) == TESTED_SUBMISSION
