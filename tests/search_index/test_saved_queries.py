"""search_index.saved_queries on tiny documents, no app: exact matching agrees with Whoosh's own search on
the same index, and the pre-filter never drops a match."""

from __future__ import annotations

import pytest

from search_index.documents import PilotDocument
from search_index.saved_queries import ANY, MAX_ANCHORS, OneDocument, SavedQuery, _query, anchors

DOCS = [
    PilotDocument(
        id=1, slug="jeugd", title="Jeugdzorg dichter bij huis", summary="Wijkteams voor jongeren",
        body="We helpen gezinnen met schulden. Een vast aanspreekpunt in de wijk.", themes=("jeugd",),
        theme_labels=("Jeugd",), organisations=("GM0344",), organisation_names=("Utrecht",), provinces=("Utrecht",),
    ),
    PilotDocument(
        id=2, slug="parkeren", title="Parkeervergunning digitaal", summary="Bewoners vragen hun vergunning online aan",
        body="Parkeren in de binnenstad met een digitale vergunning.", themes=("mobiliteit",),
        theme_labels=("Mobiliteit en parkeren",), organisations=("GM0599",), organisation_names=("Rotterdam",),
        provinces=("Zuid-Holland",), status="lopend",
    ),
]  # fmt: skip
QUERIES = [
    SavedQuery("jeugdzorg"),
    SavedQuery("zorg jeugd"),
    SavedQuery("jongere"),
    SavedQuery("parkeren"),
    SavedQuery("parkeervergunningen"),
    SavedQuery("vergunning"),
    SavedQuery("jeugd OR parkeren"),
    SavedQuery("jeugd NOT schulden"),
    SavedQuery("NOT jeugd"),
    SavedQuery("parkeer*"),
    SavedQuery("vergun?ing"),
    SavedQuery('"vast aanspreekpunt"'),
    SavedQuery('"aanspreekpunt vast"'),
    SavedQuery("titel:parkeervergunning"),
    SavedQuery("thema:Jeugd"),
    SavedQuery("provincie:zuid-holland"),
    SavedQuery("organisatie:GM0599 digitaal"),
    SavedQuery("", {"theme": ("jeugd",)}),
    SavedQuery("", {"status": ("lopend",), "theme": ("mobiliteit", "wonen")}),
    SavedQuery("digitaal", {"province": ("Utrecht",)}),
    SavedQuery("((jeugd AND"),  # malformed: searched as plain words, as on the search page
    SavedQuery("de het een"),  # stop words only: nothing to search for
]


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.slug)
@pytest.mark.parametrize("saved", QUERIES, ids=lambda q: f"{q.text}|{dict(q.filters)}")
def test_exact_matching_agrees_with_whoosh_and_the_prefilter_keeps_every_match(doc, saved):
    with OneDocument(doc) as one:
        whoosh_says = not one._searcher.search(_query(saved, one._values), limit=1).is_empty()
        assert one.matches(saved) == whoosh_says
        if whoosh_says:
            assert anchors(saved) & one.keys(), "the pre-filter would have skipped a match"


def test_expected_answers_on_dutch_words():
    jeugd, parkeren = (OneDocument(d) for d in DOCS)
    assert jeugd.matches(SavedQuery("zorg jeugd"))  # parts of the compound in the text
    assert jeugd.matches(SavedQuery("jongere"))  # stemmed like "jongeren"
    assert parkeren.matches(SavedQuery("parkeervergunningen"))
    assert not jeugd.matches(SavedQuery("parkeren"))
    assert not jeugd.matches(SavedQuery("jeugd NOT schulden"))
    assert not parkeren.matches(SavedQuery("digitaal", {"province": ("Utrecht",)}))


def test_anchors_are_few_and_selective():
    assert anchors(SavedQuery("jeugdzorg wijkteam")) <= {"content:jeugdzorg", "content:jeugd", "content:wijkteam",
                                                        "content:wijk"}  # fmt: skip
    assert anchors(SavedQuery("", {"theme": ("jeugd",)})) == {"theme:jeugd"}
    assert anchors(SavedQuery("NOT jeugd")) == {ANY}
    assert anchors(SavedQuery("parkeer*")) == {ANY}
    many = " OR ".join(f"woord{i}" for i in range(MAX_ANCHORS + 1))
    assert anchors(SavedQuery(many)) == {ANY}
    assert anchors(SavedQuery("")) == {ANY}


def test_work_is_bounded_by_the_query_bound():
    huge = SavedQuery("jeugd " * 10_000)  # the parser reads at most queries.MAX_QUERY_CHARS
    with OneDocument(DOCS[0]) as one:
        assert one.matches(huge)
