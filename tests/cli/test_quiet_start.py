"""What `scripts/run.sh` runs at every start: quiet setup commands and a reindex only when something changed."""

from __future__ import annotations

import logging

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent
from tests.factories import make_pilot, make_user


def test_demo_accounts_keep_their_audit_events_in_the_database_not_on_the_terminal(runner, caplog):
    caplog.set_level(logging.INFO)
    result = runner.invoke(args=["demo-accounts"])
    assert result.exit_code == 0, result.output
    assert "admin@pilotstarter.example" in result.output
    assert not [r for r in caplog.records if r.name == "pilotstarter.audit" and r.levelno < logging.WARNING]
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "account.created")).all()
    assert len(created) == 5
    assert logging.getLogger("pilotstarter.audit").level != logging.WARNING  # put back after the command


def test_reindex_if_needed_skips_what_is_up_to_date_and_rebuilds_what_is_behind(runner):
    make_pilot(make_user("GM0344"), title="Slimme lantaarnpalen")
    db.session.commit()
    first = runner.invoke(args=["reindex"])
    assert first.exit_code == 0, first.output
    assert "Zoekindex opnieuw opgebouwd: 1 pilots." in first.output

    again = runner.invoke(args=["reindex", "--if-needed"])
    assert again.exit_code == 0, again.output
    assert "Zoekindex is bijgewerkt: niet opnieuw opgebouwd." in again.output
    assert "Vergelijkingsmodel is bijgewerkt: niet opnieuw berekend." in again.output

    make_pilot(make_user("GM0599"), title="Digitale balie")
    db.session.commit()
    after_change = runner.invoke(args=["reindex", "--if-needed"])
    assert after_change.exit_code == 0, after_change.output
    assert "Vergelijkingsmodel opnieuw berekend: 2 pilots." in after_change.output


def test_reindex_if_needed_rebuilds_a_missing_index(runner, app):
    from pilotstarter_web.services.fulltext_search import search_service

    make_pilot(make_user("GM0344"), title="Slimme lantaarnpalen")
    db.session.commit()
    search_service().drop()
    result = runner.invoke(args=["reindex", "--if-needed"])
    assert result.exit_code == 0, result.output
    assert "Zoekindex opnieuw opgebouwd: 1 pilots." in result.output
