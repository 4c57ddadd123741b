"""A rebuild reads pilots in bulk (plain queries); a save reads one through the ORM: the same documents."""

import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot
from pilotstarter_web.services import attachments, comment_moderation, comments
from pilotstarter_web.services.content_import import import_content
from pilotstarter_web.services.pilot_documents import BATCH, documents_in_bulk, load_live, pilot_document
from pilotstarter_web.services.pilots import delete_pilot, edit_pilot
from tests.conftest import CONTENT
from tests.factories import make_user
from tests.services.test_pilots import text


def test_bulk_documents_equal_the_orm_documents_of_every_live_pilot(monkeypatch):
    import_content(CONTENT / "pilots")  # themes, tags, partners, suppliers
    pilots = db.session.scalars(select(Pilot).order_by(Pilot.id)).all()
    edited, deleted = pilots[0], pilots[1]
    admin = make_user(role="admin")
    edit_pilot(admin, edited, text(edited, title="Een nieuwe titel"), edited.current_revision.number)
    delete_pilot(admin, deleted)
    writer = make_user("GM0363")  # the discussion's text too: visible comments only, newest first
    for n, pilot in enumerate(pilots[:3]):
        if pilot is deleted:
            continue
        comments.post_comment(writer, pilot, f"Reactie **{n}** over fietsparkeren")
    upload = attachments.Upload(io.BytesIO(b"Meetrapport fijnstof\n"), "e.txt")  # and the documents' text
    attachments.upload(admin, edited, "evaluatie", "Evaluatie", upload)
    hidden = comments.post_comment(writer, pilots[2], "Verborgen woord")
    comment_moderation.hide(make_user("vng", role="vng_staff"), hidden, "Reclame")
    db.session.commit()
    ids = [p.id for p in pilots][::-1]  # any order: the documents come in the order asked
    monkeypatch.setattr("pilotstarter_web.services.pilot_documents.BATCH", 7)  # several batches
    assert BATCH == 500
    with Session(db.engine) as session:
        bulk = list(documents_in_bulk(ids, session))
    live = load_live(ids)
    expected = [pilot_document(live[i]) for i in ids if i in live]
    assert bulk == expected
    assert deleted.id not in {d.id for d in bulk} and len(bulk) == len(pilots) - 1
    assert next(d for d in bulk if d.id == edited.id).title == "Een nieuwe titel"
    assert any(len(d.organisations) > 1 for d in bulk) and any(d.tags for d in bulk)
    assert next(d for d in bulk if d.id == pilots[2].id).comments == "Reactie 2 over fietsparkeren"
    assert next(d for d in bulk if d.id == edited.id).documents == "Evaluatie\nMeetrapport fijnstof"
