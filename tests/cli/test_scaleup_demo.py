"""`flask demo-scaleup`: demo pilots at every stage and a past meeting with decisions; running it twice
changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot, PortfolioMeeting, ScaleUpTransition
from pilotstarter_web.services import portfolio, scaleup
from tests.conftest import CONTENT


def test_demo_scaleup_fills_every_stage_and_is_idempotent(runner):
    assert runner.invoke(args=["import-content", str(CONTENT / "pilots")]).exit_code == 0
    assert runner.invoke(args=["demo-scaleup"]).exit_code != 0  # needs the demo accounts first
    assert runner.invoke(args=["demo-accounts"]).exit_code == 0
    first = runner.invoke(args=["demo-scaleup"])
    assert first.exit_code == 0, first.output
    counts = portfolio.state_counts()
    assert all(n >= 1 for state, n in counts.items() if state != "geen"), counts
    past = db.session.scalar(select(PortfolioMeeting).where(PortfolioMeeting.title.contains("vorige")))
    assert [d["decision"] for d in portfolio.public_meeting_json(past)["decisions"]] == [
        "opschalen", "opschalen", "niet_nu", "meer_informatie",
    ]  # fmt: skip
    for pilot in db.session.scalars(select(Pilot).where(Pilot.id.in_(select(ScaleUpTransition.pilot_id)))):
        moments = [t.created_at for t in scaleup.timeline(pilot)]
        assert moments == sorted(moments) and len(set(moments)) == len(moments), pilot.slug  # in the order it happened
        review = scaleup.latest_decision(pilot)
        if review is not None:
            assert review.decided_at == moments[-1] and review.decided_at.date() == past.date
            assert review.flagged_at is None or review.flagged_at < review.decided_at
    steps = db.session.scalar(select(func.count()).select_from(ScaleUpTransition))
    again = runner.invoke(args=["demo-scaleup"])
    assert again.exit_code == 0 and "al aanwezig" in again.output
    assert db.session.scalar(select(func.count()).select_from(ScaleUpTransition)) == steps
    assert portfolio.state_counts() == counts
