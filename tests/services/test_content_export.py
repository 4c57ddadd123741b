"""`flask export` writes what `flask import-content` reads: a round trip through an empty database gives the
same bytes, awkward values come back as they were, and the two sides share one list of fields."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Organisation, Pilot
from pilotstarter_web.services.content_export import export_content
from pilotstarter_web.services.content_format import FIELDS, KEYS, canonical_body, yaml_value
from pilotstarter_web.services.content_import import ContentError, import_content, parse_content_file
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.pilots import PilotText, create_pilot, delete_pilot, edit_pilot
from tests.conftest import CONTENT, REFERENCE_CODES, wipe_database
from tests.factories import make_pilot, make_user


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def import_ok(directory: Path):
    report = import_content(directory)
    db.session.commit()
    assert not report.errors, [str(e) for e in report.errors]
    return report


def test_demo_content_round_trips_through_an_empty_database_byte_for_byte(tmp_path):
    import_ok(CONTENT / "pilots")
    a, b = tmp_path / "a", tmp_path / "b"
    export_content(a, REFERENCE_CODES)
    wipe_database()
    assert db.session.scalar(select(Pilot.id)) is None
    report = import_ok(a)
    assert len(report.created) == len(list((CONTENT / "pilots").glob("*.md")))
    export_content(b, REFERENCE_CODES)
    exported = files(a)
    assert len(exported) == len(report.created) and exported == files(b)
    first = exported["pilots/chatbot-wmo-vragen.md"].decode()
    assert first.startswith(
        "---\ntitle: Chatbot voor Wmo-vragen\nsummary: Enschede zet een chatbot in op de website"
    )  # the demo files' style: plain scalars, flow lists, the same key order
    assert "\norganisation: GM0153\npartners: [GM0164, hogeschool-innovatielab]\n" in first
    assert "\nthemes: [ai, dienstverlening, zorg]\ntags: [chatbot, klantcontact, wmo]\nstatus: lopend\n" in first
    assert "\ncreated: 2024-10-08\n---\n## Aanleiding\n" in first


def test_the_same_database_gives_the_same_bytes_with_unix_newlines(tmp_path):
    author = make_user(name="Sanne Jansen")
    pilot = make_pilot(author=author, title="Hittekaart", body="Eerste versie\r\n\r\nmet CRLF\r\n")
    edit_pilot(author, pilot, PilotText("Hittekaart", "Nieuw.", "Tweede versie\n", ["duurzaamheid"], ["hitte"], "lopend",
                                        "Status bijgewerkt"), pilot.current_revision.number)  # fmt: skip
    db.session.commit()
    export_content(tmp_path / "one", REFERENCE_CODES, revisions=True)
    export_content(tmp_path / "two", REFERENCE_CODES, revisions=True)
    one = files(tmp_path / "one")
    assert one == files(tmp_path / "two")
    assert set(one) == {"pilots/hittekaart.md", "revisions/hittekaart/0001.md", "revisions/hittekaart/0002.md"}
    for data in one.values():
        assert b"\r" not in data and data.endswith(b"\n") and not data.endswith(b"\n\n")
    second = one["revisions/hittekaart/0002.md"].decode()
    meta = yaml.safe_load(second.split("---\n")[1])
    assert meta["number"] == 2 and meta["author"] == "Sanne Jansen" and meta["edit_summary"] == "Status bijgewerkt"
    assert meta["status"] == "lopend" and meta["themes"] == ["duurzaamheid"] and meta["tags"] == ["hitte"]
    assert meta["date"].endswith("Z") and meta["reverted_to"] is None and "example" not in second  # no e-mail
    assert one["revisions/hittekaart/0001.md"].decode().endswith("---\nEerste versie\n\nmet CRLF\n")


AWKWARD_TITLES = [
    "yes", "null", "~ tilde", "1.0", "2025-01-01", ": colon", "# hash", "Titel met # erin", "a: b", "[lijst]", "{a: b}",
    "- streepje", "@SUM(1)", "=1+1", "*ster", "&anker", "!tag", "%procent", "`code`", "'enkel' aanhalingsteken",
    '"dubbel" aanhalingsteken', "Ünïcødé in Fryslân", "Raket 🚀 pilot", "  voorloopspaties", "eindigt op: ",
    "--- streep", "Slash \\ backslash",
]  # fmt: skip


def test_awkward_values_come_back_as_they_were(tmp_path):
    author = make_user()
    bodies = ["---\nbegint met een streep\n", "regel met spaties aan het eind   \nnog een\n", "a\r\nb\r\n", "\n\n"]
    made = {}
    for n, title in enumerate(AWKWARD_TITLES):
        text = PilotText(
            title, summary=["", "yes", ": x", title][n % 4], body=bodies[n % len(bodies)] + f"Pilot {n}.\n",
            themes=["data", "zorg"][: n % 3], tags=[["yes", "null"], ["1.0", "#x"], []][n % 3], status="lopend",
        )  # fmt: skip
        pilot = create_pilot(author, text)
        made[pilot.slug] = _values(pilot)
    db.session.commit()
    export_content(tmp_path / "a", REFERENCE_CODES)
    wipe_database()
    import_ok(tmp_path / "a")
    back = {p.slug: _values(p) for p in db.session.scalars(select(Pilot))}
    assert back == made
    export_content(tmp_path / "b", REFERENCE_CODES)
    assert files(tmp_path / "a") == files(tmp_path / "b")


def _values(pilot: Pilot) -> tuple:
    rev = pilot.current_revision
    return (
        rev.title, rev.summary, canonical_body(rev.body), sorted(pilot.theme_keys), pilot.tag_values, pilot.status,
        pilot.owner.code, pilot.created_at.date(),
    )  # fmt: skip


def test_deleted_merged_and_interested_are_left_out(tmp_path):
    author, amsterdam = make_user(), make_user(organisation="GM0363")
    kept = make_pilot(author=author, title="Blijft", partners=["GM0599"])
    gone = make_pilot(author=author, title="Weg")
    join_pilot(amsterdam, kept, interest_only=True)  # interest is not taking part: not a partner on import
    delete_pilot(author, gone)
    db.session.commit()
    export_content(tmp_path, REFERENCE_CODES)
    assert set(files(tmp_path)) == {"pilots/blijft.md"}
    assert "\npartners: [GM0599]\n" in (tmp_path / "pilots/blijft.md").read_text()


def test_organisations_beyond_the_reference_lists_are_exported_and_imported(tmp_path):
    lab = Organisation(code="stadslab-oost", name="Stadslab: Oost", kind="other", province="Utrecht", country="NL")
    db.session.add(lab)
    db.session.commit()
    make_pilot(title="Met een lab", partners=["stadslab-oost"])
    export_content(tmp_path / "a", REFERENCE_CODES)
    listed = yaml.safe_load((tmp_path / "a/organisations.yaml").read_text())
    assert listed == [{"code": "stadslab-oost", "name": "Stadslab: Oost", "kind": "other", "province": "Utrecht",
                       "country": "NL"}]  # fmt: skip
    wipe_database()
    report = import_ok(tmp_path / "a")
    assert report.organisations == 1 and report.created == ["met-een-lab"]
    export_content(tmp_path / "b", REFERENCE_CODES)
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_a_re_export_removes_what_is_gone_and_import_skips_revisions(tmp_path):
    author = make_user()
    drop = make_pilot(author=author, title="Schrappen")
    make_pilot(author=author, title="Houden")
    export_content(tmp_path, REFERENCE_CODES, revisions=True)
    delete_pilot(author, drop)
    db.session.commit()
    report = export_content(tmp_path, REFERENCE_CODES, revisions=True)
    assert report.removed == 2 and set(files(tmp_path)) == {"pilots/houden.md", "revisions/houden/0001.md"}
    wipe_database()
    assert import_ok(tmp_path).created == ["houden"]  # the revision files are history, not pilots


def test_parser_and_exporter_share_one_list_of_fields(tmp_path):
    make_pilot(title="Velden")
    export_content(tmp_path, REFERENCE_CODES)
    path = tmp_path / "pilots/velden.md"
    front = path.read_text().split("---\n")[1]
    assert [line.split(":")[0] for line in front.splitlines()] == list(KEYS) == [f.key for f in FIELDS]
    assert parse_content_file(path).text.title == "Velden"
    # A key the exporter does not write is refused by the parser, so it cannot be imported and then lost.
    path.write_text(path.read_text().replace("status: idee\n", "status: idee\nsoort: onderzoek\n"))
    with pytest.raises(ContentError, match="onbekend veld 'soort'") as caught:
        parse_content_file(path)
    assert caught.value.line == 9


# Any text a title, summary, tag or partner code could hold: YAML's indicators, its special words, spaces at the
# ends, line separators and characters YAML only accepts escaped.
YAML_TEXT = st.lists(
    st.one_of(
        st.sampled_from([*":#-?[]{},&*!|>'\"%@`~ \t\\", "yes", "no", "null", "true", "1.0", "0x1", "---", "\u2028"]),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(value=YAML_TEXT, items=st.lists(YAML_TEXT, max_size=4))
def test_every_string_reads_back_as_itself(value, items):
    lines = ["---", f"title: {yaml_value('text', value)}", f"tags: {yaml_value('list', items)}", "---", "body"]
    text = "\n".join(lines)
    assert text.split("\n") == lines  # one line per key, whatever the value holds
    # read as parse_content_file reads: up to the first line that is "---"
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    assert end == 3 and yaml.safe_load("\n".join(lines[1:end])) == {"title": value, "tags": items}
