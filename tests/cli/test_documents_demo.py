"""`flask demo-documents`: the demo documents of content/documents land on their demo pilot, checked like any
upload, searchable, and running it twice changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Attachment, Pilot
from pilotstarter_web.services import attachments
from pilotstarter_web.services.scaleup_checklist import checklist
from tests.conftest import CONTENT


@pytest.fixture(autouse=True)
def own_storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DATA_DIR", str(tmp_path))


def test_demo_documents_are_imported_once(runner, client):
    assert runner.invoke(args=["import-content", str(CONTENT / "pilots")]).exit_code == 0
    first = runner.invoke(args=["demo-documents"])
    assert first.exit_code == 0, first.output
    assert "3 toegevoegd" in first.output
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == "chatbot-wmo-vragen"))
    docs = {d.kind: d for d in attachments.entry_documents(pilot)}
    assert set(docs) == {"evaluatie", "dpia", "codelicentie"}
    assert docs["evaluatie"].current.content_type == "application/pdf"
    assert "klantcontactcentrum" in docs["evaluatie"].current.text
    met = {item.key: item.met for item in checklist(pilot, None)}
    assert met["results"] and met["dpia"]
    again = runner.invoke(args=["demo-documents"])
    assert again.exit_code == 0 and "al aanwezig" in again.output
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 3
    assert "Chatbot voor Wmo-vragen" in client.get("/search?q=klantcontactcentrum").get_data(as_text=True)
