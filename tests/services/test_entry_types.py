"""Entry types without HTTP: labels, statuses per type, validation, outlines, import, lists, features and the
rule that a duplicate is only ever of the same type."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import force_locale

from pilotstarter_web.extensions import db
from pilotstarter_web.services import entry_types, scaleup
from pilotstarter_web.services.content_import import ContentError, import_content, parse_content_file
from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.services.matchmaking import duplicates as dup
from pilotstarter_web.services.pilot_queries import PilotFilters, list_pilots
from pilotstarter_web.services.pilot_template import drop_unfilled, sections, template_body
from pilotstarter_web.services.pilots import PilotText, edit_pilot, validate_text
from tests.call_world import make_world, start
from tests.factories import make_pilot, make_user

FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."
SUMMARY = "Aangifte van overlijden online."


def test_each_type_has_dutch_labels_singular_and_plural():
    assert [entry_types.type_label(t) for t in entry_types.ENTRY_TYPES] == ["Pilot", "Best practice", "Challenge"]
    assert [entry_types.type_plural(t) for t in entry_types.ENTRY_TYPES] == ["Pilots", "Best practices", "Challenges"]
    assert entry_types.titled("best_practice", "Slim parkeren") == "Best practice: Slim parkeren"


def test_labels_render_in_english_too():
    with force_locale("en"):
        assert entry_types.type_plural("challenge") == "Challenges"
        assert entry_types.type_label("best_practice") == "Best practice"


def test_each_type_has_its_own_statuses_with_labels():
    assert entry_types.statuses("pilot") == ("idee", "partners_gezocht", "lopend", "afgerond", "gestopt")
    assert entry_types.statuses("best_practice") == ("in_gebruik", "wordt_uitgerold", "uitgefaseerd")
    assert entry_types.default_status("challenge") == "open"
    assert entry_types.valid_status("challenge", "opgelost") and not entry_types.valid_status("challenge", "lopend")
    assert not entry_types.valid_status("pilot", "in_gebruik")
    every = [s for t in entry_types.ENTRY_TYPES for s in entry_types.statuses(t)]
    assert len(every) == len(set(every)) == len(entry_types.STATUS_LABELS)  # one label per status, no clash
    assert entry_types.status_choices("best_practice")[0] == ("in_gebruik", "In gebruik")


def test_validation_accepts_the_types_own_statuses_only():
    ok = PilotText("Slim parkeren", status="in_gebruik", entry_type="best_practice")
    assert validate_text(ok).status == "in_gebruik"
    with pytest.raises(InvalidInput) as refused:
        validate_text(PilotText("Slim parkeren", status="lopend", entry_type="best_practice"))
    assert refused.value.field_errors["status"] == ["Kies een status die bij een best practice past."]
    with pytest.raises(InvalidInput) as unknown:
        validate_text(PilotText("Slim parkeren", status="idee", entry_type="experiment"))
    assert "entry_type" in unknown.value.field_errors


def test_the_type_is_set_at_creation_and_an_edit_keeps_it():
    owner = make_user("GM0344")
    entry = make_pilot(owner, title="Vraag over parkeren", entry_type="challenge")
    assert (entry.entry_type, entry.status) == ("challenge", "open")
    text = PilotText("Vraag over parkeren", "Nu met samenvatting.", entry.current_revision.body, ["data"])
    text.status, text.entry_type = "in_selectie", "pilot"  # a crafted form cannot change the type
    edit_pilot(owner, entry, text, 1)
    assert (entry.entry_type, entry.status) == ("challenge", "in_selectie")


def test_each_type_has_its_outline_and_publishing_drops_any_unfilled_one():
    assert [h for h, _g in sections("best_practice")] == [
        "Wat het oplost", "Waar het in gebruik is", "Resultaten", "Wat nodig is om over te nemen", "Kosten", "Contact",
    ]  # fmt: skip
    assert [h for h, _g in sections("challenge")][:2] == ["Het vraagstuk", "Wie het raakt"]
    assert "## Aanleiding" in template_body("pilot") and "## Aanleiding" not in template_body("challenge")
    for entry_type in entry_types.ENTRY_TYPES:
        assert drop_unfilled(template_body(entry_type)) == ""
    filled = template_body("challenge").replace("## Het vraagstuk\n", "## Het vraagstuk\n\nTe veel papier.\n")
    assert drop_unfilled(filled) == "## Het vraagstuk\n\nTe veel papier.\n"


def test_only_pilots_take_the_scale_up_route():
    owner = make_user("GM0344")
    pilot = make_pilot(owner, title="Een pilot")
    practice = make_pilot(owner, title="Een best practice", entry_type="best_practice")
    challenge = make_pilot(owner, title="Een challenge", entry_type="challenge")
    assert entry_types.has_scale_up_route(pilot) and not entry_types.has_scale_up_route(practice)
    assert not entry_types.has_scale_up_route(challenge)
    with pytest.raises(scaleup.InvalidTransition, match="Alleen pilots"):
        scaleup.nominate(owner, practice, "Werkt goed.")


def test_lists_filter_by_type_with_counts():
    owner = make_user("GM0344")
    make_pilot(owner, title="Pilot een")
    make_pilot(owner, title="Pilot twee")
    make_pilot(owner, title="Praktijk", entry_type="best_practice")
    make_pilot(owner, title="Vraag", entry_type="challenge")
    assert list_pilots(PilotFilters(entry_type="pilot"))[1] == 2
    items, total = list_pilots(PilotFilters(entry_type="best_practice"))
    assert total == 1 and [p.title for p in items] == ["Praktijk"]
    assert list_pilots(PilotFilters(entry_type="challenge", status="open"))[1] == 1
    assert list_pilots(PilotFilters())[1] == 4


# -- content import --------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, front: str) -> Path:
    path = tmp_path / f"{name}.md"
    path.write_text(
        f"---\ntitle: Parkeren zonder papier\norganisation: GM0344\n{front}---\n## Het vraagstuk\n\nTekst.\n"
    )
    return path


def test_import_reads_the_type_key_and_its_default_status(tmp_path):
    item = parse_content_file(_write(tmp_path, "vraag", "type: challenge\n"))
    assert (item.text.entry_type, item.text.status) == ("challenge", "open")
    assert parse_content_file(_write(tmp_path, "zonder", "")).text.entry_type == "pilot"
    report = import_content(tmp_path)
    db.session.commit()
    assert not report.errors and sorted(report.created) == ["vraag", "zonder"]
    assert list_pilots(PilotFilters(entry_type="challenge"))[0][0].slug == "vraag"


def test_import_names_the_line_of_a_bad_type_or_a_status_of_another_type(tmp_path):
    with pytest.raises(ContentError) as bad_type:
        parse_content_file(_write(tmp_path, "fout", "themes: [data]\ntype: experiment\n"))
    assert bad_type.value.line == 5 and "onbekend type 'experiment'" in bad_type.value.message
    with pytest.raises(ContentError) as bad_status:
        parse_content_file(_write(tmp_path, "fout", "type: best_practice\nstatus: lopend\n"))
    assert bad_status.value.line == 5 and "best practice" in bad_status.value.message


# -- matchmaking across types ----------------------------------------------------------------------------


def _funeral(owner: str, title: str, entry_type: str = "pilot"):
    return make_pilot(make_user(owner), title=title, body=FUNERAL, summary=SUMMARY, entry_type=entry_type)


def test_a_duplicate_is_only_ever_of_the_same_type():
    pilot = _funeral("GM0200", "Digitale overlijdensaangifte door uitvaartondernemers")
    challenge = _funeral("GM0687", "Overlijdensaangifte digitaal door uitvaartondernemers", "challenge")
    found = {p.slug: m for p, m in dup.similar_pilots(pilot)}  # all types: the API without ?type=
    assert challenge.slug in found and not found[challenge.slug].duplicate and found[challenge.slug].tier == "related"
    twin = _funeral("GM0599", "Overlijdensaangifte digitaal door uitvaartondernemers", "challenge")
    assert [m.duplicate for p, m in dup.similar_pilots(challenge) if p.id == twin.id] == [True]
    # The writing panel and the check before publishing follow the same rule.
    draft = PilotText("Uitvaartondernemers doen digitaal aangifte van overlijden", SUMMARY, FUNERAL, ["data"])
    assert any(m.duplicate for _p, m in dup.writing_warning(draft.title, SUMMARY, FUNERAL, entry_type="pilot"))
    flagged = dup.writing_warning(draft.title, SUMMARY, FUNERAL, entry_type="best_practice")
    assert flagged and not any(m.duplicate for _p, m in flagged)
    staff = make_user("vng", role="vng_staff")
    with pytest.raises(InvalidInput, match="dezelfde soort"):
        dup.mark_duplicate(staff, challenge, pilot)  # "dubbel van" follows the same rule
    draft.entry_type, draft.status = "best_practice", "in_gebruik"
    assert dup.publish_new_pilot(make_user("GM0363"), draft, [], token="bp1", reviewed=[]).entry_type == "best_practice"


def test_the_pilot_page_splits_its_matches_into_its_own_group_and_the_other():
    pilot = _funeral("GM0200", "Digitale overlijdensaangifte door uitvaartondernemers")
    practice = _funeral("GM0363", "Overlijdensaangifte digitaal via uitvaartondernemers", "best_practice")
    challenge = _funeral("GM0687", "Overlijdensaangifte digitaal door uitvaartondernemers", "challenge")
    page = dup.duplicate_page(pilot, None)
    assert [p.slug for p, _m in page.similar] == [practice.slug]
    assert [p.slug for p, _m in page.cross] == [challenge.slug] and page.cross[0][1].reasons
    answers = dup.duplicate_page(challenge, None)
    assert {p.slug for p, _m in answers.cross} == {pilot.slug, practice.slug} and answers.similar == []


def test_a_call_submission_starts_a_challenge_with_a_challenges_status():
    entry = start(make_world()).pilot
    assert (entry.entry_type, entry.status) == ("challenge", "open")
    assert list_pilots(PilotFilters(entry_type="challenge"))[1] == 1
