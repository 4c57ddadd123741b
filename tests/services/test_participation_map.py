"""Counting for the map: confirmed participations of municipalities in live pilots, per municipality and province."""

from __future__ import annotations

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Organisation, Participation, Pilot
from pilotstarter_web.models.timeutil import utcnow
from pilotstarter_web.services.participation import is_confirmed, join_pilot
from pilotstarter_web.services.participation_map import (
    area_counts,
    build_map,
    count_bin,
    participation_pairs,
)
from tests.factories import make_pilot, make_user, org


def some_pilots() -> None:
    """Utrecht (GM0344) starts two pilots, Amsterdam and Amersfoort agreed to take part in one each; Rotterdam is
    only interested; Den Haag was put on a pilot by Utrecht without agreeing; a deleted pilot and a supplier
    never count; Antwerpen starts one."""
    utrecht = make_user("GM0344")
    first = make_pilot(utrecht, partners=["GM0363", "datalab-noord"])
    make_pilot(utrecht, partners=["GM0307"])
    join_pilot(make_user("GM0599"), first, interest_only=True)
    db.session.add(Participation(pilot=first, organisation=org("GM0518"), role="partner", created_by_id=utrecht.id))
    gone = make_pilot(make_user("GM0014"), partners=["GM0363"])
    gone.deleted_at = utcnow()
    make_pilot(make_user("BE11002"))
    db.session.commit()


def test_counts_confirmed_participations_of_municipalities_in_live_pilots():
    some_pilots()
    counts = area_counts()
    assert counts.by_organisation == {"GM0344": 2, "GM0363": 1, "GM0307": 1, "BE11002": 1}
    # Utrecht and Amersfoort are both in the province of Utrecht: each pilot counts once there.
    assert counts.by_province == {"Utrecht": 2, "Noord-Holland": 1, "Antwerpen (BE)": 1}


def test_the_sql_rule_is_is_confirmed():
    some_pilots()
    counted = set(db.session.execute(participation_pairs().with_only_columns(Participation.id)).scalars())
    for part in db.session.scalars(select(Participation).join(Pilot).where(Pilot.deleted_at.is_(None))):
        expected = is_confirmed(part) and part.role != "interested" and part.organisation.kind == "municipality"
        assert (part.id in counted) == expected, (part.organisation.code, part.role)


def test_another_relation_is_counted_by_passing_its_pairs():
    some_pilots()
    owners = (
        select(Organisation.code.label("code"), Pilot.id.label("pilot_id"))
        .join(Organisation, Organisation.id == Pilot.owner_id)
        .where(Pilot.deleted_at.is_(None))
    )
    assert area_counts(owners).by_organisation == {"GM0344": 2, "BE11002": 1}
    the_map = build_map("gemeente", owners)
    assert {(a.code, a.count) for a in the_map.linked} == {("GM0344", 2), ("BE11002", 1)}


def test_bins():
    assert [count_bin(n) for n in (0, 1, 2, 3, 4, 6, 7, 250)] == [0, 1, 2, 2, 3, 3, 4, 4]


def test_municipality_map_and_table():
    some_pilots()
    the_map = build_map("gemeente")
    assert len(the_map.areas) == 342 + 285
    assert {(a.code, a.count, a.bin) for a in the_map.linked} == {
        ("GM0344", 2, 2), ("GM0363", 1, 1), ("GM0307", 1, 1), ("BE11002", 1, 1),
    }  # fmt: skip
    assert [(province, [a.name for a in areas]) for province, areas in the_map.groups] == [
        ("Noord-Holland", ["Amsterdam"]),
        ("Utrecht", ["Amersfoort", "Utrecht"]),
        ("Antwerpen (BE)", ["Antwerpen / Anvers"]),
    ]
    assert the_map.total == 4


def test_province_map_and_an_unknown_level():
    some_pilots()
    provinces = build_map("provincie")
    assert len(provinces.areas) == 12 + 5
    assert {(a.name, a.count) for a in provinces.linked} == {
        ("Utrecht", 2),
        ("Noord-Holland", 1),
        ("Antwerpen (BE)", 1),
    }
    assert [a.name for a in provinces.groups[0][1]] == ["Noord-Holland", "Utrecht", "Antwerpen (BE)"]
    assert build_map("wijk").level == "gemeente"


def test_municipalities_off_the_map_are_still_in_the_tables():
    """Only Flanders is drawn of Belgium; a Walloon member's pilots are counted all the same."""
    make_pilot(make_user("BE62063"))  # Luik / Liège
    municipalities, provinces = build_map("gemeente"), build_map("provincie")
    assert not municipalities.linked and not provinces.linked
    assert [(p, [a.name for a in areas]) for p, areas in municipalities.groups] == [("Luik (BE)", ["Luik / Liège"])]
    assert [(a.code, a.name, a.count) for a in provinces.groups[0][1]] == [("", "Luik (BE)", 1)]


def test_a_participating_municipality_without_an_outline_is_still_in_the_table():
    newer = Organisation(code="GM9999", name="Nieuwgemeente", kind="municipality", province="Utrecht")
    db.session.add(newer)
    db.session.flush()
    make_pilot(make_user("GM0344"), partners=["GM9999"])
    the_map = build_map()
    assert "GM9999" not in {a.code for a in the_map.linked}
    assert dict(the_map.groups)["Utrecht"][0].name == "Nieuwgemeente"
