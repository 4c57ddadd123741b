"""FulltextIndex end to end: compounds, facets, filters, sorting, paging, snippets, suggestions and
autocomplete. Query syntax and malformed input: test_query_syntax.py; sync, rebuilds and broken indexes:
test_fulltext_sync.py."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from search_index.documents import markdown_to_text
from search_index.sync_state import SyncState

from .hand import BY_UPDATED, HAND, doc, ids, search, slugs

# -- the hand corpus: basics -----------------------------------------------------------------------


def test_rebuild_counts_and_state(hand_index):
    assert hand_index.exists()
    assert hand_index.doc_count() == len(HAND)
    assert hand_index.state() == SyncState()


def test_markdown_is_indexed_as_text():
    assert markdown_to_text("## Kop\n\n- **vet** [link](https://x.nl) <b>html</b>").split() == [
        "Kop",
        "vet",
        "link",
        "html",
    ]


def test_empty_query_lists_everything_newest_first(hand_index):
    result = search(hand_index, "")
    assert result.total == len(HAND)
    assert ids(result) == BY_UPDATED
    assert not result.broadened and result.suggestion is None


# -- compounds ----------------------------------------------------------------------------------------


def test_compound_part_finds_the_compound(hand_index):
    assert set(ids(search(hand_index, "pleegzorg"))) == {2}
    assert set(ids(search(hand_index, "vergunning"))) == {1, 4}
    # field by field, where the field holds the part only inside a compound (meta would match "jeugd" anyway)
    assert ids(search(hand_index, "samenvatting:pleegzorg")) == [2]  # "pleegzorgdata"
    assert ids(search(hand_index, "titel:data")) == [2]  # "Pleegzorgdata voor betere matches"
    assert ids(search(hand_index, "titel:jeugd")) == [3]  # "Jeugdhulp dichter bij huis"
    assert 1 in ids(search(hand_index, "titel:vergunning"))  # "Parkeervergunning" (and "Vergunningcheck" if known)
    assert set(ids(search(hand_index, "samenvatting:parkeren"))) == {1, 5, 7}  # 1 says "parkeervergunning"


def test_linking_s_compound(hand_index):
    assert 6 in ids(search(hand_index, "deel"))
    assert ids(search(hand_index, "titel:deel")) == [6]  # "Meldingen per stadsdeel"
    assert 6 in ids(search(hand_index, "titel:stad"))
    assert set(ids(search(hand_index, "stadsdelen"))) == {6}


def test_whole_compound_query_matches_the_compound_only(hand_index):
    assert ids(search(hand_index, "parkeervergunning")) == [1]


def test_theme_labels_and_tags_teach_the_lexicon_compound_parts(handles):
    index = handles()
    index.rebuild(
        [
            doc(1, "kust", "Kwelderherstel langs de kust", "Herstel van de kust vraagt tijd; herstel lukt samen."),
            replace(doc(2, "wad", "Monitoring van het wad"), theme_labels=("Kwelder en wad",)),
            replace(doc(3, "natuur", "Natuurbeheer"), tags=("kwelder", "natuur")),
        ],
        SyncState(),
    )
    search(index, "")  # opens the index, which registers its lexicon
    # pilot 1 says "kwelder" only inside "kwelderherstel"; the lexicon knows the part from 2's label and 3's tag
    assert index.analyzer.expand("kwelderherstel")[1:] == ("kwelder", "herstel")
    assert set(ids(search(index, "kwelder"))) == {1, 2, 3}


# -- filters, facets ------------------------------------------------------------------------------------


def test_facet_counts_over_all_documents(hand_index):
    facets = search(hand_index, "").facets
    assert facets["theme"] == {
        "mobiliteit": 2, "dienstverlening": 2, "jeugd": 2, "data": 2,
        "zorg": 1, "omgevingswet": 1, "informatiebeveiliging": 1, "openbare-ruimte": 1, "duurzaamheid": 1,
    }  # fmt: skip
    assert facets["status"] == {"lopend": 2, "idee": 2, "afgerond": 1, "gestopt": 1, "partners_gezocht": 1}
    assert facets["province"] == {"Zuid-Holland": 2, "Utrecht": 2, "Fryslân": 1, "Noord-Holland": 1, "Noord-Brabant": 1}
    assert facets["organisation"] == {
        "GM0344": 2, "GM0518": 1, "GM0603": 1, "GM0599": 1, "GM0080": 1, "GM0074": 1, "GM0363": 1,
        "GM0479": 1, "GM0772": 1,
    }  # fmt: skip
    assert facets["scale_up"] == {"geen": 7}


def test_facets_are_sorted_most_frequent_first(hand_index):
    counts = list(search(hand_index, "").facets["theme"].values())
    assert counts == sorted(counts, reverse=True)


def test_facet_counts_follow_the_query(hand_index):
    result = search(hand_index, "parkeren")
    assert set(ids(result)) == {1, 5, 7}
    assert result.facets["theme"] == {
        "mobiliteit": 2,
        "dienstverlening": 1,
        "informatiebeveiliging": 1,
        "duurzaamheid": 1,
    }
    assert result.facets["status"] == {"afgerond": 1, "gestopt": 1, "idee": 1}
    assert result.facets["province"] == {"Zuid-Holland": 1, "Utrecht": 1, "Noord-Brabant": 1}


def test_facet_counts_follow_the_filters(hand_index):
    result = search(hand_index, "", filters={"status": ("lopend",)})
    assert set(ids(result)) == {2, 3}
    assert result.facets["theme"] == {"jeugd": 2, "data": 1, "zorg": 1}
    assert result.facets["status"] == {"lopend": 2}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"theme": ("jeugd",)}, {2, 3}),
        ({"theme": ("jeugd", "mobiliteit")}, {1, 2, 3, 7}),  # values of one facet: OR
        ({"status": ("idee", "gestopt")}, {4, 5, 7}),
        ({"province": ("Fryslân",)}, {3}),
        ({"province": ("Utrecht", "Noord-Holland")}, {4, 5, 6}),
        ({"organisation": ("GM0344",)}, {4, 5}),
        ({"organisation": ("GM0074",)}, {3}),  # a participant, not the owner
        ({"theme": ("mobiliteit",), "province": ("Noord-Brabant",)}, {7}),  # facets: AND
        ({"theme": ("jeugd",), "status": ("afgerond",)}, set()),
        ({"theme": ()}, set(range(1, 8))),  # no values: no filter
        ({"theme": ("",)}, set(range(1, 8))),
        ({"no-such-facet": ("x",)}, set(range(1, 8))),
    ],
    ids=[
        "theme", "theme-or", "status-or", "province-unicode", "province-or", "organisation", "participant",
        "and-across-facets", "nothing", "empty-values", "empty-string", "unknown-facet",
    ],
)  # fmt: skip
def test_filters(hand_index, filters, expected):
    result = search(hand_index, "", filters=filters)
    assert set(ids(result)) == expected
    assert result.total == len(expected)


def test_filter_with_a_query(hand_index):
    assert set(ids(search(hand_index, "parkeren", filters={"theme": ("mobiliteit",)}))) == {1, 7}


# -- sorting and pagination ---------------------------------------------------------------------------


def test_sort_by_changed(hand_index):
    result = search(hand_index, "parkeren", sort="changed")
    assert ids(result) == [7, 1, 5]
    assert all(hit.score == 0.0 for hit in result.hits)
    assert [h.updated_at for h in result.hits] == sorted((h.updated_at for h in result.hits), reverse=True)


def test_sort_by_relevance_puts_the_title_match_first(hand_index):
    result = search(hand_index, "parkeren")
    assert ids(result)[0] == 1
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_title_beats_summary_beats_body(handles):
    """BM25F's field boosts: the same word once, in texts of the same length, ranks title > summary > body."""
    filler = "Inwoners melden het via de website van de gemeente."
    docs = [
        doc(1, "in-de-tekst", "Meldingen openbare ruimte", filler, f"{filler} Ook over afvalbakken."),
        doc(2, "in-de-samenvatting", "Meldingen openbare ruimte", f"{filler} Ook over afvalbakken.", filler),
        doc(3, "in-de-titel", "Meldingen afvalbakken", filler, f"{filler} Ook over ruimte."),
    ]
    index = handles()
    index.rebuild(docs, SyncState())
    assert slugs(search(index, "afvalbakken")) == ["in-de-titel", "in-de-samenvatting", "in-de-tekst"]
    assert index.sync(lambda state: (docs, [], [1])) is True  # rewritten by Whoosh's own writer (a save)
    assert slugs(search(index, "afvalbakken")) == ["in-de-titel", "in-de-samenvatting", "in-de-tekst"]


