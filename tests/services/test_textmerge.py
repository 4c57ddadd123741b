import pytest

from pilotstarter_web.services.textmerge import Agreed, Conflict, assemble, merge_field, merge_text

BASE = "Aanleiding\n\nWe willen X.\n\nAanpak\n\nStap 1.\n\nResultaat\n\nNog niet.\n"
MARKERS = ("<<<<<<<", "=======", ">>>>>>>")


def test_non_overlapping_edits_are_merged():
    mine = BASE.replace("We willen X.", "We willen X en Y.")
    theirs = BASE.replace("Nog niet.", "Eerste cijfers binnen.")
    result = merge_text(BASE, mine, theirs)
    assert result.conflicts == []
    assert result.text == BASE.replace("We willen X.", "We willen X en Y.").replace(
        "Nog niet.", "Eerste cijfers binnen."
    )


def test_overlapping_edits_are_one_conflict_between_agreed_text():
    mine = BASE.replace("Stap 1.", "Stap 1: inventariseren.")
    theirs = BASE.replace("Stap 1.", "Stap 1: interviews.")
    result = merge_text(BASE, mine, theirs)
    before, after = BASE.split("Stap 1.\n")
    assert result.segments == [
        Agreed(before),
        Conflict("Stap 1.\n", "Stap 1: inventariseren.\n", "Stap 1: interviews.\n"),
        Agreed(after),
    ]
    assert not any(marker in result.text for marker in MARKERS)


def test_choices_assemble_the_final_text():
    mine = BASE.replace("Stap 1.", "Stap 1: inventariseren.")
    theirs = BASE.replace("Stap 1.", "Stap 1: interviews.")
    result = merge_text(BASE, mine, theirs)
    assert assemble(result, {0: ("mine", "")}) == mine
    assert assemble(result, {0: ("theirs", "")}) == theirs
    assert assemble(result, {0: ("both", "")}) == BASE.replace(
        "Stap 1.", "Stap 1: inventariseren.\nStap 1: interviews."
    )
    assert assemble(result, {0: ("edit", "Stap 1: beide.")}) == BASE.replace("Stap 1.", "Stap 1: beide.")
    assert assemble(result, {0: ("edit", "")}) == BASE.replace("Stap 1.\n", "")


def test_several_conflicts_are_numbered_in_order_and_chosen_separately():
    mine = BASE.replace("We willen X.", "We willen A.").replace("Nog niet.", "Mijn cijfers.")
    theirs = (
        BASE.replace("We willen X.", "We willen B.").replace("Nog niet.", "Hun cijfers.").replace("Aanpak", "Werkwijze")
    )
    result = merge_text(BASE, mine, theirs)
    assert [(c.mine, c.theirs) for c in result.conflicts] == [
        ("We willen A.\n", "We willen B.\n"),
        ("Mijn cijfers.\n", "Hun cijfers.\n"),
    ]
    final = assemble(result, {0: ("theirs", ""), 1: ("mine", "")})
    assert final == BASE.replace("We willen X.", "We willen B.").replace("Nog niet.", "Mijn cijfers.").replace(
        "Aanpak", "Werkwijze"
    )


def test_identical_or_one_sided_changes_are_trivial():
    mine = BASE + "Extra.\n"
    assert merge_text(BASE, mine, BASE).text == mine
    assert merge_text(BASE, BASE, mine).text == mine
    assert merge_text(BASE, mine, mine).conflicts == []


def test_merge_field_takes_the_changed_side_and_flags_true_conflicts():
    assert merge_field("Oud", "Nieuw", "Oud") == ("Nieuw", False)
    assert merge_field("Oud", "Oud", "Ander") == ("Ander", False)
    assert merge_field("Oud", "Mijn", "Ander") == ("Mijn", True)


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [
        ("a\nb\nX", "a\nb\nY"),  # the report: both change the last line
        ("a\nb\nX\n", "a\nb\nY"),  # one editor's text ends in a newline, the stored one does not
        ("a\nb\nX", "a\nb\nY\n"),
        ("a\nX\nZ", "a\nY\nZ"),  # both sides end in the same new line
        ("P\nX\nZ", "P\nY\nZ"),  # and start with the same new line
    ],
)
def test_a_conflict_shows_every_line_once(mine, theirs):
    result = merge_text("a\nb\nc", mine, theirs)
    [conflict] = result.conflicts
    agreed = "".join(s.text for s in result.segments if isinstance(s, Agreed)).splitlines()
    mine_lines, theirs_lines = mine.splitlines(), theirs.splitlines()
    shared = [line for line in mine_lines if line in theirs_lines]
    assert conflict.mine.splitlines() == [line for line in mine_lines if line not in shared]
    assert conflict.theirs.splitlines() == [line for line in theirs_lines if line not in shared]
    assert sorted(agreed) == sorted(shared)  # what both wrote appears once, outside the conflict
    both = assemble(result, {0: ("both", "")}).splitlines()
    assert len(both) == len(set(both))  # keeping both repeats no line either


def test_a_last_line_differing_only_in_its_newline_is_no_conflict():
    result = merge_text("a\nb\nc", "a\nb\nX", "a\nb\nX\n")
    assert (result.text, result.conflicts) == ("a\nb\nX", [])
    assert merge_text("a\nb\nc\n", "a\nb\nc", "a\nb\nY\n").text == "a\nb\nY"
    assert assemble(merge_text("a\nb\nc", "a\nb\nX", "a\nb\nY\n"), {0: ("theirs", "")}) == "a\nb\nY"
