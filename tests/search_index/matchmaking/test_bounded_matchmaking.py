"""Bounded work in matchmaking: a draft is read up to DRAFT_WORDS words per field and a query's candidate
stage reads at most MAX_QUERY_TERMS postings, so no text makes one similarity call costly."""

from __future__ import annotations

import random
import time

import pytest

from search_index.documents import leading_words
from search_index.matchmaking import SimilarityModel, neighbours
from search_index.matchmaking.model import DRAFT_WORDS

from ..corpora import demo_documents


@pytest.fixture(scope="module")
def demo() -> tuple[SimilarityModel, list]:
    docs = demo_documents()
    return SimilarityModel.fit(docs), docs


def test_leading_words_keeps_the_text_as_written():
    assert leading_words("een  twee\ndrie vier", 3) == "een  twee\ndrie"
    assert leading_words("een twee ", 2) == "een twee "  # not longer: unchanged
    assert leading_words("", 5) == ""
    assert leading_words("x " * 1_000_000, 2) == "x x"


def test_a_draft_is_judged_by_its_first_words(demo):
    model, docs = demo
    first, other = docs[0], docs[1]
    opening = " ".join((first.body.split() * DRAFT_WORDS)[:DRAFT_WORDS])
    # What follows the first DRAFT_WORDS words (ten times as much of another pilot) costs nothing and
    # does not count: the draft still matches the pilot it opens with.
    draft = opening + "\n\n" + " ".join(other.body.split() * 300)[:150_000]
    read, short = model.draft_vector("", "", draft), model.draft_vector("", "", opening)
    assert read.indices.tolist() == short.indices.tolist() and read.data.tolist() == short.data.tolist()
    assert model.similar_to_text("", "", draft, limit=1)[0].id == first.id


@pytest.mark.timeout(60)
def test_a_huge_varied_draft_is_answered_quickly(demo):
    model, docs = demo
    vocabulary = sorted({w for d in docs for w in d.body.split()})
    rng = random.Random(7)
    body = " ".join(rng.choice(vocabulary) for _ in range(40_000))[:200_000]
    started = time.process_time()
    model.similar_to_text("Titel " * 30, "Samenvatting " * 80, body)
    assert time.process_time() - started < 2.0  # a regression guard (measured: ~0.05 s), not a benchmark


class _CountingColumns:
    """Stands in for the postings matrix and remembers how many columns each query read."""

    def __init__(self, postings) -> None:
        self.postings, self.read = postings, []

    def __getitem__(self, key):
        self.read.append(len(key[1]))
        return self.postings[key]


def test_the_candidate_stage_reads_only_the_heaviest_terms(demo, monkeypatch):
    model, docs = demo
    expected = [m.id for m in model.similar(docs[0].id, limit=3)]
    monkeypatch.setattr(neighbours, "MAX_QUERY_TERMS", 40)
    counting = _CountingColumns(model._postings)
    monkeypatch.setattr(model, "_postings", counting)
    found = [m.id for m in model.similar(docs[0].id, limit=3)]
    assert counting.read and max(counting.read) <= 40
    assert found == expected  # the heaviest terms find the same neighbours
