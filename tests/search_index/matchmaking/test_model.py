"""The similarity model: similar pilots, drafts, partners, changes between fits (storage: test_storage.py; the
duplicate likelihood and what is listed: test_duplicate_likelihood.py).

Hand-made Dutch pilots for the exact behaviour, and the demo pilots of content/pilots, which hold pairs of the
same initiative written up by different municipalities in their own words.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from search_index.analysis import words
from search_index.documents import PilotDocument
from search_index.matchmaking import Match, PartnerMatch, SimilarityModel

from ..corpora import demo_documents


def doc(id: int, title: str, body: str, summary: str = "", orgs: tuple[str, ...] = (), themes: tuple[str, ...] = ()):
    return PilotDocument(
        id=id, slug=f"p{id}", title=title, summary=summary, body=body, organisations=orgs, theme_labels=themes
    )


HAND = [
    doc(1, "Parkeervergunning online aanvragen",
        "Bewoners vragen hun parkeervergunning volledig online aan. Het kenteken wijzigen kan direct, zonder "
        "papieren bewijsstukken. Bezoekers parkeren met digitale bezoekersuren via een app.",
        orgs=("GM0518", "GM0603")),
    doc(2, "Digitaal parkeerloket voor bewoners",
        "Een digitaal parkeerloket waar bewoners hun parkeervergunningen regelen en bezoekers digitaal parkeren; "
        "kraskaarten en papieren vergunningen verdwijnen. Kenteken wijzigen gaat online.",
        orgs=("GM0687",)),
    doc(3, "Chatbot beantwoordt vragen over de Wmo",
        "Een chatbot op de website beantwoordt veelgestelde vragen van inwoners over de Wmo, zoals huishoudelijke "
        "hulp en vervoer, en verwijst zo nodig door naar een consulent.",
        orgs=("GM0153",)),
    doc(4, "Digitale assistent voor zorgvragen",
        "Een digitale assistent helpt inwoners met vragen over huishoudelijke hulp, vervoer en andere Wmo-"
        "ondersteuning en beantwoordt veelgestelde vragen dag en nacht.",
        orgs=("GM0983", "GM0984")),
    doc(5, "Slimme ondergrondse afvalcontainers",
        "Sensoren in ondergrondse containers melden hoe vol ze zijn, zodat de vuilniswagen alleen volle "
        "containers leegt en de route korter wordt.",
        orgs=("GM0363",)),
    doc(6, "Rioolsensoren voor gericht onderhoud",
        "Sensoren in het riool meten waterstanden; het onderhoud wordt gepland waar het riool het nodig heeft.",
        orgs=("GM0344",)),
    doc(7, "Schulden eerder in beeld",
        "Signalen over betalingsachterstanden bij huur, energie en zorgverzekering komen samen, zodat de gemeente "
        "inwoners met schulden eerder hulp aanbiedt.",
        orgs=("GM0599",)),
    doc(8, "Vroegsignalering van betalingsachterstanden",
        "Woningcorporaties, energieleveranciers en zorgverzekeraars melden betalingsachterstanden; de gemeente "
        "biedt vroeg hulp bij schulden aan.",
        orgs=("GM0363", "GM0599")),
]  # fmt: skip
ORGS = {d.id: list(d.organisations) for d in HAND}


@pytest.fixture(scope="module")
def hand() -> SimilarityModel:
    return SimilarityModel.fit(HAND)


@pytest.fixture(scope="module")
def demo() -> tuple[SimilarityModel, dict[str, int], dict[int, str]]:
    docs = demo_documents()
    return SimilarityModel.fit(docs), {d.slug: d.id for d in docs}, {d.id: d.slug for d in docs}


def fresh() -> SimilarityModel:
    """A model to change (the fixtures are shared)."""
    return SimilarityModel.fit(HAND)


# -- similar pilots -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [(1, 2), (2, 1), (3, 4), (4, 3), (7, 8), (8, 7)])
def test_the_same_initiative_comes_first(hand, a, b):
    assert hand.similar(a, limit=3)[0].id == b


def test_never_the_pilot_itself_and_best_first(hand):
    for d in HAND:
        found = hand.similar(d.id, limit=10)
        assert d.id not in [m.id for m in found]
        assert len(found) == len({m.id for m in found})
        # possible duplicates first, most likely first; then the related pilots, closest first
        flagged = [m for m in found if m.duplicate]
        assert found[: len(flagged)] == flagged
        assert [round(m.likelihood, 2) for m in flagged] == sorted(
            (round(m.likelihood, 2) for m in flagged), reverse=True
        )
        related = [m.score for m in found[len(flagged) :]]
        assert related == sorted(related, reverse=True)
        assert all(0 < m.score <= 1 and round(m.score, 4) == m.score for m in found)


def test_limit_and_exclude(hand):
    assert len(hand.similar(1, limit=2)) == 2
    assert hand.similar(1, limit=0) == []
    assert 2 not in [m.id for m in hand.similar(1, exclude=[2])]


def test_unknown_pilot_is_a_key_error(hand):
    with pytest.raises(KeyError):
        hand.similar(999)


def test_reasons_are_readable_words_shared_by_both(hand):
    match = hand.similar(1, limit=1)[0]
    assert match.reasons, match
    text = " ".join(words(" ".join((HAND[0].title, HAND[0].body, HAND[1].title, HAND[1].body))))
    for reason in match.reasons:
        for word in reason.split():
            assert word in text, (reason, match.reasons)  # a word of the texts, not a stem such as "parker"
    assert any("parkeervergunning" in r or "kenteken" in r for r in match.reasons), match.reasons


def test_scores_are_symmetric(hand):
    assert hand.score(1, 2) == pytest.approx(hand.score(2, 1))
    assert hand.similar(1, limit=1)[0].score == pytest.approx(round(hand.score(1, 2), 4))


def test_term_major_scoring_equals_brute_force(demo):
    model, _, _ = demo
    for doc_id in model.ids:
        fast = [(i, round(s, 4)) for i, s, _ in model.ranked_parts(doc_id, 20)]
        brute = [(i, round(s, 4)) for i, s in model.brute_force(model._vector_of(doc_id), 20, [doc_id])]
        assert fast == brute
        assert model.similar(doc_id, 5) == model.similar_brute_force(model._vector_of(doc_id), 5, [doc_id])


# -- the demo pilots: one initiative, different municipalities and words -------------------------------------
DEMO_PAIRS = [
    ("big-data-pleegzorg-matching", "datagedreven-plaatsing-pleegkinderen"),
    ("datagedreven-plaatsing-pleegkinderen", "big-data-pleegzorg-matching"),
    ("melding-van-overlijden-zonder-loketbezoek", "digitale-overlijdensaangifte-uitvaartondernemer"),
    ("uitvaartportaal-zeeuwse-gemeenten", "digitale-overlijdensaangifte-uitvaartondernemer"),
    ("chatbot-wmo-vragen", "digitale-assistent-zorg-en-ondersteuning"),
    ("parkeervergunning-online-aanvragen", "digitaal-parkeerloket-binnenstad"),
    ("digitaal-parkeerloket-binnenstad", "parkeervergunning-online-aanvragen"),
    ("schulden-eerder-in-beeld", "vroegsignalering-betalingsachterstanden"),
    ("vroegsignalering-betalingsachterstanden", "schulden-eerder-in-beeld"),
]


@pytest.mark.parametrize(("slug", "expected"), DEMO_PAIRS)
def test_demo_duplicates_find_each_other_first(demo, slug, expected):
    model, ids, slugs = demo
    found = [slugs[m.id] for m in model.similar(ids[slug], limit=5)]
    assert found[0] == expected, found


def test_demo_overlijden_pilots_are_each_others_top_two(demo):
    model, ids, slugs = demo
    group = {
        "digitale-overlijdensaangifte-uitvaartondernemer",
        "melding-van-overlijden-zonder-loketbezoek",
        "uitvaartportaal-zeeuwse-gemeenten",
    }
    for slug in group:
        assert {slugs[m.id] for m in model.similar(ids[slug], limit=2)} == group - {slug}


def test_demo_digitale_assistent_finds_the_wmo_chatbot(demo):
    model, ids, slugs = demo
    found = [slugs[m.id] for m in model.similar(ids["digitale-assistent-zorg-en-ondersteuning"], limit=5)]
    assert "chatbot-wmo-vragen" in found[:2], found


# -- drafts -------------------------------------------------------------------------------------------------
def test_draft_finds_the_existing_pilot(demo):
    model, _, slugs = demo
    found = model.similar_to_text(
        "Parkeren regelen via een online loket",
        "Bewoners vragen hun parkeervergunning digitaal aan en geven bezoekers digitale gastenkaarten.",
        "Geen kraskaarten meer: het kenteken van de bezoeker wordt online aangemeld.",
    )
    assert {slugs[m.id] for m in found[:2]} == {
        "parkeervergunning-online-aanvragen",
        "digitaal-parkeerloket-binnenstad",
    }
    assert all(m.reasons for m in found[:2])


def test_draft_with_only_new_words_matches_nothing(hand):
    assert hand.similar_to_text("Xylofoonqwerty", "", "zzyzx blorft") == []
    assert hand.similar_to_text("", "", "") == []


def test_draft_exclude(hand):
    first = hand.similar_to_text("Parkeervergunning online", "", "bewoners kenteken bezoekers")[0].id
    assert first not in [
        m.id for m in hand.similar_to_text("Parkeervergunning online", "", "bewoners", exclude=[first])
    ]


def test_draft_of_a_known_text_scores_like_the_pilot(hand):
    d = HAND[2]
    found = hand.similar_to_text(d.title, d.summary, d.body, limit=1)
    assert found[0].id == d.id and found[0].score == pytest.approx(1.0, abs=1e-4)


# -- changes between fits -----------------------------------------------------------------------------------
def test_upsert_makes_a_new_pilot_matchable_at_once():
    model = fresh()
    new = doc(20, "Afvalcontainers met vulgraadsensoren",
              "Ondergrondse containers met sensoren: de vuilniswagen rijdt alleen naar volle containers.", orgs=("GM0014",))  # fmt: skip
    model.upsert(new)
    assert model.changed_since_fit == 1
    assert 20 in model and len(model) == len(HAND) + 1
    assert model.similar(5, limit=1)[0].id == 20
    assert model.similar(20, limit=1)[0].id == 5
    assert model.similar_to_text("ondergrondse containers sensoren", "", "")[0].id in {5, 20}


def test_upsert_of_an_edited_pilot_replaces_its_old_text():
    model = fresh()
    before = model.score(1, 2)
    edited = dataclasses.replace(HAND[1], title="Rioolsensoren meten waterstanden",
                                 body="Sensoren in het riool meten waterstanden voor gericht onderhoud van het riool.")  # fmt: skip
    model.upsert(edited)
    assert model.similar(1, limit=1)[0].id != 2
    assert model.score(1, 2) < before / 4
    assert model.similar(6, limit=1)[0].id == 2
    assert [m.id for m in model.similar(2, limit=10)].count(2) == 0
    assert sum(1 for i in model.ids if i == 2) == 1


def test_removed_pilots_never_appear():
    model = fresh()
    model.remove(2)
    model.remove(12345)  # unknown: nothing happens
    assert model.changed_since_fit == 1
    assert 2 not in model
    for d in HAND:
        if d.id != 2:
            assert 2 not in [m.id for m in model.similar(d.id, limit=20)]
            assert all(2 not in p.pilots for p in model.partners(d.id, ORGS, limit=20))
    assert 2 not in [m.id for m in model.similar_to_text("Digitaal parkeerloket", "", HAND[1].body, limit=20)]
    with pytest.raises(KeyError):
        model.similar(2)


def test_removing_an_upserted_pilot():
    model = fresh()
    model.upsert(doc(30, "Parkeervergunning aanvragen", "Bewoners vragen een parkeervergunning online aan."))
    model.remove(30)
    assert 30 not in [m.id for m in model.similar(1, limit=20)]
    assert model.changed_since_fit == 2


# -- partners -----------------------------------------------------------------------------------------------
def test_partners_are_organisations_with_similar_pilots(hand):
    found = hand.partners(7, ORGS)
    assert found and all(isinstance(p, PartnerMatch) for p in found)
    assert found[0].code == "GM0363" and found[0].pilots[0] == 8  # GM0599 runs pilot 7 itself
    assert "GM0599" not in [p.code for p in found]
    assert found[0].reasons  # shared words (a weak match on character n-grams alone may have none)
    for p in found:
        assert 0 < p.score <= 1
        assert all(p.code in ORGS[pilot] for pilot in p.pilots)
    scores = [p.score for p in found]
    assert scores == sorted(scores, reverse=True)


def test_partners_leave_out_the_given_organisations(hand):
    codes = [p.code for p in hand.partners(1, ORGS, exclude_orgs=["GM0687"], limit=10)]
    assert "GM0687" not in codes and "GM0518" not in codes and "GM0603" not in codes
    assert codes, "others remain"


def test_an_organisation_with_several_matching_pilots_ranks_higher():
    model = fresh()
    orgs = {**ORGS, 1: ["A"], 2: ["B"]}
    model.upsert(doc(40, "Parkeervergunning digitaal", "Bewoners regelen hun parkeervergunning en kenteken online.", orgs=("B",)))  # fmt: skip
    orgs[40] = ["B"]
    found = model.partners(1, orgs, limit=3)
    assert found[0].code == "B" and set(found[0].pilots) == {2, 40}


def test_partners_limit(hand):
    assert len(hand.partners(1, ORGS, limit=2)) == 2
    assert hand.partners(1, ORGS, limit=0) == []


# -- edges --------------------------------------------------------------------------------------------------
def test_an_empty_model_answers_nothing_and_takes_pilots():
    model = SimilarityModel.fit([])
    assert model.similar_to_text("Parkeervergunning", "", "online") == []
    model.upsert(HAND[0])  # no vocabulary yet: stored, but nothing to match on until a refit
    assert model.similar(1) == []


def test_a_given_lexicon_is_used():
    lexicon = frozenset({"parkeer", "vergunn"})
    model = SimilarityModel.fit(HAND, lexicon=lexicon)
    assert model.lexicon == lexicon


def test_match_shape(hand):
    match = hand.similar(3, limit=1)[0]
    assert isinstance(match, Match)
    assert isinstance(match.id, int) and isinstance(match.score, float) and isinstance(match.duplicate, bool)
    assert all(isinstance(r, str) for r in match.reasons)


def test_vectors_are_unit_length_float32(hand):
    m = hand._matrix
    assert m.dtype == np.float32
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_a_title_that_repeats_the_opening_counts_as_no_title():
    body = "Met deze applicatie melden inwoners een kapotte lantaarnpaal met een foto en hun locatie."
    opening = "Met deze applicatie melden inwoners een kapotte"
    others = [doc(k, t, b) for k, (t, b) in enumerate([(d.title, d.body) for d in HAND], start=10)]
    titled = SimilarityModel.fit([doc(1, opening, body), *others])
    untitled = SimilarityModel.fit([doc(1, "", body), *others])
    assert np.allclose(titled._vector_of(1).data, untitled._vector_of(1).data)
    named = SimilarityModel.fit([doc(1, "Lantaarnpaal melden", body), *others])
    assert not np.array_equal(named._vector_of(1).indices, untitled._vector_of(1).indices)


def test_tfidf_is_scikit_learns_sublinear_transform(demo):
    from search_index.matchmaking.features import Batch
    from search_index.matchmaking.sparse_rows import as_csr, tfidf

    model = demo[0]
    counts = model._space.counts(Batch.of(demo_documents(), model.settings.char_lead_words))
    for idf, c in ((model._words_idf, counts[0]), (model._chars_idf, counts[2]), (model._chars_idf, counts[3])):
        ours, theirs = tfidf(idf, c), as_csr(idf.transform(as_csr(c.copy()), copy=True))
        assert np.array_equal(ours.indices, theirs.indices) and np.array_equal(ours.data, theirs.data)


def test_pilots_without_titles_are_fitted():
    """No title has a bigram: the title channel's bigram counts are empty, not an error."""
    model = SimilarityModel.fit([dataclasses.replace(d, title="") for d in HAND])
    assert model.similar(1)[0].id == 2
