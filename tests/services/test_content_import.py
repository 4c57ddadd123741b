from pathlib import Path

from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot
from pilotstarter_web.services.content_import import import_content
from tests.conftest import CONTENT

GOOD = """---
title: Digitale parkeervergunning
summary: Bewoners vragen hun vergunning online aan.
organisation: GM0518
partners: [GM0344, Den Haag, datalab-noord]
themes: [mobiliteit, dienstverlening]
tags: [parkeren]
status: lopend
created: 2025-03-14
---
## Aanleiding

Tekst met een [[Andere pilot]].
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_content_imports_cleanly_and_idempotently():
    first = import_content(CONTENT / "pilots")
    db.session.commit()
    assert not first.errors, [str(e) for e in first.errors]
    assert len(first.created) >= 40
    second = import_content(CONTENT / "pilots")
    db.session.commit()
    assert len(second.unchanged) == len(first.created) and not second.created and not second.updated
    owners = db.session.scalar(select(func.count(func.distinct(Pilot.owner_id))))
    assert owners >= 20


def test_good_file_is_imported_with_metadata(tmp_path):
    write(tmp_path, "digitale-parkeervergunning.md", GOOD)
    report = import_content(tmp_path)
    db.session.commit()
    assert report.created == ["digitale-parkeervergunning"]
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == "digitale-parkeervergunning"))
    assert pilot.owner.code == "GM0518" and pilot.status == "lopend"
    assert pilot.created_at.year == 2025
    assert sorted(pilot.theme_keys) == ["dienstverlening", "mobiliteit"] and pilot.tag_values == ["parkeren"]
    assert {p.organisation.code for p in pilot.participations} == {"GM0518", "GM0344", "datalab-noord"}


def test_changed_file_adds_a_revision(tmp_path):
    path = write(tmp_path, "digitale-parkeervergunning.md", GOOD)
    import_content(tmp_path)
    path.write_text(GOOD.replace("Tekst met", "Nieuwe tekst met"), encoding="utf-8")
    report = import_content(tmp_path)
    db.session.commit()
    assert report.updated == ["digitale-parkeervergunning"]
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == "digitale-parkeervergunning"))
    assert pilot.current_revision.number == 2


def test_bad_files_are_reported_with_file_and_line_and_the_rest_imports(tmp_path):
    write(tmp_path, "goed.md", GOOD)
    write(tmp_path, "geen-front-matter.md", "Gewoon tekst\n")
    write(tmp_path, "kapotte-yaml.md", "---\ntitle: A\nthemes: [a, b\n---\nTekst\n")
    write(tmp_path, "onbekende-gemeente.md", GOOD.replace("organisation: GM0518", "organisation: Atlantis"))
    write(tmp_path, "fout-thema.md", GOOD.replace("[mobiliteit, dienstverlening]", "[ruimtevaart]"))
    write(tmp_path, "Foute Naam.md", GOOD)
    write(tmp_path, "geen-titel.md", GOOD.replace("title: Digitale parkeervergunning\n", ""))
    (tmp_path / "binair.md").write_bytes(b"---\n\xff\xfe\n---\n")
    report = import_content(tmp_path)
    db.session.commit()
    assert report.created == ["goed"]
    errors = {e.path.name: (e.line, e.message) for e in report.errors}
    assert errors["geen-front-matter.md"][0] == 1
    assert errors["kapotte-yaml.md"][0] in (3, 4)
    assert errors["onbekende-gemeente.md"] == (4, "onbekende organisatie 'Atlantis'")
    assert errors["fout-thema.md"][0] == 6 and "ruimtevaart" in errors["fout-thema.md"][1]
    assert "slug" in errors["Foute Naam.md"][1]
    assert "title" in errors["geen-titel.md"][1]
    assert "UTF-8" in errors["binair.md"][1]