def test_pagination(hand_index):
    pages = [search(hand_index, "", per_page=3, page=n) for n in (1, 2, 3)]
    assert [ids(p) for p in pages] == [BY_UPDATED[0:3], BY_UPDATED[3:6], BY_UPDATED[6:]]
    assert {p.total for p in pages} == {len(HAND)}
    assert [p.page for p in pages] == [1, 2, 3]


def test_pagination_by_relevance_is_stable(hand_index):
    query = "parkeren OR vergunning OR jeugd OR data"
    all_hits = ids(search(hand_index, query))
    assert len(all_hits) == 7
    pages = [search(hand_index, query, per_page=2, page=n) for n in (1, 2, 3, 4)]
    assert [hit for page in pages for hit in ids(page)] == all_hits
    assert ids(pages[1]) != ids(pages[0])
    assert {page.total for page in pages} == {7}
    assert ids(search(hand_index, query, per_page=2, page=5)) == []


@pytest.mark.parametrize("page", [4, 5, 1000, 10**9])
def test_page_out_of_range_is_empty(hand_index, page):
    result = search(hand_index, "", per_page=3, page=page)
    assert result.hits == []
    assert result.total == len(HAND)
    assert result.page == page


def test_page_below_one_is_the_first_page(hand_index):
    assert ids(search(hand_index, "", per_page=3, page=0)) == BY_UPDATED[:3]
    assert ids(search(hand_index, "", per_page=3, page=-5)) == BY_UPDATED[:3]


