"""Activity as a union of sources: merged newest first, filtered, edit runs grouped, paged by keyset, and
never showing a deleted pilot or what the content import's file names were."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Participation, Pilot, Revision
from pilotstarter_web.services import activity, comments, portfolio, scaleup
from pilotstarter_web.services import comment_moderation as moderation
from pilotstarter_web.services.activity import KINDS, SOURCES, ActivityFilters, Cursor, recent_activity
from pilotstarter_web.services.content_import import import_content
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.pilots import PilotText, delete_pilot, edit_pilot
from tests.factories import make_pilot, make_user

T0 = datetime(2026, 11, 2, 9, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def publish(author, title: str, minutes: float, themes: list[str] | None = None) -> Pilot:
    pilot = make_pilot(author, title=title, themes=themes or ["data"])
    pilot.created_at = pilot.current_revision.created_at = at(minutes)
    db.session.commit()
    return pilot


def edit(user, pilot: Pilot, minutes: float, summary: str = "") -> Revision:
    rev = pilot.current_revision
    text = PilotText(
        rev.title, rev.summary, rev.body + f"\n\nAanvulling {minutes}.", pilot.theme_keys, [], pilot.status, summary
    )
    edit_pilot(user, pilot, text, rev.number)
    pilot.current_revision.created_at = at(minutes)
    db.session.commit()
    return pilot.current_revision


def join(user, pilot: Pilot, minutes: float) -> Participation:
    part = join_pilot(user, pilot)
    part.created_at = at(minutes)
    db.session.commit()
    return part


def kinds_and_titles(page) -> list[tuple[str, str]]:
    return [(item.kind, item.pilot_title) for item in page.items]


def test_sources_are_named_once_and_merged_newest_first():
    assert set(SOURCES) == set(KINDS)
    anna, bram = make_user("GM0344", name="Anna"), make_user("GM0599", name="Bram")
    lamps = publish(anna, "Slimme lantaarnpalen", 0, ["duurzaamheid"])
    bins = publish(bram, "Slimme afvalbakken", 10)
    edit(bram, lamps, 20, "planning toegevoegd")
    join(bram, lamps, 30)
    edit(anna, bins, 40, "typfout")

    page = recent_activity(ActivityFilters())

    assert kinds_and_titles(page) == [
        ("edit", "Slimme afvalbakken"),
        ("join", "Slimme lantaarnpalen"),
        ("edit", "Slimme lantaarnpalen"),
        ("pilot", "Slimme afvalbakken"),
        ("pilot", "Slimme lantaarnpalen"),
    ]
    newest_edit, joined, lamp_edit = page.items[:3]
    assert (newest_edit.actor, newest_edit.summaries, newest_edit.diff_from, newest_edit.diff_to) == (
        "Anna",
        ("typfout",),
        1,
        2,
    )
    assert (joined.organisation, joined.organisation_code, joined.role, joined.actor) == (
        "Rotterdam",
        "GM0599",
        "partner",
        "Bram",
    )
    assert lamp_edit.summaries == ("planning toegevoegd",)
    assert page.next is None


def test_filters_by_theme_organisation_kind_and_pilot():
    anna, bram = make_user("GM0344"), make_user("GM0599")
    lamps = publish(anna, "Slimme lantaarnpalen", 0, ["duurzaamheid"])
    bins = publish(bram, "Slimme afvalbakken", 10, ["data"])
    join(bram, lamps, 20)
    edit(anna, bins, 30)

    assert kinds_and_titles(recent_activity(ActivityFilters(theme="duurzaamheid"))) == [
        ("join", "Slimme lantaarnpalen"),
        ("pilot", "Slimme lantaarnpalen"),
    ]
    # An organisation's activity: the pilots it owns or takes part in (Rotterdam joined the lamps).
    assert {t for _, t in kinds_and_titles(recent_activity(ActivityFilters(organisation="GM0599")))} == {
        "Slimme lantaarnpalen",
        "Slimme afvalbakken",
    }
    assert kinds_and_titles(recent_activity(ActivityFilters(organisation="GM0344"))) == [
        ("join", "Slimme lantaarnpalen"),
        ("pilot", "Slimme lantaarnpalen"),
    ]
    assert kinds_and_titles(recent_activity(ActivityFilters(kind="edit"))) == [("edit", "Slimme afvalbakken")]
    assert kinds_and_titles(recent_activity(ActivityFilters(pilot=bins.slug))) == [
        ("edit", "Slimme afvalbakken"),
        ("pilot", "Slimme afvalbakken"),
    ]
    assert recent_activity(ActivityFilters(organisation="bestaat-niet")).items == []


def test_partners_named_at_publication_are_part_of_the_new_pilot_not_joins():
    lamps = make_pilot(make_user("GM0344"), title="Met partners", partners=["GM0307", "GM0599"])
    assert kinds_and_titles(recent_activity(ActivityFilters())) == [("pilot", "Met partners")]
    join(make_user("GM0363"), lamps, 10)  # someone else joins later: news
    joins = recent_activity(ActivityFilters(kind="join")).items
    assert [(j.organisation_code, j.actor is not None) for j in joins] == [("GM0363", True)]


def test_a_run_of_edits_by_one_person_is_one_item_with_its_count_and_diff():
    anna, bram = make_user(name="Anna"), make_user(name="Bram")
    lamps = publish(anna, "Slimme lantaarnpalen", 0)
    for minutes, summary in ((100, "kop"), (110, ""), (125, "tabel"), (150, "kop")):
        edit(anna, lamps, minutes, summary)  # each within 30 minutes of the one before
    edit(bram, lamps, 160, "bron")  # someone else: a new item
    edit(bram, lamps, 300, "later")  # the same person, but hours later: a new item too

    edits = recent_activity(ActivityFilters(kind="edit")).items

    assert [(e.actor, e.count, e.diff_from, e.diff_to, e.summaries) for e in edits] == [
        ("Bram", 1, 6, 7, ("later",)),
        ("Bram", 1, 5, 6, ("bron",)),
        ("Anna", 4, 1, 5, ("kop", "tabel")),
    ]
    assert edits[2].at == at(150)


def test_a_growing_run_keeps_the_id_of_its_first_edit():
    anna = make_user()
    lamps = publish(anna, "Slimme lantaarnpalen", 0)
    first = edit(anna, lamps, 100)
    [item] = recent_activity(ActivityFilters(kind="edit")).items
    assert (item.id, item.first_id, item.count) == (first.id, first.id, 1)
    newest = edit(anna, lamps, 110)
    [item] = recent_activity(ActivityFilters(kind="edit")).items
    assert (item.id, item.first_id, item.count, item.at) == (newest.id, first.id, 2, at(110))


def test_paging_never_splits_a_run_and_pages_add_up_to_the_whole():
    people = [make_user(name=f"Persoon {n}") for n in range(3)]
    pilots = [publish(people[n % 3], f"Pilot {n}", n) for n in range(7)]
    for n in range(12):  # runs of two edits by the same person, interleaved with other pilots
        edit(people[n % 3], pilots[n % 7], 100 + n * 10)
        edit(people[n % 3], pilots[n % 7], 101 + n * 10)
    whole = recent_activity(ActivityFilters(limit=50)).items
    assert len(whole) == 7 + 12 and all(item.count == 2 for item in whole if item.kind == "edit")

    seen, cursor = [], None
    while True:
        page = recent_activity(ActivityFilters(limit=4, before=cursor))
        assert len(page.items) <= 4
        seen += page.items
        if page.next is None:
            break
        cursor = Cursor.decode(page.next.encode())
    assert seen == whole


def test_items_of_the_same_second_page_in_a_stable_order():
    anna = make_user()
    pilots = [publish(anna, f"Gelijktijdig {n}", 0) for n in range(5)]
    join(make_user("GM0599"), pilots[0], 0)
    first = recent_activity(ActivityFilters(limit=3))
    rest = recent_activity(ActivityFilters(limit=10, before=first.next))
    assert len(first.items + rest.items) == 6
    assert len({(i.kind, i.id) for i in first.items + rest.items}) == 6


def test_deleted_pilots_never_appear():
    anna = make_user("GM0344")
    gone = publish(anna, "Verdwenen pilot", 0)
    edit(anna, gone, 10)
    join(make_user("GM0599"), gone, 20)
    publish(anna, "Blijvende pilot", 30)
    delete_pilot(anna, gone, "dubbel")
    db.session.commit()

    assert kinds_and_titles(recent_activity(ActivityFilters())) == [("pilot", "Blijvende pilot")]
    assert recent_activity(ActivityFilters(pilot=gone.slug)).items == []


def test_imported_content_reads_as_the_platforms_start(tmp_path: Path):
    pilots_dir = tmp_path / "pilots"
    pilots_dir.mkdir()
    source = pilots_dir / "buurtapp.md"
    source.write_text(
        "---\ntitle: Buurtapp\nsummary: Een app.\norganisation: GM0344\npartners: [GM0599]\nthemes: [data]\n---\n## Doel\n\nTekst.\n",
        encoding="utf-8",
    )
    import_content(pilots_dir)
    source.write_text(source.read_text(encoding="utf-8").replace("Tekst.", "Meer tekst."), encoding="utf-8")
    import_content(pilots_dir)
    db.session.commit()

    items = recent_activity(ActivityFilters()).items
    # The partners of the file came with the pilot: no separate "doet mee" of the import's moment.
    assert [(item.kind, item.organisation) for item in items] == [("edit", ""), ("pilot", "Utrecht")]
    assert all(item.actor is None for item in items)
    edit_item = next(item for item in items if item.kind == "edit")
    assert edit_item.summaries == ()  # "Geïmporteerd uit buurtapp.md" means nothing to readers


def test_the_edit_scan_is_bounded(monkeypatch):
    """Hundreds of revisions without a group head in them cost at most MAX_EDIT_SCAN rows, not the history."""
    monkeypatch.setattr(activity, "MAX_EDIT_SCAN", 6)
    monkeypatch.setattr(activity, "EDIT_SCAN_BATCH", 3)
    anna = make_user()
    lamps = publish(anna, "Veel bewerkingen", 0)
    for n in range(12):
        edit(anna, lamps, 10 + n)
    statements = []
    from sqlalchemy import event

    def count(*_args) -> None:
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        items = recent_activity(ActivityFilters(kind="edit")).items
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert [(i.count, i.diff_from, i.diff_to) for i in items] == [(12, 1, 13)]
    assert len(statements) <= 6


def test_a_malformed_cursor_means_from_the_newest():
    for text in (
        "",
        "zomaar",
        "2026-01-01T00:00:00_onbekend_1",
        "gisteren_edit_1",
        "2026-01-01T00:00:00_edit_-5",
        None,
    ):
        assert Cursor.decode(text) is None
    cursor = Cursor(at(1.5), "join", 42)
    assert Cursor.decode(cursor.encode()) == cursor


def test_scale_up_steps_and_decisions_are_activity():
    staff = make_user("vng", role="vng_staff", name="Sanne van VNG")
    pilot = make_pilot(make_user("GM0344"), title="Slimme meldingen", status="lopend")
    meeting = portfolio.create_meeting(staff, date(2026, 1, 15), "Portfolio-overleg januari")
    scaleup.flag(staff, pilot, "Werkt in drie gemeenten.")
    scaleup.schedule(staff, pilot, meeting.id)
    scaleup.decide(staff, pilot, "opschalen", "Iedereen kan dit gebruiken.")
    db.session.commit()

    steps = recent_activity(ActivityFilters(kind="scaleup")).items
    assert [(s.action, s.state, s.actor) for s in steps] == [
        ("decide", "wordt_opgeschaald", "Sanne van VNG"),
        ("schedule", "geagendeerd", "Sanne van VNG"),
        ("flag", "opschaalbaar", "Sanne van VNG"),
    ]
    assert steps[0].meeting == "Portfolio-overleg januari" and steps[0].reason == "Iedereen kan dit gebruiken."


def test_comments_are_activity_until_hidden_or_deleted():
    anna, bram = make_user("GM0344", name="Anna"), make_user("GM0599", name="Bram")
    staff = make_user("vng", role="vng_staff")
    lamps = publish(anna, "Slimme lantaarnpalen", 0)
    first = comments.post_comment(bram, lamps, "Hoe deden jullie de **DPIA**? Vraag aan @[Anna](user:1)")
    second = comments.post_comment(anna, lamps, "Met het model van de VNG.", reply_to=first)
    first.created_at, second.created_at = at(10), at(20)
    db.session.commit()

    items = recent_activity(ActivityFilters(kind="comment")).items
    assert [(i.kind, i.id, i.actor) for i in items] == [("comment", second.id, "Anna"), ("comment", first.id, "Bram")]
    assert items[1].reason.startswith("Hoe deden jullie de DPIA?")  # plain text, no Markdown

    moderation.hide(staff, first, "Persoonsgegevens")
    comments.delete_comment(anna, second)
    db.session.commit()
    assert recent_activity(ActivityFilters(kind="comment")).items == []
