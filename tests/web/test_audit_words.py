"""The audit log reads as sentences naming people, organisations and pilots, in Dutch local time; the raw
event is still there, folded away."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent
from pilotstarter_web.portfolio import audit_text
from pilotstarter_web.services import audit
from pilotstarter_web.services.participation import join_pilot
from tests.factories import make_pilot, make_user


def test_events_read_as_sentences_with_names_links_and_local_time(client, auth):
    admin = make_user("GM0344", role="admin", name="Anna Beheer")
    newcomer = make_user("GM0599", verified=False, name="Nina Nieuw")  # account.created: role=member, verified=False
    pilot = make_pilot(make_user("GM0344"), title="Slimme bruggen")
    join_pilot(make_user("GM0363", name="Piet Amsterdam"), pilot)
    audit.record("account.verified", admin, "user", newcomer.id)
    db.session.commit()
    for event in db.session.scalars(select(AuditEvent)):
        event.created_at = datetime(2026, 7, 1, 10, 0)  # UTC: 12:00 in Amsterdam (summer time)
    db.session.commit()
    auth.login(admin)
    page = client.get("/portfolio/audit").get_data(as_text=True)
    assert "Account aangemaakt voor Nina Nieuw" in page and "lid, nog niet geverifieerd" in page
    assert "Anna Beheer (" in page and "verifieerde het account van Nina Nieuw" in page
    assert "Piet Amsterdam (user" in page  # the actor by name, then the organisation and pilot linked by name
    assert (
        '>Amsterdam</a> aan bij <a class="utrecht-link" href="/pilots/slimme-bruggen">Slimme bruggen</a> als partner'
        in page
    )
    assert ">1 juli 2026, 12:00</time>" in page and "UTC" not in page
    assert "<summary>Details</summary>" in page and "pilot.joined" in page  # the raw event, secondary
    assert ">Organisatie doet mee</option>" in page  # the filter names actions too


def test_names_are_escaped_and_unknown_actions_still_read():
    make_user("GM0344")
    evil = make_user("GM0344", name="<b>Eva</b>")
    event = audit.record("something.new", evil, "thing", 7, detail="x")
    db.session.flush()
    [line] = audit_text.describe([(event, evil)])
    assert "&lt;b&gt;Eva&lt;/b&gt;" in line.sentence and "<b>" not in line.sentence
    assert "something.new" in line.sentence and line.details == "something.new · thing 7 · detail=x"


def test_imported_pilots_read_as_added_when_pilotstarter_started(app):
    pilot = make_pilot(make_user("GM0344"), title="Oude bekende")
    event = audit.record("pilot.created", None, "pilot", pilot.slug)
    db.session.flush()
    with app.test_request_context():  # the sentence links the pilot
        [line] = audit_text.describe([(event, None)])
    assert "is toegevoegd bij de start van Pilotstarter" in line.sentence and "Oude bekende" in line.sentence
