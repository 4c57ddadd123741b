"""Query syntax on the demo pilots: compounds, AND/OR/NOT, phrases, prefixes, fields, and malformed input
(never an error: searched as plain words). The hand corpus's searches: test_fulltext.py."""

from __future__ import annotations

import re

import pytest

from search_index.fulltext import SearchRequest
from search_index.queries import MAX_QUERY_CHARS
from search_index.suggest import Suggester

from .corpora import demo_documents
from .hand import search, slugs

# -- the demo content: compounds and syntax -----------------------------------------------------------


DEMO = {d.slug: d for d in demo_documents()}


def demo_slugs_where(predicate) -> set[str]:
    return {slug for slug, d in DEMO.items() if predicate(d)}


def all_slugs(index, query) -> set[str]:
    return set(slugs(search(index, query)))


def test_demo_pleegzorg_finds_the_compound_only_pilot(demo_index):
    only_compounds = DEMO["datagedreven-plaatsing-pleegkinderen"]
    text = " ".join([only_compounds.title, only_compounds.summary, only_compounds.plain_body]).lower()
    assert "pleegzorgaanbieder" in text and not re.search(r"\bpleegzorg\b", text)
    found = slugs(search(demo_index, "pleegzorg"))
    assert found[0] == "big-data-pleegzorg-matching"
    assert "datagedreven-plaatsing-pleegkinderen" in found


@pytest.mark.parametrize("query", ["parkeren", "vergunning", "parkeervergunning", "vergunningen"])
def test_demo_parking_permit_pilots(demo_index, query):
    found = slugs(search(demo_index, query))
    assert "parkeervergunning-online-aanvragen" in found[:3]
    if query != "parkeervergunning":
        assert "digitaal-parkeerloket-binnenstad" in found[:5]


def test_demo_jeugd_finds_jeugdhulp(demo_index):
    found = slugs(search(demo_index, "jeugd"))
    assert found[0] == "regionaal-inzicht-wachtlijsten-jeugdhulp"
    assert {"datagedreven-plaatsing-pleegkinderen", "schoolverzuim-eerder-signaleren"} <= set(found)
    # the title says "jeugdhulp" only: found through the compound part, not the theme
    assert "regionaal-inzicht-wachtlijsten-jeugdhulp" in all_slugs(demo_index, "titel:jeugd")


def test_demo_and_is_the_default(demo_index):
    both = all_slugs(demo_index, "parkeren vergunning")
    assert both == all_slugs(demo_index, "parkeren AND vergunning")
    assert both == all_slugs(demo_index, "parkeren") & all_slugs(demo_index, "vergunning")
    assert "parkeervergunning-online-aanvragen" in both


def test_demo_or(demo_index):
    either = all_slugs(demo_index, "pleegzorg OR schuldhulp")
    assert either == all_slugs(demo_index, "pleegzorg") | all_slugs(demo_index, "schuldhulp")
    assert len(either) > len(all_slugs(demo_index, "pleegzorg"))


def test_demo_not(demo_index):
    result = all_slugs(demo_index, "parkeren NOT vergunning")
    assert result == all_slugs(demo_index, "parkeren") - all_slugs(demo_index, "vergunning")
    assert result and "parkeervergunning-online-aanvragen" not in result


def test_demo_phrase(demo_index):
    assert slugs(search(demo_index, '"digitale assistent"'))[0] == "digitale-assistent-zorg-en-ondersteuning"
    # words in another order or far apart do not match a phrase
    assert all_slugs(demo_index, '"assistent digitale"') == set()
    phrase, words = all_slugs(demo_index, '"gewone taal"'), all_slugs(demo_index, "gewone taal")
    assert phrase and phrase < words
    assert "omgevingsplan-kaartviewer" in phrase  # "in gewone taal toont"
    assert all_slugs(demo_index, '"taal gewone"') == set()


def test_demo_phrase_with_stop_words(demo_index):
    # The summary says "hulp bij het huishouden": a phrase with stop words in it must still match.
    assert "hulp bij het huishouden" in DEMO["digitale-assistent-zorg-en-ondersteuning"].summary
    assert "digitale-assistent-zorg-en-ondersteuning" in all_slugs(demo_index, '"hulp bij het huishouden"')


def test_demo_prefix(demo_index):
    found = all_slugs(demo_index, "pleegkind*")
    assert {"datagedreven-plaatsing-pleegkinderen", "big-data-pleegzorg-matching"} <= found
    assert "ondermijning-signalen-bedrijventerreinen" in all_slugs(demo_index, "ondermijn*")


def test_demo_theme_field(demo_index):
    assert all_slugs(demo_index, "thema:jeugd") == demo_slugs_where(lambda d: "jeugd" in d.themes)
    assert all_slugs(demo_index, "theme:jeugd") == all_slugs(demo_index, "thema:jeugd")
    assert all_slugs(demo_index, "thema:jeugd pleegzorg") == all_slugs(demo_index, "thema:jeugd") & all_slugs(
        demo_index, "pleegzorg"
    )


