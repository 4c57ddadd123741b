"""Look-alike names and titles (services/text_input.py) and every place that accepts them."""

from __future__ import annotations

import pytest

from pilotstarter_web.services import accounts
from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.services.organisations import validate_organisation_name
from pilotstarter_web.services.pilots import PilotText, validate_text
from pilotstarter_web.services.text_input import clean_line, look_alike_words
from tests.factories import PASSWORD, make_user, org

CYRILLIC_E = "\u0435"  # looks like a Latin "e"
GREEK_O = "\u03bf"  # looks like a Latin "o"


@pytest.mark.parametrize(
    "typed,clean",
    [
        ("Gemeente\u200b Utrecht", "Gemeente Utrecht"),
        ("\ufeffAnna\u2060 de\u200d Vries", "Anna de Vries"),
        ("Pilot \u202eterces\u202c", "Pilot terces"),
        ("\uff35\uff54\uff52\uff45\uff43\uff48\uff54", "Utrecht"),  # full-width letters, NFKC
        ("  Den   Haag \n", "Den Haag"),
    ],
)
def test_clean_line_normalises_and_strips_invisible_characters(typed, clean):
    assert clean_line(typed) == clean


@pytest.mark.parametrize("ok", ["Café Zoë", "Αθήνα", "Москва", "s-Hertogenbosch 2030", "Ĳsselstein"])
def test_single_script_words_are_fine(ok):
    assert look_alike_words(ok) == []


def test_latin_mixed_with_cyrillic_or_greek_in_one_word_is_a_look_alike():
    assert look_alike_words(f"Gem{CYRILLIC_E}ente Utrecht") == [f"Gem{CYRILLIC_E}ente"]
    assert look_alike_words(f"R{GREEK_O}tterdam") == [f"R{GREEK_O}tterdam"]


def test_user_names_are_cleaned_and_look_alikes_refused():
    user = accounts.create_account("a@example.nl", "Anna\u200b Bos", PASSWORD, org())
    assert user.name == "Anna Bos"
    with pytest.raises(InvalidInput) as exc:
        accounts.create_account("b@example.nl", f"Ann{CYRILLIC_E} Bos", PASSWORD, org())
    assert "name" in exc.value.field_errors
    member = make_user()
    with pytest.raises(InvalidInput):
        accounts.update_profile(member, f"R{GREEK_O}b", "nl")
    assert accounts.update_profile(member, "Rob\u200f", "nl").name == "Rob"


def test_pilot_titles_and_tags_are_cleaned_and_look_alike_titles_refused():
    text = validate_text(
        PilotText("Slimme\u200b lantaarnpalen", "", "", ["data"], ["\ufeffLicht\u200b", "LICHT"], "idee")
    )
    assert text.title == "Slimme lantaarnpalen" and text.tags == ["licht"]
    with pytest.raises(InvalidInput) as exc:
        validate_text(PilotText(f"Slimm{CYRILLIC_E} lantaarnpalen", "", "", ["data"], [], "idee"))
    assert "title" in exc.value.field_errors


def test_organisation_names_are_cleaned_and_look_alikes_refused():
    assert validate_organisation_name("Datalab\u200b  Zuid") == "Datalab Zuid"
    with pytest.raises(InvalidInput):
        validate_organisation_name(f"Gem{CYRILLIC_E}ente Utrecht")
