"""`flask demo-calls`: an open call with a submitted and a concept challenge, a published call with an accepted
proposal; running it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import CallTransition, ChallengeCall


def test_demo_calls_fills_both_calls_and_is_idempotent(runner):
    assert runner.invoke(args=["demo-calls"]).exit_code != 0  # needs the demo accounts first
    assert runner.invoke(args=["demo-accounts"]).exit_code == 0
    first = runner.invoke(args=["demo-calls"])
    assert first.exit_code == 0, first.output
    calls = {c.state: c for c in db.session.scalars(select(ChallengeCall))}
    assert set(calls) == {"open", "selectie_gepubliceerd"}
    assert sorted(s.state for s in calls["open"].submissions) == ["concept", "ingediend"]
    published = calls["selectie_gepubliceerd"]
    assert [s.state for s in sorted(published.submissions, key=lambda s: s.rank)] == [
        "voorstel_aanvaard", "niet_geselecteerd",
    ]  # fmt: skip
    assert len(published.submissions[0].proposals) == 2
    steps = db.session.scalar(select(func.count()).select_from(CallTransition))
    again = runner.invoke(args=["demo-calls"])
    assert again.exit_code == 0 and "al aanwezig" in again.output
    assert db.session.scalar(select(func.count()).select_from(CallTransition)) == steps
