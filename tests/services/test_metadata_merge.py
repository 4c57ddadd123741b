"""Status, themes and tags are revisioned and merged three-way like the text (security finding M2)."""

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.services.pilot_queries import revisions
from pilotstarter_web.services.pilots import EditConflict, PilotText, edit_pilot, revert_pilot
from pilotstarter_web.services.textmerge import merge_set
from tests.factories import make_pilot, make_user

BODY = "## Aanleiding\n\nWe willen X.\n\n## Aanpak\n\nStap 1.\n"


def form_of(pilot, **changes) -> PilotText:
    """What the edit form posts: every field, as it was loaded (the base), with some changed."""
    rev = pilot.current_revision
    values = dict(
        title=rev.title, summary=rev.summary, body=rev.body, themes=list(pilot.theme_keys),
        tags=list(pilot.tag_values), status=pilot.status,
    )  # fmt: skip
    values.update(changes)
    return PilotText(**values)


def test_a_text_only_save_from_a_stale_base_keeps_the_others_metadata():
    """The report: A changes status, themes and tags; B, from the same base, changes only the text."""
    pilot = make_pilot(body=BODY, themes=["data"], status="idee")
    a, b = make_user("GM0363"), make_user("GM0599")
    b_form = form_of(pilot, body=BODY.replace("Stap 1.", "Stap 1: interviews."))  # B opens the form first
    edit_pilot(a, pilot, form_of(pilot, status="lopend", themes=["data", "zorg"], tags=["wmo"]), 1)
    db.session.commit()
    outcome = edit_pilot(b, pilot, b_form, 1)
    db.session.commit()
    assert outcome.merged and outcome.revision.number == 3
    assert (pilot.status, pilot.theme_keys, pilot.tag_values) == ("lopend", ["data", "zorg"], ["wmo"])
    assert "Stap 1: interviews." in pilot.current_revision.body
    assert (outcome.revision.status, outcome.revision.theme_keys, outcome.revision.tag_values) == (
        "lopend", ["data", "zorg"], ["wmo"],
    )  # fmt: skip


def test_only_my_metadata_changed_wins_over_a_text_only_save():
    pilot = make_pilot(body=BODY, themes=["data"])
    a, b = make_user("GM0363"), make_user("GM0599")
    mine = form_of(pilot, status="afgerond", themes=["ai"], tags=["chatbot"])
    edit_pilot(a, pilot, form_of(pilot, body=BODY + "\nMeer.\n"), 1)
    db.session.commit()
    edit_pilot(b, pilot, mine, 1)
    db.session.commit()
    assert (pilot.status, pilot.theme_keys, pilot.tag_values) == ("afgerond", ["ai"], ["chatbot"])
    assert "Meer." in pilot.current_revision.body


def test_both_changed_the_sets_so_additions_and_removals_of_both_are_kept():
    pilot = make_pilot(themes=["data", "zorg"])
    edit_pilot(make_user(), pilot, form_of(pilot, themes=["data", "zorg"], tags=["a", "b"]), 1)  # tags a, b
    db.session.commit()
    a, b = make_user("GM0363"), make_user("GM0599")
    b_form = form_of(pilot, themes=["data", "jeugd"], tags=["a", "c"])  # B: -zorg +jeugd, -b +c
    edit_pilot(a, pilot, form_of(pilot, themes=["zorg", "ai"], tags=["a", "b", "d"]), 2)  # A: -data +ai, +d
    db.session.commit()
    edit_pilot(b, pilot, b_form, 2)
    db.session.commit()
    assert sorted(pilot.theme_keys) == ["ai", "jeugd"]
    assert sorted(pilot.tag_values) == ["a", "c", "d"]


