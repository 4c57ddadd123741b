"""Words for people: imported content, leaving, and messages say what happened in plain Dutch."""

from __future__ import annotations

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot
from pilotstarter_web.services.content_import import import_content
from pilotstarter_web.services.participation import is_confirmed
from tests.factories import make_pilot, make_user
from tests.services.test_content_import import GOOD, write


def test_imported_content_reads_as_the_start_of_pilotstarter_and_its_partners_are_agreed(client, tmp_path):
    write(tmp_path, "digitale-parkeervergunning.md", GOOD)
    import_content(tmp_path)
    db.session.commit()
    page = client.get("/pilots/digitale-parkeervergunning").get_data(as_text=True)
    assert "overgenomen bij de start van Pilotstarter" in page and "door import" not in page
    history = client.get("/pilots/digitale-parkeervergunning/history").get_data(as_text=True)
    assert "de startinhoud van Pilotstarter" in history and ">import<" not in history
    revision = client.get("/pilots/digitale-parkeervergunning/revisions/1").get_data(as_text=True)
    assert "door de startinhoud van Pilotstarter" in revision
    pilot = db.session.query(Pilot).filter_by(slug="digitale-parkeervergunning").one()
    partners = [p for p in pilot.participations if p.role != "initiator"]
    assert len(partners) == 2 and all(
        is_confirmed(p) for p in partners
    )  # Utrecht, datalab-noord: imported demo content stays confirmed


def test_the_same_message_shows_once_though_said_twice(client, auth):
    pilot = make_pilot(make_user("GM0344"))
    auth.login(make_user("GM0599"))
    client.post(f"/pilots/{pilot.slug}/follow")  # a double click: two requests, two identical messages
    client.post(f"/pilots/{pilot.slug}/follow")
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert page.count("U volgt deze pilot. U krijgt een melding als er iets verandert.") == 1
