"""Documents on an entry: every accepted type by its content, hostile files refused, names as display text only,
size limits, versions, who may upload and delete, the text search reads, and the scale-up checklist."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AttachmentVersion, AuditEvent, ChangeLog
from pilotstarter_web.services import attachments
from pilotstarter_web.services.attachment_files import MAX_NAME, display_name
from pilotstarter_web.services.errors import InvalidInput, NotFound, PermissionDenied
from pilotstarter_web.services.pilot_documents import pilot_document
from pilotstarter_web.services.pilots import delete_pilot
from pilotstarter_web.services.scaleup_checklist import checklist
from tests.attachment_samples import (
    HTML,
    PDF,
    PDF_WITH_JS,
    PNG,
    SAMPLES,
    SVG_SCRIPT,
    odf,
    ooxml,
    zip_bomb,
)
from tests.factories import make_pilot, make_user


@pytest.fixture(autouse=True)
def own_storage(app, tmp_path, monkeypatch):
    """Each test's files in a folder of its own (the app's DATA_DIR lives as long as the session)."""
    monkeypatch.setitem(app.config, "DATA_DIR", str(tmp_path))


@pytest.fixture
def world():
    owner = make_user("GM0344")
    pilot = make_pilot(owner, title="Slimme lantaarnpalen", partners=["GM0307"])
    return {
        "pilot": pilot,
        "owner": owner,
        "partner": make_user("GM0307"),
        "outsider": make_user("GM0363"),
        "unverified": make_user("GM0344", verified=False),
        "staff": make_user("vng", role="vng_staff"),
    }


def up(user, pilot, data: bytes, name: str, kind: str = "overig", title: str = "Een document"):
    return attachments.upload(user, pilot, kind, title, attachments.Upload(io.BytesIO(data), name))


def stored_files() -> list:
    root = attachments.storage_root()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("family", sorted(SAMPLES))
def test_every_accepted_type_is_stored_with_the_type_its_content_has(world, family):
    name, data, content_type = SAMPLES[family]
    doc = up(world["owner"], world["pilot"], data, name)
    db.session.commit()
    version = doc.current
    assert (version.number, version.content_type, version.original_name, version.size) == (
        1, content_type, name, len(data),
    )  # fmt: skip
    path = attachments.file_path(version)
    assert path.read_bytes() == data and path.is_relative_to(attachments.storage_root())
    assert name not in str(path)  # our own random name, never the uploaded one
    if family in ("png", "jpeg", "gif", "webp"):
        assert version.text == ""  # no OCR
    elif family == "pdf":
        assert "klantcontactcentrum" in version.text
    else:
        assert "Lantaarnpalen meten de luchtkwaliteit" in version.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rapport.pdf", HTML, "niet toegestaan"),  # HTML named .pdf: no %PDF- header
        ("tekening.svg", SVG_SCRIPT, "SVG"),
        ("foto.png", SVG_SCRIPT, "SVG"),  # an SVG with script named .png
        ("notitie.docx", zip_bomb("docx"), "zip-bom"),
        ("notitie.odt", zip_bomb("odt"), "zip-bom"),
        ("macro.docx", ooxml("docx", macro=True), "macro"),
        ("archief.docx", b"PK\x03\x04" + b"\x00" * 100, "beschadigd"),
        ("rapport.pdf.html", PDF, ".html"),  # a double extension ending in one we do not serve
        ("setup.pdf.exe", b"MZ\x90\x00" + b"\x00" * 200, "niet toegestaan"),
        ("rapport.pdf.exe", PDF, ".exe"),
        ("foto.png", PDF, "past niet bij de naam"),  # a PDF named .png
        ("notitie.docx", odf("odt"), "past niet bij de naam"),
        ("latin1.txt", "caf\xe9".encode("latin-1"), "UTF-8"),
        ("binair.txt", b"tekst\x00met nul", "binaire"),
        ("leeg.txt", b"", "leeg"),
    ],
)
def test_hostile_and_mislabelled_files_are_refused_and_nothing_is_kept(world, name, data, message):
    with pytest.raises(InvalidInput) as refused:
        up(world["owner"], world["pilot"], data, name)
    assert message in refused.value.field_errors["file"][0]
    assert stored_files() == []


def test_a_plain_zip_is_not_an_office_document(world):
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hallo")
    with pytest.raises(InvalidInput, match="Losse ZIP-bestanden"):
        up(world["owner"], world["pilot"], buf.getvalue(), "archief.docx")


def test_a_double_extension_of_allowed_types_keeps_the_name_as_text_only(world):
    doc = up(world["owner"], world["pilot"], PDF, "rapport.php.pdf")
    assert doc.current.original_name == "rapport.php.pdf" and doc.current.content_type == "application/pdf"
    assert doc.current.stored_name.count(".") == 0


def test_a_pdf_with_javascript_is_stored_as_a_pdf(world):
    doc = up(world["owner"], world["pilot"], PDF_WITH_JS, "actief.pdf")
    assert doc.current.content_type == "application/pdf"  # served as an attachment, sandboxed (web tests)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\evil\\x.pdf", "x.pdf"),
        ("..\\..\\boot.pdf", "boot.pdf"),
        ("rap\x00port\x1b[31m.pdf", "rapport[31m.pdf"),
        ("rapport\u202egpj.pdf", "rapportgpj.pdf"),  # a right-to-left override (format character) is dropped
        (".verborgen.pdf", "verborgen.pdf"),
        ("/", ""),
    ],
)
def test_names_are_display_text_without_paths_or_control_characters(raw, shown):
    assert display_name(raw) == shown


def test_long_names_are_bounded_with_their_extension_kept():
    name = display_name("a" * 500 + ".pdf")
    assert len(name) <= MAX_NAME and name.endswith(".pdf")


def test_a_path_in_the_name_never_reaches_the_disk(world):
    doc = up(world["owner"], world["pilot"], PDF, "../../etc/passwd.pdf")
    assert doc.current.original_name == "passwd.pdf"
    assert [p.name for p in stored_files()] == [doc.current.stored_name.split("/")[1]]


def test_a_file_without_extension_gets_the_one_of_its_content(world):
    assert up(world["owner"], world["pilot"], PNG, "schermafdruk").current.original_name == "schermafdruk.png"


def test_size_limits_per_file_and_per_entry(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1000)
    with pytest.raises(InvalidInput, match="te groot"):
        up(world["owner"], world["pilot"], b"a" * 1001, "groot.txt")
    assert stored_files() == []
    monkeypatch.setitem(app.config, "ATTACHMENT_ENTRY_MAX_BYTES", 1500)
    up(world["owner"], world["pilot"], b"a" * 1000, "een.txt", title="Een")
    with pytest.raises(InvalidInput, match=r"nog 0\.1 MB ruimte"):  # 500 bytes of room left
        up(world["owner"], world["pilot"], b"b" * 501, "twee.txt", title="Twee")
    up(world["owner"], world["pilot"], b"b" * 500, "twee.txt", title="Twee")
    with pytest.raises(InvalidInput, match="maximale ruimte"):
        up(world["owner"], world["pilot"], b"c", "drie.txt", title="Drie")


def test_kind_and_title_are_required_and_bounded(world):
    with pytest.raises(InvalidInput) as refused:
        up(world["owner"], world["pilot"], PDF, "a.pdf", kind="geheim")
    assert "kind" in refused.value.field_errors
    with pytest.raises(InvalidInput) as refused:
        up(world["owner"], world["pilot"], PDF, "a.pdf", title="   ")
    assert "title" in refused.value.field_errors
    with pytest.raises(InvalidInput):
        up(world["owner"], world["pilot"], PDF, "a.pdf", title="x" * (attachments.MAX_TITLE + 1))


def test_new_versions_keep_the_old_ones(world):
    doc = up(world["owner"], world["pilot"], b"versie een\n", "notitie.txt", kind="evaluatie", title="Evaluatie")
    second = attachments.upload_version(
        world["partner"], doc, attachments.Upload(io.BytesIO(b"versie twee\n"), "notitie-v2.txt", "Na overleg")
    )
    db.session.commit()
    assert [v.number for v in doc.versions] == [1, 2] and doc.current is second
    assert (second.note, second.uploaded_by_id) == ("Na overleg", world["partner"].id)
    assert attachments.file_path(attachments.get_version(doc, 1)).read_bytes() == b"versie een\n"
    with pytest.raises(NotFound):
        attachments.get_version(doc, 3)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["attachment.uploaded", "attachment.version_added"]


@pytest.mark.parametrize("who", ["owner", "partner", "staff"])
def test_the_team_and_staff_upload_and_delete(world, who):
    doc = up(world[who], world["pilot"], PDF, "a.pdf")
    attachments.delete(world[who], doc)
    db.session.commit()
    assert doc.is_deleted and attachments.entry_documents(world["pilot"]) == []
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.deleted")).actor_id == world[who].id
    )
    with pytest.raises(NotFound):
        attachments.get_attachment(world["pilot"], doc.id)
    assert db.session.get(AttachmentVersion, doc.current.id) is not None  # soft: the rows stay


@pytest.mark.parametrize("who", ["outsider", "unverified", None])
def test_anyone_else_can_neither_upload_nor_delete(world, who):
    user = world[who] if who else None
    assert not attachments.can_manage(user, world["pilot"])
    with pytest.raises(PermissionDenied):
        up(user, world["pilot"], PDF, "a.pdf")
    doc = up(world["owner"], world["pilot"], PDF, "a.pdf")
    with pytest.raises(PermissionDenied):
        attachments.delete(user, doc)
    with pytest.raises(PermissionDenied):
        attachments.upload_version(user, doc, attachments.Upload(io.BytesIO(PDF), "b.pdf"))
    assert stored_files() == [attachments.file_path(doc.current)]


def test_nobody_uploads_to_a_deleted_entry(world):
    delete_pilot(world["owner"], world["pilot"])
    with pytest.raises(PermissionDenied):
        up(world["owner"], world["pilot"], PDF, "a.pdf")


def test_search_reads_the_newest_versions_of_live_documents(world):
    pilot = world["pilot"]
    before = db.session.scalar(select(ChangeLog.id).order_by(ChangeLog.id.desc()).limit(1))
    doc = up(world["owner"], pilot, b"Oude meting van fijnstof\n", "a.txt", title="Meetrapport")
    attachments.upload_version(
        world["owner"], doc, attachments.Upload(io.BytesIO(b"Nieuwe meting van stikstof\n"), "a.txt")
    )
    gone = up(world["owner"], pilot, b"Verdwenen woord\n", "b.txt", title="Weg")
    attachments.delete(world["owner"], gone)
    db.session.commit()
    assert pilot_document(pilot).documents == "Meetrapport\nNieuwe meting van stikstof"
    assert db.session.scalar(select(ChangeLog.id).order_by(ChangeLog.id.desc()).limit(1)) > (before or 0)


def test_the_checklist_reads_documents_of_each_kind(world):
    pilot = world["pilot"]
    pilot.current_revision.body = "## Aanleiding\n\nDe broncode staat op GitHub. Er komt nog een DPIA en een contract."
    met = {item.key: item.met for item in checklist(pilot, None)}
    assert not any(met[k] for k in ("results", "dpia", "contracts", "licence"))  # naming them is not having them
    hints = {item.key: item.hint for item in checklist(pilot, None)}
    assert "soort “DPIA”" in hints["dpia"] and "Codelicentie" in hints["licence"] and "Evaluatie" in hints["results"]
    for kind in ("dpia", "evaluatie", "specificatie", "codelicentie"):
        up(world["owner"], pilot, f"{kind}\n".encode(), f"{kind}.txt", kind=kind, title=kind)
    met = {item.key: item.met for item in checklist(pilot, None)}
    assert all(met[k] for k in ("results", "dpia", "contracts", "licence"))
    attachments.delete(world["owner"], attachments.entry_documents(pilot)[0])  # the DPIA comes first
    assert not {item.key: item.met for item in checklist(pilot, None)}["dpia"]


def test_a_broken_pdf_is_stored_without_text_and_extraction_stops_at_its_budget(world, monkeypatch):
    broken = up(world["owner"], world["pilot"], b"%PDF-1.7\n" + b"\xff" * 300, "kapot.pdf", title="Kapot")
    assert broken.current.content_type == "application/pdf" and broken.current.text == ""
    monkeypatch.setattr("pilotstarter_web.services.attachment_text.CPU_BUDGET", -1.0)  # spent before page one
    assert up(world["owner"], world["pilot"], PDF, "a.pdf", title="Budget").current.text == ""
    monkeypatch.setattr("pilotstarter_web.services.attachment_text.MAX_CHARS", 20)
    assert len(up(world["owner"], world["pilot"], b"x" * 100, "b.txt", title="Kort").current.text) == 20
