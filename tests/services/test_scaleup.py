"""The scale-up state machine: every allowed step, refused steps, who may do what, and what each step leaves
behind (timeline, audit event, ChangeLog row, notifications), plus the checklist."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, ChangeLog, Follow, Notification, ScaleUpTransition
from pilotstarter_web.services import attachments, portfolio, scaleup
from pilotstarter_web.services.errors import InvalidInput, PermissionDenied
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.scaleup import InvalidTransition
from pilotstarter_web.services.scaleup_checklist import checklist
from tests.factories import make_pilot, make_user

READY_BODY = """## Aanleiding

Burgers melden losliggende tegels.

## Resultaten

De app werkt volgens Common Ground met open standaarden (ZGW API's).
De broncode staat op GitHub onder de EUPL-licentie; er is een DPIA en een verwerkersovereenkomst.
Kosten: 40.000 euro eenmalig en 0,2 fte beheer.
"""


@pytest.fixture
def world():
    """Utrecht's pilot with Amersfoort as partner, a follower, staff and an outsider."""
    owner = make_user("GM0344", email="owner@example.nl")
    pilot = make_pilot(owner, title="Meldingen openbare ruimte", body=READY_BODY, status="lopend", partners=["GM0307"])
    users = {
        "owner": owner,
        "partner": make_user("GM0307", email="partner@example.nl"),
        "unverified": make_user("GM0344", verified=False),
        "outsider": make_user("GM0363", email="outsider@example.nl"),
        "vng_staff": make_user("vng", role="vng_staff", email="staff@example.nl"),
        "admin": make_user("vng", role="admin", email="admin@example.nl"),
        "follower": make_user("GM0599", email="follower@example.nl"),
    }
    db.session.add(Follow(user_id=users["follower"].id, pilot_id=pilot.id))
    meeting = portfolio.create_meeting(users["vng_staff"], date(2026, 12, 1), "Portfolio-overleg december")
    db.session.commit()
    return {"pilot": pilot, "meeting": meeting, **users}


def to_state(world, state: str) -> None:
    """Walk the pilot along the route to ``state``."""
    pilot, staff = world["pilot"], world["vng_staff"]
    steps = {
        "genomineerd": [lambda: scaleup.nominate(world["owner"], pilot, "Werkt goed in twee gemeenten.")],
        "teruggestuurd": ["genomineerd", lambda: scaleup.send_back(staff, pilot, "Wat kost het beheer?")],
        "opschaalbaar": ["genomineerd", lambda: scaleup.flag(staff, pilot, "Veel vraag naar.")],
        "geagendeerd": ["opschaalbaar", lambda: scaleup.schedule(staff, pilot, world["meeting"].id)],
        "wordt_opgeschaald": ["geagendeerd", lambda: scaleup.decide(staff, pilot, "opschalen", "Breed bruikbaar.")],
        "niet_nu": ["geagendeerd", lambda: scaleup.decide(staff, pilot, "niet_nu", "Eerst evalueren.")],
        "meer_informatie": [
            "geagendeerd",
            lambda: scaleup.decide(staff, pilot, "meer_informatie", "Onvoldoende.", questions="Welke licentie?"),
        ],
    }
    if state == "geen":
        return
    for step in steps[state]:
        if isinstance(step, str):
            to_state(world, step)
        else:
            step()
    db.session.commit()
    assert pilot.scale_up_state == state


def do(world, action: str, who: str = "vng_staff"):
    pilot, user = world["pilot"], world[who] if who != "anonymous" else None
    return {
        "nominate": lambda: scaleup.nominate(user, pilot, "Motivering", "Alle gemeenten", "10.000 euro"),
        "flag": lambda: scaleup.flag(user, pilot, "Opschaalbaar"),
        "send_back": lambda: scaleup.send_back(user, pilot, "Vragen"),
        "schedule": lambda: scaleup.schedule(user, pilot, world["meeting"].id),
        "unschedule": lambda: scaleup.unschedule(user, pilot),
        "decide": lambda: scaleup.decide(user, pilot, "opschalen", "Goed idee", "Bouwblok maken"),
    }[action]()


ALLOWED = [
    ("geen", "nominate", "genomineerd", "owner"),
    ("teruggestuurd", "nominate", "genomineerd", "partner"),
    ("meer_informatie", "nominate", "genomineerd", "owner"),
    ("niet_nu", "nominate", "genomineerd", "owner"),
    ("geen", "flag", "opschaalbaar", "vng_staff"),
    ("genomineerd", "flag", "opschaalbaar", "admin"),
    ("genomineerd", "send_back", "teruggestuurd", "vng_staff"),
    ("opschaalbaar", "send_back", "teruggestuurd", "vng_staff"),
    ("opschaalbaar", "schedule", "geagendeerd", "vng_staff"),
    ("geagendeerd", "unschedule", "opschaalbaar", "vng_staff"),
    ("geagendeerd", "decide", "wordt_opgeschaald", "admin"),
]


def test_the_table_lists_exactly_the_tested_transitions():
    tested = {(s, a if a != "decide" else "decide:opschalen") for s, a, _, _ in ALLOWED}
    tested |= {("geagendeerd", "decide:niet_nu"), ("geagendeerd", "decide:meer_informatie")}  # see test_decisions
    assert set(scaleup.TRANSITIONS) == tested


@pytest.mark.parametrize("start,action,target,who", ALLOWED)
def test_every_allowed_transition_moves_state_and_leaves_a_trail(world, start, action, target, who):
    to_state(world, start)
    pilot = world["pilot"]
    changes_before = db.session.scalar(select(db.func.count()).select_from(ChangeLog))
    do(world, action, who)
    db.session.commit()
    assert pilot.scale_up_state == target
    step = scaleup.timeline(pilot)[-1]
    assert (step.action, step.from_state, step.to_state, step.actor_id) == (action, start, target, world[who].id)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == f"scaleup.{action}" and event.object_id == pilot.slug
    assert event.actor_id == world[who].id and (event.data["from_state"], event.data["to_state"]) == (start, target)
    assert event.created_at is not None
    assert db.session.scalar(select(db.func.count()).select_from(ChangeLog)) == changes_before + 1
    latest = db.session.scalars(select(ChangeLog).order_by(ChangeLog.id.desc())).first()
    assert (latest.pilot_id, latest.operation) == (pilot.id, "upsert")


@pytest.mark.parametrize(
    "decision,target",
    [("opschalen", "wordt_opgeschaald"), ("niet_nu", "niet_nu"), ("meer_informatie", "meer_informatie")],
)
def test_decisions(world, decision, target):
    to_state(world, "geagendeerd")
    review = scaleup.decide(
        world["admin"], world["pilot"], decision, "Omdat.", "- Bouwblok maken\n- Financiering zoeken", "Welke kosten?"
    )
    db.session.commit()
    assert world["pilot"].scale_up_state == target and review.state == target
    assert review.decided_by == world["admin"] and review.meeting == world["meeting"]
    assert review.follow_up_actions == ["Bouwblok maken", "Financiering zoeken"]
    assert scaleup.scale_up_json(world["pilot"])["decision"]["decision"] == decision


FORBIDDEN = [
    ("geen", "send_back"),
    ("geen", "schedule"),
    ("geen", "decide"),
    ("geen", "unschedule"),
    ("genomineerd", "nominate"),
    ("genomineerd", "schedule"),
    ("genomineerd", "decide"),
    ("opschaalbaar", "decide"),
    ("opschaalbaar", "flag"),
    ("geagendeerd", "schedule"),
    ("geagendeerd", "flag"),
    ("wordt_opgeschaald", "decide"),
    ("wordt_opgeschaald", "nominate"),
    ("wordt_opgeschaald", "flag"),
    ("teruggestuurd", "flag"),
]


@pytest.mark.parametrize("start,action", FORBIDDEN)
def test_forbidden_transitions_raise_and_change_nothing(world, start, action):
    to_state(world, start)
    steps = len(scaleup.timeline(world["pilot"]))
    who = "owner" if action == "nominate" else "vng_staff"
    with pytest.raises(InvalidTransition) as exc:
        do(world, action, who)
    assert exc.value.status == 409 and "niet toegestaan" in exc.value.message
    db.session.rollback()
    assert world["pilot"].scale_up_state == start
    assert len(scaleup.timeline(world["pilot"])) == steps


PERSONAS = ["anonymous", "unverified", "outsider", "owner", "partner", "vng_staff", "admin"]
# action -> (state to start from, personas allowed)
MATRIX = {
    "nominate": ("geen", {"owner", "partner"}),
    "flag": ("genomineerd", {"vng_staff", "admin"}),
    "send_back": ("genomineerd", {"vng_staff", "admin"}),
    "schedule": ("opschaalbaar", {"vng_staff", "admin"}),
    "unschedule": ("geagendeerd", {"vng_staff", "admin"}),
    "decide": ("geagendeerd", {"vng_staff", "admin"}),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(world, action, persona):
    start, allowed = MATRIX[action]
    to_state(world, start)
    if persona in allowed:
        do(world, action, persona)
        assert world["pilot"].scale_up_state != start
    else:
        with pytest.raises(PermissionDenied):
            do(world, action, persona)
        db.session.rollback()
        assert world["pilot"].scale_up_state == start


def test_interested_organisation_cannot_nominate(world):
    curious = make_user("GM0014")
    join_pilot(curious, world["pilot"], interest_only=True)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        scaleup.nominate(curious, world["pilot"], "Graag")
    assert not scaleup.can_nominate(curious, world["pilot"])
    assert scaleup.can_nominate(world["partner"], world["pilot"])


def test_required_texts_are_explained_per_field(world):
    with pytest.raises(InvalidInput) as exc:
        scaleup.nominate(world["owner"], world["pilot"], "   ")
    assert "motivation" in exc.value.field_errors
    to_state(world, "geagendeerd")
    with pytest.raises(InvalidInput) as exc:
        scaleup.decide(world["vng_staff"], world["pilot"], "meer_informatie", "Onduidelijk", questions="")
    assert "questions" in exc.value.field_errors
    with pytest.raises(InvalidInput) as exc:
        scaleup.decide(world["vng_staff"], world["pilot"], "ja", "Goed")
    assert "decision" in exc.value.field_errors
    assert world["pilot"].scale_up_state == "geagendeerd"


def test_participants_followers_and_staff_are_notified(world):
    scaleup.nominate(world["owner"], world["pilot"], "Werkt goed.")
    db.session.commit()

    def recipients(kind):
        return set(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))

    expected = {world[k].id for k in ("partner", "follower", "vng_staff", "admin")}
    assert recipients("scaleup.nominated") == expected  # never the actor, never the unverified
    scaleup.flag(world["vng_staff"], world["pilot"], "Opschaalbaar")
    scaleup.schedule(world["vng_staff"], world["pilot"], world["meeting"].id)
    scaleup.decide(world["vng_staff"], world["pilot"], "opschalen", "Breed bruikbaar")
    db.session.commit()
    audience = {world[k].id for k in ("owner", "partner", "follower")}
    assert recipients("scaleup.flagged") == audience
    assert recipients("scaleup.scheduled") == audience
    assert recipients("scaleup.decided.opschalen") == audience
    from pilotstarter_web.services.notifications import message

    note = db.session.scalars(select(Notification).where(Notification.kind == "scaleup.scheduled")).first()
    assert message(note) == "De pilot Meldingen openbare ruimte staat op de agenda van Portfolio-overleg december"


def test_meer_informatie_goes_back_and_a_renomination_opens_a_new_round(world):
    to_state(world, "meer_informatie")
    first = scaleup.current_review(world["pilot"])
    assert first.questions == "Welke licentie?"
    second = scaleup.nominate(world["partner"], world["pilot"], "Licentie is EUPL.")
    db.session.commit()
    assert second.id != first.id and first.decision == "meer_informatie"
    assert world["pilot"].scale_up_state == "genomineerd"
    assert scaleup.latest_decision(world["pilot"]) == first  # the earlier decision stays readable
    actions = [s.action for s in scaleup.timeline(world["pilot"])]
    assert actions == ["nominate", "flag", "schedule", "decide", "nominate"]


def test_agenda_order_move_and_unschedule(world):
    staff, meeting = world["vng_staff"], world["meeting"]
    other = make_pilot(world["owner"], title="Tweede pilot")
    third = make_pilot(world["owner"], title="Derde pilot")
    for p in (world["pilot"], other, third):
        scaleup.flag(staff, p, "Opschaalbaar")
        scaleup.schedule(staff, p, meeting.id)
    db.session.commit()
    assert [r.pilot.title for r in meeting.agenda] == ["Meldingen openbare ruimte", "Tweede pilot", "Derde pilot"]
    portfolio.move_item(staff, meeting, meeting.agenda[2].id, "up")
    db.session.commit()
    db.session.expire(meeting)
    assert [r.pilot.title for r in meeting.agenda] == ["Meldingen openbare ruimte", "Derde pilot", "Tweede pilot"]
    scaleup.unschedule(staff, world["pilot"], "Volgende keer")
    db.session.commit()
    db.session.expire(meeting)
    assert [(r.agenda_position, r.pilot.title) for r in meeting.agenda] == [(1, "Derde pilot"), (2, "Tweede pilot")]
    assert world["pilot"].scale_up_state == "opschaalbaar"
    with pytest.raises(PermissionDenied):
        portfolio.move_item(world["owner"], meeting, meeting.agenda[0].id, "down")


def test_schedule_on_an_unknown_meeting_is_not_found(world):
    to_state(world, "opschaalbaar")
    from pilotstarter_web.services.errors import NotFound

    with pytest.raises(NotFound):
        scaleup.schedule(world["vng_staff"], world["pilot"], 999999)
    with pytest.raises(NotFound):
        scaleup.schedule(world["vng_staff"], world["pilot"], "abc")


def test_checklist_reads_the_text_and_the_documents(world):
    pilot = world["pilot"]
    for kind in ("dpia", "contract", "codelicentie"):  # DPIA, contracts and the licence count as documents only
        attachments.upload(world["owner"], pilot, kind, kind, attachments.Upload(io.BytesIO(b"tekst\n"), "a.txt"))
    ready = {item.key: item.met for item in checklist(pilot, None)}
    keys = ["municipalities", "results", "standards", "dpia", "contracts", "licence", "costs"]
    assert ready == dict.fromkeys(keys, True)
    assert {item.key: item.met for item in checklist(pilot, None, documents=set())} == {
        **dict.fromkeys(keys, True), "dpia": False, "contracts": False, "licence": False,
    }  # fmt: skip
    bare = make_pilot(world["owner"], title="Kale pilot", body="## Aanleiding\n\nEen idee.\n")
    items = {item.key: item for item in checklist(bare, None)}
    assert not any(item.met for item in items.values())
    assert "DPIA" in items["dpia"].hint and "broncode" in items["licence"].hint
    assert "1 gemeente" in items["municipalities"].hint
    # costs named in the nomination count too
    review = scaleup.nominate(world["owner"], bare, "Werkt.", costs="5.000 per jaar")
    assert {i.key: i.met for i in checklist(bare, review)}["costs"] is True


def test_dashboard_counts_and_queue(world):
    to_state(world, "genomineerd")
    later = make_pilot(world["owner"], title="Later voorgedragen")
    scaleup.nominate(world["owner"], later, "Ook goed")
    db.session.commit()
    counts = portfolio.state_counts()
    assert counts["genomineerd"] == 2 and counts["wordt_opgeschaald"] == 0
    assert [r.pilot.title for r in portfolio.queue()] == ["Meldingen openbare ruimte", "Later voorgedragen"]


def test_public_decisions_hide_undecided_items(world):
    to_state(world, "wordt_opgeschaald")
    other = make_pilot(world["owner"], title="Nog te bespreken")
    scaleup.flag(world["vng_staff"], other, "Ja")
    scaleup.schedule(world["vng_staff"], other, world["meeting"].id)
    db.session.commit()
    body = portfolio.public_meeting_json(world["meeting"])
    assert [d["pilot"]["title"] for d in body["decisions"]] == ["Meldingen openbare ruimte"]
    assert "minutes" not in body
    assert [r.pilot.title for r in portfolio.scaled_pilots()] == ["Meldingen openbare ruimte"]


def test_audit_filters(world):
    to_state(world, "opschaalbaar")
    events, total = portfolio.audit_events(world["admin"], portfolio.AuditFilters(action="scaleup."))
    assert total == 2 and [e.action for e, _ in events] == ["scaleup.flag", "scaleup.nominate"]
    events, total = portfolio.audit_events(world["admin"], portfolio.AuditFilters(actor="staff@"))
    actions = {e.action for e, _ in events}
    assert {"scaleup.flag", "portfolio.meeting_created"} <= actions and "scaleup.nominate" not in actions
    _, total = portfolio.audit_events(world["admin"], portfolio.AuditFilters(date_to=date(2000, 1, 1)))
    assert total == 0
    with pytest.raises(PermissionDenied):
        portfolio.audit_events(world["owner"], portfolio.AuditFilters())


def test_transition_rows_match_audit(world):
    to_state(world, "wordt_opgeschaald")
    steps = db.session.scalars(select(ScaleUpTransition).order_by(ScaleUpTransition.id)).all()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.startswith("scaleup.")).order_by(AuditEvent.id)
    ).all()
    assert [(s.from_state, s.to_state) for s in steps] == [(e.data["from_state"], e.data["to_state"]) for e in events]
    assert steps[2].meeting.title == "Portfolio-overleg december"


def test_suggestions_are_pilots_many_others_work_on(world):
    text = "Sensoren in het riool meten de vulling van putten en voorspellen verstoppingen voor gericht onderhoud."
    running = make_pilot(make_user("GM0150"), title="Rioolsensoren voor onderhoud", body=text, status="afgerond")
    for code in ("GM0193", "GM0200"):
        make_pilot(make_user(code), title="Slimme riolering met sensoren", body=text + " Ook bij ons.", status="idee")
    suggested = {s.pilot.slug: s for s in portfolio.suggestions()}
    assert running.slug in suggested and suggested[running.slug].similar_elsewhere >= 2
    scaleup.flag(world["vng_staff"], running, "Veel vraag")  # once routed, no longer suggested
    assert running.slug not in {s.pilot.slug for s in portfolio.suggestions()}