def test_the_same_status_from_both_sides_is_no_conflict():
    pilot = make_pilot()
    a, b = make_user("GM0363"), make_user("GM0599")
    b_form = form_of(pilot, status="lopend", body=pilot.current_revision.body + "\nB.\n")
    edit_pilot(a, pilot, form_of(pilot, status="lopend"), 1)
    db.session.commit()
    assert edit_pilot(b, pilot, b_form, 1).merged
    assert pilot.status == "lopend"


def test_different_statuses_from_both_sides_are_a_conflict_and_nothing_is_saved():
    pilot = make_pilot(body=BODY)
    a, b = make_user("GM0363"), make_user("GM0599")
    b_form = form_of(pilot, status="gestopt", themes=["data", "ai"], body=BODY + "\nB.\n")
    edit_pilot(a, pilot, form_of(pilot, status="lopend", themes=["data", "zorg"]), 1)
    db.session.commit()
    with pytest.raises(EditConflict) as exc:
        edit_pilot(b, pilot, b_form, 1)
    db.session.rollback()
    assert exc.value.fields == {"status": ("gestopt", "lopend")}
    assert exc.value.conflicts == 1
    assert sorted(exc.value.text.themes) == ["ai", "data", "zorg"]  # the form comes back merged
    assert (pilot.status, len(revisions(pilot))) == ("lopend", 2)
    # B saw A's status and keeps their own: an explicit choice, saved on the new base.
    edit_pilot(b, pilot, exc.value.text, exc.value.current.number)
    db.session.commit()
    assert (pilot.status, sorted(pilot.theme_keys)) == ("gestopt", ["ai", "data", "zorg"])


def test_a_merge_that_would_exceed_the_tag_limit_is_a_conflict_not_a_cut():
    pilot = make_pilot()
    a, b = make_user("GM0363"), make_user("GM0599")
    b_form = form_of(pilot, tags=[f"b{i}" for i in range(6)])
    edit_pilot(a, pilot, form_of(pilot, tags=[f"a{i}" for i in range(6)]), 1)
    db.session.commit()
    with pytest.raises(EditConflict) as exc:
        edit_pilot(b, pilot, b_form, 1)
    db.session.rollback()
    assert set(exc.value.fields) == {"tags"} and len(exc.value.text.tags) == 12
    with pytest.raises(InvalidInput) as invalid:  # saving twelve is refused, not silently cut to ten
        edit_pilot(b, pilot, exc.value.text, exc.value.current.number)
    assert "tags" in invalid.value.field_errors


def test_a_metadata_only_save_is_a_revision_and_an_unchanged_save_is_none():
    pilot = make_pilot()
    outcome = edit_pilot(make_user(), pilot, form_of(pilot, status="lopend", tags=["wmo"]), 1)
    db.session.commit()
    assert outcome.revision is not None and outcome.revision.number == 2
    assert outcome.revision.body == revisions(pilot)[1].body
    assert edit_pilot(make_user(), pilot, form_of(pilot), 2).revision is None


def test_revert_restores_the_old_revisions_metadata():
    pilot = make_pilot(themes=["data"], status="idee")
    edit_pilot(make_user(), pilot, form_of(pilot, status="gestopt", themes=["ai"], tags=["spam"]), 1)
    db.session.commit()
    revert_pilot(make_user(), pilot, 1)
    db.session.commit()
    assert (pilot.status, pilot.theme_keys, pilot.tag_values) == ("idee", ["data"], [])


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "merged"),
    [
        (["a"], ["a"], ["a", "b"], ["a", "b"]),  # only theirs added
        (["a"], ["a", "b"], ["a"], ["a", "b"]),  # only mine added
        (["a", "b"], ["a"], ["a", "b", "c"], ["a", "c"]),  # I removed, they added
        (["a", "b"], ["b"], ["b"], ["b"]),  # both removed the same
        (["a"], ["a", "x"], ["a", "x"], ["a", "x"]),  # both added the same: once
    ],
)
def test_merge_set(base, mine, theirs, merged):
    assert sorted(merge_set(base, mine, theirs)) == merged
