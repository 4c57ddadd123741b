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
