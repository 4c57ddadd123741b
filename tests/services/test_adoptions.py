"""Adoption after scale-up ("wij nemen dit over"): which entries qualify, who may declare, one adoption per
organisation, stages with their dates, withdrawing and staff corrections, notifications to the original team,
the public JSON, the numbers for the dashboard, the map and the statistics, and the activity item."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Adoption, AdoptionStep, AuditEvent, Follow, Notification, Pilot
from pilotstarter_web.services import adoption_stats, adoptions, notifications, portfolio, scaleup, statistics
from pilotstarter_web.services.activity import ActivityFilters, recent_activity
from pilotstarter_web.services.adoptions import AdoptionInput, AlreadyAdopted, NotAdoptable
from pilotstarter_web.services.errors import InvalidInput, PermissionDenied
from tests.factories import make_pilot, make_user, notification_kinds


def scale_up(pilot, owner, staff, decision: str = "opschalen") -> None:
    """Walk a pilot along the route to a decision taken today."""
    meeting = portfolio.create_meeting(staff, date.today(), f"Overleg {pilot.slug}")
    scaleup.nominate(owner, pilot, "Werkt goed in twee gemeenten.")
    scaleup.flag(staff, pilot, "Veel vraag naar.")
    scaleup.schedule(staff, pilot, meeting.id)
    scaleup.decide(staff, pilot, decision, "Breed bruikbaar.")
    db.session.commit()


@pytest.fixture
def world():
    """Utrecht's pilot with Amersfoort as partner, decided "opschalen"; adopters, a follower, staff, others."""
    owner = make_user("GM0344", email="owner@example.nl")
    staff = make_user("vng", role="vng_staff", email="staff@example.nl")
    pilot = make_pilot(owner, title="Meldingen openbare ruimte", status="afgerond", partners=["GM0307"])
    scale_up(pilot, owner, staff)
    users = {
        "owner": owner,
        "staff": staff,
        "partner": make_user("GM0307", email="partner@example.nl"),
        "colleague": make_user("GM0344", email="colleague@example.nl"),  # the initiator organisation
        "rotterdam": make_user("GM0599", email="rotterdam@example.nl"),
        "rotterdam2": make_user("GM0599", email="rotterdam2@example.nl"),
        "zwolle": make_user("GM0193", email="zwolle@example.nl"),
        "unverified": make_user("GM0363", verified=False),
        "supplier": make_user("datalab-noord", email="supplier@example.nl"),
        "follower": make_user("GM0014", email="follower@example.nl"),
    }
    db.session.add(Follow(user_id=users["follower"].id, pilot_id=pilot.id))
    db.session.commit()
    return {"pilot": pilot, **users}


def data(stage: str = "gepland", **overrides) -> AdoptionInput:
    values = {"contact_name": "An de Boer", "contact_email": "an@rotterdam.example"} | overrides
    return AdoptionInput(stage=stage, **values)


def adoption_kinds(user) -> list[str]:
    return [k for k in notification_kinds(user) if k.startswith("adoption.")]


def audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- which entries --------------------------------------------------------------------------------------


def test_only_scaled_up_pilots_and_best_practices_can_be_adopted(world):
    owner, staff = world["owner"], world["staff"]
    fresh = make_pilot(owner, title="Nog niet opgeschaald")
    not_now = make_pilot(owner, title="Niet nu")
    scale_up(not_now, owner, staff, "niet_nu")
    practice = make_pilot(owner, title="Goede praktijk")
    challenge = make_pilot(owner, title="Uitdaging")
    practice.entry_type, challenge.entry_type = "best_practice", "challenge"
    deleted = make_pilot(owner, title="Weg")
    deleted.entry_type, deleted.deleted_at = "best_practice", datetime(2026, 1, 1)
    db.session.commit()
    expected = {world["pilot"]: True, fresh: False, not_now: False, practice: True, challenge: False, deleted: False}
    assert {p: adoptions.can_be_adopted(p) for p in expected} == expected
    # The SQL form of the rule (statistics, map) agrees with the one function.
    in_sql = set(db.session.scalars(select(Pilot).where(adoption_stats.adoptable())))
    assert in_sql == {p for p, ok in expected.items() if ok}
    with pytest.raises(NotAdoptable):
        adoptions.declare(world["rotterdam"], fresh, data())
    with pytest.raises(NotAdoptable):
        adoptions.declare(world["rotterdam"], challenge, data())
    assert adoptions.declare(world["rotterdam"], practice, data()).stage == "gepland"