def test_per_page_is_clamped(hand_index):
    assert len(search(hand_index, "", per_page=0).hits) == 1
    assert len(search(hand_index, "", per_page=10_000).hits) == len(HAND)


# -- snippets -------------------------------------------------------------------------------------------


def hit_by_id(result, pilot_id):
    return next(hit for hit in result.hits if hit.id == pilot_id)


def test_snippet_marks_the_matched_word(hand_index):
    snippet = hit_by_id(search(hand_index, "parkeren"), 7).snippet
    assert "<mark>parkeren</mark>" in snippet


def test_snippet_marks_a_compound_match(hand_index):
    snippet = hit_by_id(search(hand_index, "vergunning"), 1).snippet
    assert "<mark>parkeervergunning</mark>" in snippet


def test_snippet_marks_inflections(hand_index):
    snippet = hit_by_id(search(hand_index, "stadsdelen"), 6).snippet
    assert "<mark>stadsdeel</mark>" in snippet


def test_snippet_prefers_the_body_when_the_summary_does_not_match(hand_index):
    snippet = hit_by_id(search(hand_index, "balie"), 1).snippet
    assert "<mark>balie</mark>" in snippet


def test_snippet_escapes_html_of_the_source_text(hand_index):
    snippet = hit_by_id(search(hand_index, "parkeren"), 5).snippet
    assert "<script" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&amp;" in snippet and "&quot;quotes&quot;" in snippet
    assert "<mark>parkeren</mark>" in snippet
    # the only tags left are our own marks
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_snippet_without_a_match_is_escaped_too(hand_index):
    snippet = hit_by_id(search(hand_index, ""), 5).snippet
    assert "<script" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>" not in snippet


def test_snippet_of_a_long_text_is_a_window_around_the_match(handles):
    filler = " ".join(["Wij schrijven hier een lange inleiding zonder het gezochte woord."] * 30)
    index = handles()
    long_doc = doc(1, "lang", "Lang verhaal", "", f"{filler} Hier staat de kademuur centraal. {filler}")
    index.rebuild([long_doc, doc(2, "kort", "Kort", "kademuur kademuur")], SyncState())
    snippet = hit_by_id(search(index, "kademuur"), 1).snippet
    assert "<mark>kademuur</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(re.sub(r"</?mark>", "", snippet)) < 300


