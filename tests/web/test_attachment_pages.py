"""The "Documenten" pages: upload through the form, the list on the entry page, versions, downloads and their
headers, refusals (a clear page, audited), oversized requests refused before they are read, who may do what,
the API and search."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import EnvironBuilder, encode_multipart
from werkzeug.wrappers import Request

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent
from pilotstarter_web.services import attachments
from pilotstarter_web.services.pilots import delete_pilot
from tests.attachment_samples import HTML, PDF, PDF_WITH_JS, SVG_SCRIPT
from tests.factories import make_pilot, make_user

SANDBOX = "sandbox; default-src 'none'"


@pytest.fixture(autouse=True)
def own_storage(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DATA_DIR", str(tmp_path))


@pytest.fixture
def world():
    owner = make_user("GM0344", email="team@utrecht.nl")
    pilot = make_pilot(owner, title="Slimme lantaarnpalen", partners=["GM0307"])
    return {"pilot": pilot, "owner": owner, "outsider": make_user("GM0363", email="buiten@amsterdam.nl")}


def form(data: bytes, name: str, kind: str = "evaluatie", title: str = "Evaluatie eerste jaar", **extra) -> dict:
    return {"kind": kind, "title": title, "file": (io.BytesIO(data), name), **extra}


def fetch(client, url: str):
    """GET a download and close it (the file is streamed: an unclosed response keeps it open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def upload(client, slug: str, data: bytes, name: str, **fields):
    return client.post(f"/pilots/{slug}/documenten/nieuw", data=form(data, name, **fields))


def test_the_team_uploads_and_everyone_sees_and_downloads_it(client, auth, world):
    slug = world["pilot"].slug
    auth.login(world["owner"])
    page = client.get(f"/pilots/{slug}").get_data(as_text=True)
    assert 'id="documenten"' in page and 'enctype="multipart/form-data"' in page and "Document uploaden" in page
    response = upload(client, slug, b"Lantaarnpalen verbruiken 40% minder stroom.\n", "evaluatie.txt")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/pilots/{slug}#documenten")
    auth.logout()
    page = client.get(f"/pilots/{slug}").get_data(as_text=True)
    assert "Evaluatie eerste jaar" in page and "evaluatie.txt" in page and "versie 1" in page
    assert "Document uploaden" not in page  # readers see the list, not the form
    doc = attachments.entry_documents(world["pilot"])[0]
    got = fetch(client, f"/pilots/{slug}/documenten/{doc.id}")
    assert got.status_code == 200 and got.data.startswith(b"Lantaarnpalen")
    assert got.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert (
        got.headers["Content-Disposition"].startswith("attachment;")
        and "evaluatie.txt" in got.headers["Content-Disposition"]
    )
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Security-Policy"] == SANDBOX
    assert got.headers["Cache-Control"] == "no-store"


def test_the_type_served_is_the_sniffed_one_never_the_browsers(client, auth, world):
    auth.login(world["owner"])
    data = {"kind": "overig", "title": "Scan", "file": (io.BytesIO(PDF), "scan.pdf", "text/html")}
    assert client.post(f"/pilots/{world['pilot'].slug}/documenten/nieuw", data=data).status_code == 302
    doc = attachments.entry_documents(world["pilot"])[0]
    got = fetch(client, f"/pilots/{world['pilot'].slug}/documenten/{doc.id}")
    assert got.headers["Content-Type"] == "application/pdf"


def test_a_pdf_with_javascript_is_served_as_a_sandboxed_attachment(client, auth, world):
    auth.login(world["owner"])
    upload(client, world["pilot"].slug, PDF_WITH_JS, "actief.pdf")
    doc = attachments.entry_documents(world["pilot"])[0]
    got = fetch(client, f"/pilots/{world['pilot'].slug}/documenten/{doc.id}")
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff" and got.headers["Content-Security-Policy"] == SANDBOX


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (HTML, "rapport.pdf", "HTML"),
        (SVG_SCRIPT, "logo.svg", "SVG"),
        (SVG_SCRIPT, "logo.png", "SVG"),
        (PDF, "rapport.pdf.html", ".html"),
    ],
)
def test_a_refused_file_comes_back_on_the_form_with_the_reason_and_is_audited(client, auth, world, data, name, message):
    auth.login(world["owner"])
    response = upload(client, world["pilot"].slug, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Controleer het formulier" in page and message in page and 'aria-invalid="true"' in page
    assert 'value="Evaluatie eerste jaar"' in page  # what was typed is kept
    assert attachments.entry_documents(world["pilot"]) == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.refused"))
    assert event is not None and event.actor_id == world["owner"].id and message in event.data["reason"]


def test_a_missing_file_kind_or_title_is_named_per_field(client, auth, world):
    auth.login(world["owner"])
    response = client.post(f"/pilots/{world['pilot'].slug}/documenten/nieuw", data={"kind": "", "title": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kies een bestand." in page
    assert "Kies wat voor document dit is." in page and "Geef het document een titel." in page


class Endless(io.RawIOBase):
    """A request body that would be 1 GB: counts what is read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = len(buffer)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def raw_post(client, path: str, body: io.RawIOBase, length: int | None):
    """POST ``body`` as it is (the test client's builder would seek it to measure its length)."""
    environ = EnvironBuilder(path=path, method="POST", content_type="multipart/form-data; boundary=grens").get_environ()
    environ["wsgi.input"] = body
    if length is None:
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True  # a server that ends a chunked body itself
    else:
        environ["CONTENT_LENGTH"] = str(length)
    return client.open(Request(environ))


def test_a_1_gb_upload_is_refused_from_its_length_without_being_read(client, auth, world):
    auth.login(world["owner"])
    body = Endless()
    response = raw_post(client, f"/pilots/{world['pilot'].slug}/documenten/nieuw", body, 1 << 30)
    assert response.status_code == 413 and body.read_bytes == 0
    assert "hoogstens 20 MB" in response.get_data(as_text=True)


def test_a_streamed_upload_without_length_stops_at_the_limit(client, auth, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 10_000)
    auth.login(world["owner"])
    body = Endless()
    response = raw_post(client, f"/pilots/{world['pilot'].slug}/documenten/nieuw", body, None)
    assert response.status_code == 413
    assert 0 < body.read_bytes < 3 * 1024 * 1024  # the limit (10 kB + 1 MiB of form) plus a read buffer


def test_a_file_larger_than_pilot_forms_passes_csrf_and_is_accepted(client, auth, world, app, monkeypatch):
    """The upload limit is raised before CSRF protection reads the form (under the 3 MiB form limit a 5 MB
    file would be refused there)."""
    auth.login(world["owner"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    slug = world["pilot"].slug
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(f"/pilots/{slug}/documenten/nieuw").get_data(as_text=True))  # fmt: skip
    big = b"Meetreeks lantaarnpalen\n" + b"0123456789\n" * 500_000
    fields = form(big, "meetreeks.csv", csrf_token=token.group(1))
    boundary, body = encode_multipart(MultiDict({**fields, "file": FileStorage(*fields["file"])}))
    # in memory: the test client would spool a large form to a temporary file it never closes
    response = client.post(
        f"/pilots/{slug}/documenten/nieuw", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302
    assert attachments.entry_documents(world["pilot"])[0].current.size == len(big)


def test_others_can_neither_upload_nor_delete(client, auth, world):
    slug = world["pilot"].slug
    assert upload(client, slug, PDF, "a.pdf").status_code == 302  # anonymous: to the login page
    doc = attachments.upload(
        world["owner"], world["pilot"], "dpia", "DPIA", attachments.Upload(io.BytesIO(PDF), "d.pdf")
    )
    db.session.commit()
    auth.login(world["outsider"])
    assert upload(client, slug, PDF, "a.pdf").status_code == 403
    assert client.get(f"/pilots/{slug}/documenten/nieuw").status_code == 403
    assert client.post(f"/pilots/{slug}/documenten/{doc.id}/verwijderen").status_code == 403
    assert client.post(f"/pilots/{slug}/documenten/{doc.id}/versies", data={"file": (io.BytesIO(PDF), "b.pdf")}).status_code == 403  # fmt: skip
    assert len(attachments.entry_documents(world["pilot"])[0].versions) == 1


def test_versions_are_listed_and_each_downloads(client, auth, world):
    slug = world["pilot"].slug
    auth.login(world["owner"])
    upload(client, slug, b"Eerste versie\n", "notitie.txt")
    doc = attachments.entry_documents(world["pilot"])[0]
    response = client.post(
        f"/pilots/{slug}/documenten/{doc.id}/versies",
        data={"file": (io.BytesIO(b"Tweede versie\n"), "notitie-v2.txt"), "note": "Na overleg met de FG"},
    )
    assert response.status_code == 302
    page = fetch(client, f"/pilots/{slug}/documenten/{doc.id}/versies").get_data(as_text=True)
    assert "notitie-v2.txt" in page and "notitie.txt" in page and "Na overleg met de FG" in page
    assert fetch(client, f"/pilots/{slug}/documenten/{doc.id}/versie/1").data == b"Eerste versie\n"
    assert fetch(client, f"/pilots/{slug}/documenten/{doc.id}").data == b"Tweede versie\n"
    assert fetch(client, f"/pilots/{slug}/documenten/{doc.id}/versie/9").status_code == 404
    assert "versie 2" in client.get(f"/pilots/{slug}").get_data(as_text=True)


def test_delete_asks_first_then_the_document_is_gone(client, auth, world):
    slug = world["pilot"].slug
    auth.login(world["owner"])
    upload(client, slug, b"Weg ermee\n", "weg.txt", title="Oude notitie")
    doc = attachments.entry_documents(world["pilot"])[0]
    assert "Weet u zeker" in fetch(client, f"/pilots/{slug}/documenten/{doc.id}/verwijderen").get_data(as_text=True)
    assert client.post(f"/pilots/{slug}/documenten/{doc.id}/verwijderen").status_code == 302
    assert "Oude notitie" not in client.get(f"/pilots/{slug}").get_data(as_text=True).split('id="documenten"')[1]
    assert fetch(client, f"/pilots/{slug}/documenten/{doc.id}").status_code == 404


def test_a_document_of_a_deleted_entry_cannot_be_downloaded(client, auth, world):
    doc = attachments.upload(
        world["owner"], world["pilot"], "dpia", "DPIA", attachments.Upload(io.BytesIO(PDF), "d.pdf")
    )
    db.session.commit()
    url = f"/pilots/{world['pilot'].slug}/documenten/{doc.id}"
    assert fetch(client, url).status_code == 200
    delete_pilot(world["owner"], world["pilot"])
    db.session.commit()
    assert fetch(client, url).status_code == 404
    assert client.get(f"/api/v1/pilots/{world['pilot'].slug}/documents").status_code == 404
    auth.login(world["outsider"])
    assert fetch(client, url).status_code == 404


def test_a_document_of_another_entry_is_not_found_under_this_one(client, world):
    other = make_pilot(world["owner"], title="Andere pilot")
    doc = attachments.upload(
        world["owner"], world["pilot"], "dpia", "DPIA", attachments.Upload(io.BytesIO(PDF), "d.pdf")
    )
    db.session.commit()
    assert fetch(client, f"/pilots/{other.slug}/documenten/{doc.id}").status_code == 404


def test_the_api_lists_documents_with_download_urls(client, world):
    doc = attachments.upload(
        world["owner"], world["pilot"], "dpia", "DPIA", attachments.Upload(io.BytesIO(PDF), "d.pdf")
    )
    db.session.commit()
    body = client.get(f"/api/v1/pilots/{world['pilot'].slug}/documents").get_json()
    assert body["total"] == 1
    item = body["items"][0]
    assert (item["kind"], item["kind_label"], item["title"], item["version"]) == ("dpia", "DPIA", "DPIA", 1)
    assert item["current"]["content_type"] == "application/pdf" and item["current"]["size"] == len(PDF)
    assert fetch(client, item["url"]).data == PDF and fetch(client, item["versions"][0]["url"]).data == PDF
    assert item["id"] == doc.id
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/pilots/{slug}/documents" in spec["paths"] and "Document" in spec["components"]["schemas"]


def test_search_finds_an_entry_by_its_documents_words_and_says_so(client, auth, world):
    auth.login(world["owner"])
    upload(client, world["pilot"].slug, PDF, "evaluatie.pdf")  # the PDF says "klantcontactcentrum"
    page = client.get("/search?q=klantcontactcentrum").get_data(as_text=True)
    assert "Slimme lantaarnpalen" in page and "Gevonden in een document:" in page
    assert "<mark>klantcontactcentrum</mark>" in page
    body = client.get("/api/v1/search?q=klantcontactcentrum").get_json()
    assert body["items"][0]["in_documents"] is True


def test_the_audit_log_names_document_events_in_words(client, auth, world):
    auth.login(world["owner"])
    upload(client, world["pilot"].slug, PDF, "a.pdf")
    upload(client, world["pilot"].slug, HTML, "b.pdf")
    auth.logout()
    auth.login(make_user("vng", role="admin"))
    page = client.get("/portfolio/audit").get_data(as_text=True)
    assert "voegde een document toe aan" in page and "een bestand te uploaden dat werd geweigerd" in page


def test_no_transaction_is_open_while_an_uploaded_file_is_read(client, auth, world, monkeypatch):
    """On SQLite a request's write transaction holds the database's write lock: reading a PDF must not."""
    seen = []
    real = attachments.extract_text

    def watching(path, family):
        seen.append(db.session().in_transaction())
        return real(path, family)

    monkeypatch.setattr(attachments, "extract_text", watching)
    auth.login(world["owner"])
    assert upload(client, world["pilot"].slug, PDF, "a.pdf").status_code == 302
    doc = attachments.entry_documents(world["pilot"])[0]
    data = {"file": (io.BytesIO(PDF), "b.pdf")}
    assert client.post(f"/pilots/{world['pilot'].slug}/documenten/{doc.id}/versies", data=data).status_code == 302
    assert seen == [False, False]