# --- who ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "error"),
    [
        (None, PermissionDenied),  # anonymous
        ("unverified", PermissionDenied),
        ("colleague", PermissionDenied),  # the initiator organisation adopts nothing of its own
        ("owner", PermissionDenied),
        ("supplier", PermissionDenied),  # not a government
        ("staff", PermissionDenied),  # VNG is an association, not a government
    ],
)
def test_who_may_not_declare(world, who, error):
    user = world[who] if who else None
    assert not adoptions.can_declare(user, world["pilot"])
    with pytest.raises(error):
        adoptions.declare(user, world["pilot"], data())
    db.session.rollback()
    assert db.session.scalar(select(Adoption)) is None


def test_a_partner_municipality_and_others_may_declare_once_per_organisation(world):
    pilot = world["pilot"]
    assert adoptions.can_declare(world["partner"], pilot)  # only the initiator is refused
    first = adoptions.declare(world["rotterdam"], pilot, data())
    assert first.organisation.code == "GM0599" and first.declared_by == world["rotterdam"]
    assert not adoptions.can_declare(world["rotterdam2"], pilot)
    with pytest.raises(AlreadyAdopted) as refused:
        adoptions.declare(world["rotterdam2"], pilot, data("in_gebruik"))
    assert refused.value.status == 409 and "al over" in refused.value.message
    adoptions.declare(world["zwolle"], pilot, data("in_gebruik"))
    assert [a.organisation.code for a in adoptions.adoptions_of(pilot)] == ["GM0193", "GM0599"]  # furthest first


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"stage": "klaar"}, "stage"),
        ({"contact_name": "   "}, "contact_name"),
        ({"contact_name": "x" * 121}, "contact_name"),
        ({"contact_email": "", "contact_phone": ""}, "contact_email"),
        ({"contact_email": "geen-adres"}, "contact_email"),
        ({"contact_email": "", "contact_phone": "bel me"}, "contact_phone"),
        ({"note": "x" * 1001}, "note"),
        ({"since": date.today() + timedelta(days=1)}, "since"),
        ({"since": date(1999, 12, 31)}, "since"),
    ],
)
def test_bad_input_is_refused_on_its_field(world, overrides, field):
    stage = overrides.pop("stage", "gepland")
    with pytest.raises(InvalidInput) as refused:
        adoptions.declare(world["rotterdam"], world["pilot"], data(stage, **overrides))
    assert field in refused.value.field_errors


def test_a_typed_day_is_read_or_refused():
    assert adoptions.day_from_text("2026-03-01") == date(2026, 3, 1)
    assert adoptions.day_from_text("  ") is None
    with pytest.raises(InvalidInput) as refused:
        adoptions.day_from_text("1 maart")
    assert "since" in refused.value.field_errors


def test_a_phone_number_alone_is_enough(world):
    adoption = adoptions.declare(
        world["rotterdam"], world["pilot"], data(contact_email="", contact_phone="+31 10 267 16 25")
    )
    assert adoption.contact_phone == "+31 10 267 16 25" and adoption.contact_email == ""


# --- stages, dates and history -------------------------------------------------------------------------