# -- broadened search and suggestions -------------------------------------------------------------------


def test_broadened_when_no_document_has_all_words(hand_index):
    result = search(hand_index, "parkeren dakkapel")
    assert result.broadened
    assert set(ids(result)) == {1, 4, 5, 7}


def test_not_broadened_when_some_document_has_all_words(hand_index):
    result = search(hand_index, "parkeren binnenstad")
    assert not result.broadened
    assert set(ids(result)) == {1, 7}


def test_broadened_search_ranks_documents_with_more_words_higher(hand_index):
    result = search(hand_index, "parkeren binnenstad dakkapel")
    assert result.broadened
    assert set(ids(result)[:2]) == {1, 7}


def test_suggestion_for_a_misspelt_word(demo_index):
    result = search(demo_index, "parkeervergunnig")
    assert result.suggestion == "parkeervergunning"
    result = search(demo_index, "Digitaal parkeerlokt")
    assert result.suggestion == "Digitaal parkeerloket"


@pytest.mark.parametrize(
    ("typed", "nearest", "farther"),
    [("wijkteem", "wijkteam", "wijkteams"), ("mantelzorgr", "mantelzorger", "mantelzorgers")],
)
def test_suggestion_is_the_nearest_word(demo_index, typed, nearest, farther):
    # both are known words; one edit away beats two edits away, however frequent the farther word is
    assert search(demo_index, farther).total > 0
    assert search(demo_index, typed).suggestion == nearest


def test_suggestion_when_one_word_of_several_is_misspelt(demo_index):
    result = search(demo_index, "chatbott wmo")
    assert result.broadened and result.total >= 3
    assert result.suggestion == "chatbot wmo"


def test_a_suggestion_is_plain_text_and_never_for_a_wildcard(demo_index):
    # a probe with markup: the words are corrected, the brackets and slashes are not carried into the suggestion
    suggestion = search(demo_index, "<script>parkeervergunnig(1)</script>").suggestion
    assert suggestion is not None and not set(suggestion) & set("<>()/")
    assert "parkeervergunning" in suggestion
    assert search(demo_index, 'titel:"parkeervergunnig"').suggestion == 'titel:"parkeervergunning"'  # syntax stays
    assert search(demo_index, "parkeervergunnig*").suggestion is None
    assert search(demo_index, "parkeervergunni?").suggestion is None


def test_no_suggestion_for_known_words(demo_index):
    assert search(demo_index, "pleegzorg").suggestion is None
    assert search(demo_index, "parkeervergunning").suggestion is None


# -- autocomplete ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Park", "parkeervergunning-online"),
        ("parkeervergunning onl", "parkeervergunning-online"),
        ("bin", "autoluwe-binnenstad"),
        ("autoluwe bi", "autoluwe-binnenstad"),
        ("STADSD", "meldingen-per-stadsdeel"),
        ("frysl", "jeugdhulp-wachtlijsten"),
        ("Fryslân", "jeugdhulp-wachtlijsten"),
        ("fryslan", "jeugdhulp-wachtlijsten"),
    ],
)
def test_autocomplete_by_title_word_prefix(hand_index, typed, slug):
    assert slug in [s for s, _ in hand_index.autocomplete(typed)]


def test_autocomplete_returns_titles_and_respects_the_limit(hand_index):
    assert hand_index.autocomplete("Parkeer") == [("parkeervergunning-online", "Parkeervergunning online aanvragen")]
    assert len(hand_index.autocomplete("ve", limit=1)) == 1


@pytest.mark.parametrize("typed", ["", "p", "   ", "zzzz", "binnenstad zzz", "!!"])
def test_autocomplete_without_matches(hand_index, typed):
    assert hand_index.autocomplete(typed) == []


def test_autocomplete_does_not_match_inside_words(hand_index):
    assert hand_index.autocomplete("vergunning") == [("vergunningcheck-dakkapel", "Vergunningcheck voor dakkapellen")]
