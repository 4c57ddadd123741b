"""Resolving an edit conflict part by part, without HTTP: the choices become the saved description."""

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services import edit_conflicts
from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.services.pilots import EditConflict, PilotText, edit_pilot
from tests.factories import make_pilot, make_user

BODY = "## Aanleiding\n\nWe willen X.\n\n## Aanpak\n\nStap 1.\n\n## Resultaat\n\nNog niet.\n"


def save(user, pilot, body, base):
    rev = pilot.current_revision
    return edit_pilot(user, pilot, PilotText(rev.title, rev.summary, body, pilot.theme_keys, [], pilot.status), base)


def conflict(pilot, theirs: str, mine: str) -> EditConflict:
    save(make_user("GM0599"), pilot, theirs, pilot.current_revision.number)
    db.session.commit()
    with pytest.raises(EditConflict) as exc:
        save(make_user("GM0363"), pilot, mine, 1)
    db.session.rollback()
    return exc.value


def test_a_conflict_resolved_by_choices_saves_against_the_latest_revision():
    pilot = make_pilot(body=BODY)
    exc = conflict(
        pilot,
        BODY.replace("We willen X.", "We willen B.").replace("Nog niet.", "Hun cijfers."),
        BODY.replace("We willen X.", "We willen A.").replace("Nog niet.", "Mijn cijfers."),
    )
    resolution = edit_conflicts.from_conflict(exc)
    assert resolution.conflicts == 2
    again = edit_conflicts.reopen(pilot, resolution.base_number, resolution.theirs.number, resolution.mine)
    assert again.merge.segments == resolution.merge.segments  # the page's hidden fields give the same merge
    body = edit_conflicts.resolve(again, {0: ("theirs", ""), 1: ("edit", "Mijn en hun cijfers.")})
    outcome = save(make_user("GM0363"), pilot, body, resolution.theirs.number)
    db.session.commit()
    assert outcome.revision.number == 3
    assert pilot.current_revision.body == BODY.replace("We willen X.", "We willen B.").replace(
        "Nog niet.", "Mijn en hun cijfers."
    )


def test_every_conflict_needs_a_choice_and_nothing_is_lost():
    pilot = make_pilot(body=BODY)
    exc = conflict(
        pilot,
        BODY.replace("We willen X.", "We willen B.").replace("Nog niet.", "Hun cijfers."),
        BODY.replace("We willen X.", "We willen A.").replace("Nog niet.", "Mijn cijfers."),
    )
    with pytest.raises(InvalidInput) as refused:
        edit_conflicts.resolve(edit_conflicts.from_conflict(exc), {0: ("mine", ""), 1: ("bogus", "")})
    assert set(refused.value.field_errors) == {"keuze-1"}


def test_a_resolution_saved_after_yet_another_edit_conflicts_again():
    pilot = make_pilot(body=BODY)
    exc = conflict(pilot, BODY.replace("Stap 1.", "Stap 1: enquête."), BODY.replace("Stap 1.", "Stap 1: interviews."))
    resolution = edit_conflicts.from_conflict(exc)
    body = edit_conflicts.resolve(resolution, {0: ("both", "")})
    save(make_user("GM0344"), pilot, BODY.replace("Stap 1.", "Stap 1: een derde."), 2)  # meanwhile, revision 3
    db.session.commit()
    with pytest.raises(EditConflict) as second:
        save(make_user("GM0363"), pilot, body, resolution.theirs.number)
    [part] = second.value.body.conflicts
    assert part.mine == "Stap 1: interviews.\nStap 1: enquête.\n"
    assert "een derde" in part.theirs and second.value.current.number == 3


def test_reopen_refuses_numbers_that_are_no_conflict_of_this_pilot():
    pilot = make_pilot(body=BODY)
    with pytest.raises(InvalidInput):
        edit_conflicts.reopen(pilot, 1, 1, BODY)
    with pytest.raises(InvalidInput):
        edit_conflicts.reopen(pilot, None, 1, BODY)