def test_stages_move_forward_and_back_and_keep_the_day_each_began(world):
    rotterdam = world["rotterdam"]
    adoption = adoptions.declare(rotterdam, world["pilot"], data(since=date(2026, 9, 1)))
    assert (adoption.stage, adoption.since) == ("gepland", date(2026, 9, 1))
    adoptions.update(rotterdam, adoption, data("in_uitvoering", since=date(2026, 10, 15)))
    adoptions.update(rotterdam, adoption, data("gepland"))  # stalled: back to planned, from today
    assert (adoption.stage, adoption.since) == ("gepland", date.today())
    adoptions.update(rotterdam, adoption, data("gepland", contact_name="Bo Smit"))  # contact only: no new stage
    db.session.commit()
    steps = db.session.scalars(select(AdoptionStep).order_by(AdoptionStep.id)).all()
    assert [(s.stage, s.since) for s in steps] == [
        ("gepland", date(2026, 9, 1)), ("in_uitvoering", date(2026, 10, 15)), ("gepland", date.today()),
    ]  # fmt: skip
    assert adoption.since == date.today() and adoption.contact_name == "Bo Smit"
    assert [e.data["to_stage"] for e in audited("adoption.stage_changed")] == ["in_uitvoering", "gepland"]
    assert len(audited("adoption.updated")) == 1


def test_only_the_adopting_organisation_and_staff_change_it(world):
    adoption = adoptions.declare(world["rotterdam"], world["pilot"], data())
    for outsider in (world["zwolle"], world["owner"], world["unverified"], None):
        assert not adoptions.can_manage(outsider, adoption)
        with pytest.raises(PermissionDenied):
            adoptions.update(outsider, adoption, data("in_gebruik"))
        with pytest.raises(PermissionDenied):
            adoptions.withdraw(outsider, adoption)
    adoptions.update(world["rotterdam2"], adoption, data("in_uitvoering"))  # a colleague of the same municipality
    adoptions.update(world["staff"], adoption, data("in_uitvoering", contact_name="Correctie"))
    assert [e.actor_id for e in audited("adoption.corrected")] == [world["staff"].id]


def test_withdrawing_removes_the_adoption_and_its_contact_and_is_audited(world):
    pilot = world["pilot"]
    adoption = adoptions.declare(world["rotterdam"], pilot, data())
    adoptions.withdraw(world["rotterdam2"], adoption)
    db.session.commit()
    assert db.session.scalar(select(Adoption)) is None and db.session.scalar(select(AdoptionStep)) is None
    [event] = audited("adoption.withdrawn")
    assert event.object_id == pilot.slug and event.data["organisation"] == "GM0599"
    assert adoptions.can_declare(world["rotterdam"], pilot)  # and may declare again later
    again = adoptions.declare(world["rotterdam"], pilot, data())
    adoptions.withdraw(world["staff"], again)
    assert [e.actor_id for e in audited("adoption.removed")] == [world["staff"].id]


# --- notifications and activity ------------------------------------------------------------------------


def test_the_team_hears_of_a_new_adoption_and_of_in_use_only(world):
    pilot, rotterdam = world["pilot"], world["rotterdam"]
    adoption = adoptions.declare(rotterdam, pilot, data())
    adoptions.update(rotterdam, adoption, data("in_uitvoering"))
    adoptions.update(rotterdam, adoption, data("in_gebruik"))
    db.session.commit()
    for member in ("owner", "colleague", "partner"):
        assert adoption_kinds(world[member]) == ["adoption.declared", "adoption.in_use"], member
    assert adoption_kinds(rotterdam) == [] and adoption_kinds(world["follower"]) == []  # followers: the activity
    note = db.session.scalar(
        select(Notification).where(Notification.user_id == world["owner"].id, Notification.kind == "adoption.declared")
    )
    assert notifications.message(note) == "Rotterdam neemt Meldingen openbare ruimte over"
    assert notifications.default_frequency("adoption.declared") == "immediately"
    assert notifications.default_frequency("adoption.in_use") == "daily"
    assert "…" not in notifications.kind_label("adoption.in_use")  # named on the mail settings page


def test_adoptions_are_in_the_entry_activity(world):
    pilot = world["pilot"]
    adoption = adoptions.declare(world["rotterdam"], pilot, data())
    adoptions.update(world["rotterdam"], adoption, data("in_gebruik"))
    db.session.commit()
    items = recent_activity(ActivityFilters(pilot=pilot.slug, kind="adoption")).items
    assert [(i.organisation_code, i.state, i.action) for i in items] == [
        ("GM0599", "in_gebruik", "stage"), ("GM0599", "gepland", "declare"),
    ]  # fmt: skip


