"""The duplicate likelihood: flags and tiers, what is listed at all, and the demo pilots' near-duplicates."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from search_index.matchmaking import DUPLICATES, SimilarityModel, Tier

from ..corpora import demo_documents
from .test_model import HAND, fresh


@pytest.fixture(scope="module")
def demo() -> tuple[SimilarityModel, dict[str, int], dict[int, str]]:
    docs = demo_documents()
    return SimilarityModel.fit(docs), {d.slug: d.id for d in docs}, {d.id: d.slug for d in docs}


FLAGGED_DEMO_PAIRS = [  # near-duplicates in other words that the likelihood flags (see the README for the rest)
    ("big-data-pleegzorg-matching", "datagedreven-plaatsing-pleegkinderen"),
    ("melding-van-overlijden-zonder-loketbezoek", "digitale-overlijdensaangifte-uitvaartondernemer"),
    ("uitvaartportaal-zeeuwse-gemeenten", "digitale-overlijdensaangifte-uitvaartondernemer"),
]


@pytest.mark.parametrize(("slug", "expected"), FLAGGED_DEMO_PAIRS)
def test_demo_near_duplicates_are_flagged_both_ways(demo, slug, expected):
    model, ids, slugs = demo
    for a, b in ((slug, expected), (expected, slug)):
        match = next(m for m in model.similar(ids[a], limit=5) if slugs[m.id] == b)
        assert match.duplicate and match.tier in (Tier.POSSIBLE, Tier.LIKELY), match


def test_a_reworded_overlijdensaangifte_is_flagged_while_writing(demo):
    """The issue's case: the existing pilot described in one's own words, no sentence copied."""
    model, _, slugs = demo
    found = model.similar_to_text(
        "Nabestaanden regelen de aangifte van een sterfgeval online",
        "Begrafenisondernemers geven een overlijden digitaal door aan de gemeente, zonder dat iemand naar het "
        "stadhuis hoeft.",
        "Wanneer iemand overlijdt moet de aangifte binnen een paar dagen bij de gemeente gedaan worden. Nu gaat de "
        "uitvaartverzorger daarvoor naar het loket. Met een online formulier kan dat vanaf kantoor.",
    )
    assert slugs[found[0].id] == "digitale-overlijdensaangifte-uitvaartondernemer" and found[0].duplicate


def test_demo_pages_list_no_padding(demo):
    """Every listed pilot has a reason and reaches the minimum; most pages list fewer than five."""
    model, _, _ = demo
    lists = [model.similar(i, limit=5) for i in model.ids]
    assert all(m.reasons and m.score >= DUPLICATES.min_score for found in lists for m in found)
    assert sum(len(found) for found in lists) < 3 * len(lists)


def test_the_flag_and_the_tier_follow_the_likelihood():
    model = fresh()
    found = [*model.similar(1, limit=10), *model.similar_to_text(HAND[0].title, "", HAND[0].body, limit=10)]
    assert found
    for m in found:
        assert 0.0 <= m.likelihood <= 1.0
        assert m.tier == DUPLICATES.tier(m.score, m.likelihood, bool(m.reasons))
        assert m.duplicate == (m.likelihood >= DUPLICATES.possible)
        assert m.score >= DUPLICATES.min_score and m.reasons  # nothing listed below the minimum, or unexplained


def test_a_copied_pilot_is_a_likely_duplicate_and_an_unrelated_one_is_not_listed():
    model = SimilarityModel.fit([*HAND, dataclasses.replace(HAND[0], id=50, slug="p50", organisations=("GM0014",))])
    match = model.similar(1, limit=1)[0]
    assert match.id == 50 and match.duplicate and match.tier == Tier.LIKELY
    assert not any(m.duplicate for m in model.similar(5, limit=5))
    # a draft about something else entirely gets no padding, however many are asked for
    assert (
        model.similar_to_text(
            "Kunstgras op sportvelden", "", "Rubberkorrels op voetbalvelden vervangen door kurk.", limit=20
        )
        == []
    )


def test_agreeing_on_names_and_openings_weighs_more_than_sharing_topic_words():
    """The likelihood model's parts (words, chars, title chars): a copy is likely, a pilot on the same subject
    with other names is related, and likelihood grows with character agreement."""
    copy = DUPLICATES.likelihood(np.array([[0.571, 0.286, 0.143]]))[0]
    topical = DUPLICATES.likelihood(np.array([[0.30, 0.03, 0.0]]))[0]
    assert DUPLICATES.tier(1.0, copy) == Tier.LIKELY and DUPLICATES.tier(0.33, topical) == Tier.RELATED
    assert DUPLICATES.tier(1.0, copy, explained=False) is None  # no shared word to show: not listed
    assert DUPLICATES.tier(DUPLICATES.min_score / 2, copy) is None
    rising = DUPLICATES.likelihood(np.array([[0.2, c, 0.0] for c in (0.0, 0.05, 0.1, 0.15, 0.2)]))
    assert np.all(np.diff(rising) > 0)
    # more agreement in any channel never lowers it (an exact copy under a new title stays a likely duplicate)
    for part in range(3):
        more = np.tile([0.2, 0.1, 0.05], (5, 1))
        more[:, part] += np.linspace(0, 0.4, 5)
        assert np.all(np.diff(DUPLICATES.likelihood(more)) >= 0)
