import pytest

from pilotstarter_web.services.textmerge import has_conflict_markers, merge_field, merge_text

BASE = "Aanleiding\n\nWe willen X.\n\nAanpak\n\nStap 1.\n\nResultaat\n\nNog niet.\n"


def test_non_overlapping_edits_are_merged():
    mine = BASE.replace("We willen X.", "We willen X en Y.")
    theirs = BASE.replace("Nog niet.", "Eerste cijfers binnen.")
    result = merge_text(BASE, mine, theirs, "Piet (revisie 2)")
    assert result.conflicts == 0
    assert "We willen X en Y." in result.text
    assert "Eerste cijfers binnen." in result.text


def test_overlapping_edits_keep_both_texts_between_markers():
    mine = BASE.replace("Stap 1.", "Stap 1: inventariseren.")
    theirs = BASE.replace("Stap 1.", "Stap 1: interviews.")
    result = merge_text(BASE, mine, theirs, "Piet (revisie 2)")
    assert result.conflicts == 1
    assert "Stap 1: inventariseren." in result.text and "Stap 1: interviews." in result.text
    assert result.text.index("inventariseren") < result.text.index("interviews")
    assert "Piet (revisie 2)" in result.text
    assert has_conflict_markers(result.text)


def test_identical_or_one_sided_changes_are_trivial():
    mine = BASE + "Extra.\n"
    assert merge_text(BASE, mine, BASE, "x").text == mine
    assert merge_text(BASE, BASE, mine, "x").text == mine
    assert merge_text(BASE, mine, mine, "x").conflicts == 0


def test_merge_field_takes_the_changed_side_and_flags_true_conflicts():
    assert merge_field("Oud", "Nieuw", "Oud") == ("Nieuw", False)
    assert merge_field("Oud", "Oud", "Ander") == ("Ander", False)
    assert merge_field("Oud", "Mijn", "Ander") == ("Mijn", True)


def test_markers_in_plain_text_are_not_mistaken_for_conflicts():
    assert not has_conflict_markers("Een tekst met ======= als scheiding\n")


def _outside_and_sides(text: str) -> tuple[list[str], list[str], list[str]]:
    """Split merged text into the lines outside markers, mine and theirs (one conflict)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("<<<<<<<"))
    mid = lines.index("=======")
    end = next(i for i, line in enumerate(lines) if line.startswith(">>>>>>>"))
    return lines[:start] + lines[end + 1 :], lines[start + 1 : mid], lines[mid + 1 : end]


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
    result = merge_text("a\nb\nc", mine, theirs, "Piet (revisie 2)")
    assert result.conflicts == 1
    outside, my_side, their_side = _outside_and_sides(result.text)
    mine_lines, theirs_lines = mine.splitlines(), theirs.splitlines()
    shared = [line for line in mine_lines if line in theirs_lines]
    assert my_side == [line for line in mine_lines if line not in shared]
    assert their_side == [line for line in theirs_lines if line not in shared]
    assert sorted(outside) == sorted(shared)  # what both wrote appears once, outside the markers


def test_a_last_line_differing_only_in_its_newline_is_no_conflict():
    result = merge_text("a\nb\nc", "a\nb\nX", "a\nb\nX\n", "Piet (revisie 2)")
    assert (result.text, result.conflicts) == ("a\nb\nX", 0)
    assert merge_text("a\nb\nc\n", "a\nb\nc", "a\nb\nY\n", "x").text == "a\nb\nY"