# --- public JSON and numbers ---------------------------------------------------------------------------


def test_public_adoptions_hold_public_fields_only(world):
    adoptions.declare(world["rotterdam"], world["pilot"], data(since=date(2026, 10, 1), note="Intern"))
    assert adoptions.public_adoptions(world["pilot"]) == [
        {"organisation": {"code": "GM0599", "name": "Rotterdam"}, "stage": "gepland", "since": "2026-10-01"}
    ]
    assert adoptions.public_adoptions(make_pilot(world["owner"], title="Gewone pilot")) == []


def test_numbers_per_stage_and_per_organisation(world):
    pilot, owner = world["pilot"], world["owner"]
    practice = make_pilot(owner, title="Goede praktijk")
    practice.entry_type = "best_practice"
    db.session.commit()
    adoptions.declare(world["rotterdam"], pilot, data("in_gebruik"))
    adoptions.declare(world["zwolle"], pilot, data("gepland"))
    adoptions.declare(world["rotterdam"], practice, data("in_uitvoering"))
    assert adoption_stats.adoptions_summary() == {
        "gepland": 1, "in_uitvoering": 1, "in_gebruik": 1, "total": 3, "entries": 2, "organisations": 2,
    }  # fmt: skip
    assert adoption_stats.adoption_counts_by_organisation() == [("GM0599", 2), ("GM0193", 1)]
    practice.entry_type = "challenge"  # no longer adoptable: its adoptions stop counting
    assert adoption_stats.adoption_counts_by_organisation() == [("GM0193", 1), ("GM0599", 1)]


def test_the_statistics_page_and_api_count_reuse(world, client):
    adoptions.declare(world["rotterdam"], world["pilot"], data("in_gebruik"))
    adoptions.declare(world["zwolle"], world["pilot"], data("gepland"))
    db.session.commit()
    figures = statistics.compute()
    assert [(c.key, c.value) for c in figures.adoptions] == [("gepland", 1), ("in_gebruik", 1)]
    assert (figures.reused_entries, figures.adopting_organisations) == (1, 2)
    body = client.get("/api/v1/statistics").get_json()["adoptions"]
    assert body["organisations"] == 2 and {s["key"]: s["count"] for s in body["stages"]} == {
        "gepland": 1, "in_gebruik": 1,
    }  # fmt: skip
    page = client.get("/statistieken").get_data(as_text=True)
    assert 'id="hergebruik"' in page and "organisaties nemen een opgeschaalde oplossing over" in page


def test_the_dashboard_puts_decisions_without_adoption_after_n_months_first(world):
    owner, staff = world["owner"], world["staff"]
    lonely = make_pilot(owner, title="Niemand neemt dit over")
    scale_up(lonely, owner, staff)
    adoptions.declare(world["rotterdam"], world["pilot"], data("in_gebruik"))
    adoptions.declare(world["zwolle"], world["pilot"], data("gepland"))
    now = adoption_stats.decisions_overview()
    assert [r.pilot.title for r in now.rows] == ["Niemand neemt dit over", "Meldingen openbare ruimte"]
    assert now.stale_count == 0 and now.rows[0].months == 0  # decided today: nothing stands out yet
    assert now.totals == {"gepland": 1, "in_uitvoering": 0, "in_gebruik": 1, "total": 2}
    assert now.rows[1].counts == {"gepland": 1, "in_uitvoering": 0, "in_gebruik": 1}
    later = adoption_stats.decisions_overview(6, today=date.today() + timedelta(days=200))
    assert later.rows[0].pilot == lonely and later.rows[0].months == 6 and later.is_stale(later.rows[0])
    assert later.stale_count == 1 and not later.is_stale(later.rows[1])


def test_whole_months_between_days():
    assert adoption_stats.months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert adoption_stats.months_between(date(2026, 1, 15), date(2026, 7, 15)) == 6
    assert adoption_stats.months_between(date(2026, 5, 1), date(2026, 4, 1)) == 0
