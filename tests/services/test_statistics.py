"""The statistics service: exact figures on a known data set (tests/statistics_data.py), the timeline's periods
for any span, and a bounded number of queries however many pilots there are."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from pilotstarter_web.extensions import db
from pilotstarter_web.services import statistics
from pilotstarter_web.services.statistics import MAX_POINTS, compute, timeline
from tests import statistics_data
from tests.factories import make_pilot, make_user


def _pairs(counts) -> list[tuple[str, int]]:
    return [(c.key, c.value) for c in counts]


@pytest.fixture
def stats(app):
    statistics_data.build()
    with app.test_request_context("/"):
        yield compute()


def test_headline_numbers_count_only_visible_pilots_and_agreed_municipalities(stats):
    assert stats.pilots == 5  # P4 deleted and P7 merged do not count
    assert stats.municipalities == 4  # Utrecht, Rotterdam, Groningen, Amsterdam; not Enschede, not Antwerpen
    assert stats.scaled_up == 2  # P1 and P5; P4 was scaled up but is deleted
    assert (stats.share_taking_part, stats.share_total) == (4, 342)
    assert stats.share_percent == 1.2


def test_pilots_and_municipalities_over_time(stats):
    pilots = stats.pilots_over_time
    assert pilots.granularity == "month" and not pilots.folded
    assert [(p.key, p.new, p.cumulative) for p in pilots.periods] == [
        ("2025-01", 2, 2), ("2025-02", 0, 2), ("2025-03", 1, 3), ("2025-04", 2, 5),
    ]  # fmt: skip
    assert pilots.periods[0].label == "jan 2025" and pilots.periods[0].start == date(2025, 1, 1)
    municipalities = stats.municipalities_over_time  # each one from the first time it took part
    assert [(p.key, p.new, p.cumulative) for p in municipalities.periods] == [
        ("2025-01", 2, 2), ("2025-02", 1, 3), ("2025-03", 0, 3), ("2025-04", 1, 4),
    ]  # fmt: skip


def test_pilots_per_theme_status_province_and_scale_up_state(stats):
    assert _pairs(stats.themes) == [("data", 3), ("zorg", 2), ("jeugd", 1)]
    assert [c.label for c in stats.themes] == ["Data", "Zorg en Wmo", "Jeugd"]
    assert _pairs(stats.statuses) == [("idee", 1), ("lopend", 2), ("afgerond", 1), ("gestopt", 1)]
    assert _pairs(stats.provinces) == [("Utrecht", 3), ("Groningen", 2), ("Zuid-Holland", 2), ("Noord-Holland", 1)]
    assert _pairs(stats.scale_up_states) == [("geen", 2), ("wordt_opgeschaald", 2), ("niet_nu", 1)]


def test_municipalities_by_number_of_pilots(stats):
    # Utrecht 3 (P1, P2, P3), Rotterdam 2, Groningen 2 (joined P1; owns P6; only interested in P5), Amsterdam 1.
    assert _pairs(stats.pilots_per_municipality) == [("1", 1), ("2", 2), ("3-5", 1), ("6+", 0)]


def test_time_from_nomination_to_decision_per_outcome(stats):
    by_decision = {d.decision: d for d in stats.durations}
    assert set(by_decision) == {"opschalen", "niet_nu"}  # P5 had no nomination, P4 is deleted
    scaled = by_decision["opschalen"]
    assert (scaled.count, scaled.median_days, scaled.min_days, scaled.max_days) == (1, 10, 10, 10)
    later = by_decision["niet_nu"]  # two rounds of P3
    assert (later.count, later.median_days, later.min_days, later.max_days) == (2, 25.5, 20, 31)
    assert later.label == "Niet nu"


def test_empty_database(app):
    with app.test_request_context("/"):
        stats = compute()
    assert (stats.pilots, stats.municipalities, stats.scaled_up, stats.share_percent) == (0, 0, 0, 0)
    assert stats.pilots_over_time.periods == [] and stats.themes == [] and stats.durations == []
    assert [c.value for c in stats.pilots_per_municipality] == [0, 0, 0, 0]


def _series(tl) -> list[tuple[str, int, int]]:
    return [(p.key, p.new, p.cumulative) for p in tl.periods]


def test_timeline_granularity_follows_the_span(app):
    with app.test_request_context("/"):
        assert _series(timeline({(2026, 5): 3})) == [("2026-05", 3, 3)]
        months = timeline({(2024, 1): 1, (2026, 12): 2})  # 36 months
        assert months.granularity == "month" and len(months.periods) == 36
        quarters = timeline({(2024, 1): 1, (2027, 1): 2, (2027, 2): 1})  # 37 months
        assert quarters.granularity == "quarter" and len(quarters.periods) == 13
        assert _series(quarters)[-1] == ("2027-Q1", 3, 4)
        assert quarters.periods[0].label == "K1 2024"
        years = timeline({(2000, 1): 1, (2016, 8): 2})  # 200 months
        assert years.granularity == "year" and len(years.periods) == 17 and years.total == 3


def test_timeline_of_centuries_folds_the_earliest_years_into_the_first_point(app):
    with app.test_request_context("/"):
        tl = timeline({(1, 1): 5, (1900, 6): 7, (2026, 1): 1})
    assert tl.folded and len(tl.periods) == MAX_POINTS
    assert tl.periods[0].key == f"{2026 - MAX_POINTS + 1}" and tl.periods[0].new == 12
    assert tl.periods[-1].cumulative == 13 and tl.total == 13


def test_a_constant_number_of_queries_whatever_the_number_of_pilots(app):
    """Aggregates only: twenty more pilots with partners add no query (no loop over pilots)."""

    def queries() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with app.test_request_context("/"):
                compute()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    author = make_user("GM0344")
    make_pilot(author, partners=["GM0599"])
    before = queries()
    for _ in range(20):
        make_pilot(author, partners=["GM0599", "GM0363"], themes=["jeugd", "wonen"])
    assert queries() == before <= 15
    with app.test_request_context("/"):
        assert compute().pilots == 21


def test_figures_are_reused_until_a_pilot_changes(app):
    author = make_user("GM0344")
    make_pilot(author)
    statistics._cache.clear()
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    with app.test_request_context("/"):
        assert statistics.current().pilots == 1
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert statistics.current().pilots == 1
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(seen) == 1  # only the look-up of the newest change
        make_pilot(author)  # a change: the next answer is computed afresh
        assert statistics.current().pilots == 2
    with app.test_request_context("/"), force_locale("en"):
        assert statistics.current().statuses[0].label == "Idea"  # each language its own labels
    assert len(statistics._cache) <= statistics.CACHE_ENTRIES


def test_share_counts_only_dutch_municipalities(app):
    make_pilot(make_user("BE11002"))  # Antwerpen: taking part, but not one of the Dutch municipalities
    with app.test_request_context("/"):
        stats = compute()
    assert stats.municipalities == 1 and stats.share_taking_part == 0
    assert statistics.SHARE_COUNTRY == "NL"


def test_entries_per_type(app):
    author = make_user("GM0344")
    make_pilot(author, title="Een pilot")
    make_pilot(author, title="Een tweede pilot")
    make_pilot(author, title="Een goede praktijk", entry_type="best_practice", status="in_gebruik")
    make_pilot(author, title="Een vraagstuk", entry_type="challenge", status="open")
    with app.test_request_context("/"):
        figures = compute()
    assert [(c.key, c.label, c.value) for c in figures.types] == [
        ("pilot", "Pilots", 2), ("best_practice", "Best practices", 1), ("challenge", "Challenges", 1),
    ]  # fmt: skip