def test_facet_fields_in_query_syntax_ignore_case_and_accents(demo_index):
    assert all_slugs(demo_index, "thema:Jeugd") == all_slugs(demo_index, "thema:jeugd") != set()
    assert all_slugs(demo_index, "organisatie:gm0518") == all_slugs(demo_index, "organisatie:GM0518") != set()
    friesland = demo_slugs_where(lambda d: "Fryslân" in d.provinces)
    assert friesland and all_slugs(demo_index, "provincie:fryslan") == friesland
    assert all_slugs(demo_index, "provincie:FRYSLÂN") == friesland
    assert all_slugs(demo_index, "thema:bestaat-niet") == set()


def test_demo_title_field(demo_index):
    assert "parkeervergunning" in DEMO["openbaar-algoritmeregister-regio-nijmegen"].plain_body
    assert all_slugs(demo_index, "titel:parkeervergunning") == {"parkeervergunning-online-aanvragen"}
    assert all_slugs(demo_index, "titel:overlijden") == demo_slugs_where(lambda d: "overlijden" in d.title.lower())


def test_demo_status_and_organisation_fields(demo_index):
    assert all_slugs(demo_index, "status:afgerond") == demo_slugs_where(lambda d: d.status == "afgerond")
    assert all_slugs(demo_index, "organisatie:GM0518") == demo_slugs_where(lambda d: "GM0518" in d.organisations)
    assert len(all_slugs(demo_index, "organisatie:GM0518")) == 2  # owner of one pilot, partner in another


def test_demo_organisation_names_are_searchable(demo_index):
    # Apeldoorn (GM0200) owns the overlijdensaangifte pilot; its name comes from the meta field
    assert "digitale-overlijdensaangifte-uitvaartondernemer" in all_slugs(demo_index, "apeldoorn")


def test_demo_facets_against_a_count(demo_index):
    facets = search(demo_index, "").facets
    for theme in ("jeugd", "data", "dienstverlening"):
        assert facets["theme"][theme] == sum(theme in d.themes for d in DEMO.values())
    for status in ("idee", "lopend", "afgerond", "gestopt", "partners_gezocht"):
        assert facets["status"][status] == sum(d.status == status for d in DEMO.values())
    assert sum(facets["status"].values()) == len(DEMO)


# -- malformed queries: never raise, searched as plain words --------------------------------------------


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("title:(", "title"),
        ('"unterminated pleegzorg', "unterminated pleegzorg"),
        (")))pleegzorg", "pleegzorg"),
        ("pleegzorg (((", "pleegzorg"),
        ("pleegzorg AND", "pleegzorg"),
        ("\x00pleegzorg\x07\x08", "pleegzorg"),
        ("🚗 pleegzorg 🅿️", "pleegzorg"),
        ("PLEEGZORG", "pleegzorg"),
    ],
    ids=[
        "field-paren",
        "unterminated",
        "close-parens",
        "open-parens",
        "trailing-and",
        "control-chars",
        "emoji",
        "caps",
    ],
)
def test_malformed_queries_are_searched_as_plain_words(demo_index, query, same_as):
    assert slugs(search(demo_index, query)) == slugs(search(demo_index, same_as))


@pytest.mark.parametrize(
    "query",
    [
        "title:(", "(((", ")))", '"unterminated', '"', "AND OR", "AND", "NOT", "OR NOT AND", "*", "?", "a*", "p*",
        "**", "titel:", "thema:", ":", "::::", "[a TO", "{", "^", "~", "pleegzorg~2", "pleegzorg^", "x:y:z",
        "\x00", "\x1b[31m", "🚗🅿️", "\u200b", "\ufeffpleegzorg", "a" * 5000, "pleegzorg " * 1000,
        "geboorte* " * 300, '"' * 501, "(" * 500 + "pleegzorg", "NOT " * 200,
    ],
)  # fmt: skip
def test_malformed_queries_never_raise(demo_index, query):
    result = demo_index.search(SearchRequest(query=query, per_page=5))
    assert result.total >= 0
    assert len(result.hits) <= 5


@pytest.mark.parametrize("query", ["*", "(((", "🚗", "", "   ", "?"])
def test_queries_without_words_list_everything(demo_index, query):
    assert search(demo_index, query).total == len(DEMO)


@pytest.mark.parametrize("query", ["a*", "p*", "e*"])
def test_one_letter_prefix_does_not_expand(demo_index, query):
    result = search(demo_index, query)
    assert result.plain_words
    assert result.total < len(DEMO)


def test_very_long_query_is_cut_before_suggesting(demo_index, monkeypatch):
    """Every unknown word costs a spelling look-up: a long query must not make the worker do thousands."""
    seen: list[str] = []
    real_suggest = Suggester.suggest

    def spy(self, searcher, text):
        seen.append(text)
        return real_suggest(self, searcher, text)

    monkeypatch.setattr(Suggester, "suggest", spy)
    result = demo_index.search(SearchRequest(query=" ".join(f"woord{n}x" for n in range(3000))))
    assert seen and all(len(text) <= MAX_QUERY_CHARS for text in seen)
    assert result.suggestion is None or len(result.suggestion) <= MAX_QUERY_CHARS + 50
