"""Work bounded by input in the analyzer: an absurd "word" (the pentest's 54,400 characters of
"parkeervergunning" x 3,200) costs nothing and is dropped alike by search, similarity and snippets."""

from __future__ import annotations

import time

import pytest

from search_index import analysis, whoosh_analyzer
from search_index.analysis import (
    BASE_LEXICON,
    MAX_SPLIT,
    MAX_WORD,
    DutchAnalyzer,
    build_lexicon,
    stem,
    word_counts,
    word_spans,
    words,
)
from search_index.snippets import snippet
from search_index.whoosh_analyzer import DutchTokenizer, register_lexicon

ABSURD = "parkeervergunning" * 3_200  # 54,400 characters, one word
TEXT = f"Parkeren met een vergunning. {ABSURD} De parkeervergunning komt per e-mail."


@pytest.fixture(scope="module")
def analyzer() -> DutchAnalyzer:
    return DutchAnalyzer(build_lexicon([TEXT, "parkeren vergunning parkeren vergunning"], base=BASE_LEXICON))


def _fast(seconds: float = 1.0):
    """A regression guard (not a benchmark): the unbounded splitter took minutes on these inputs."""

    class Clock:
        def __enter__(self):
            self.start = time.perf_counter()
            return self

        def __exit__(self, *exc):
            assert time.perf_counter() - self.start < seconds

    return Clock()


@pytest.mark.timeout(30)
def test_an_absurd_word_is_dropped_quickly_and_the_rest_analysed(analyzer):
    with _fast():
        terms = analyzer.terms(TEXT)
    assert terms == analyzer.terms(TEXT.replace(ABSURD, ""))
    assert "parkeervergunn" in terms and "vergunn" in terms  # the real compound is still split


def test_words_longer_than_the_maximum_are_not_words():
    assert words("a" * MAX_WORD) == ["a" * MAX_WORD]
    assert words("a" * (MAX_WORD + 1)) == []
    assert words(f"kort {'x' * 500}-deel") == ["kort", "deel"]  # only the run itself is dropped
    assert [w for w, _s, _e in word_spans(f"{'x' * 500} kort")] == ["kort"]
    assert word_counts([TEXT]) == word_counts([TEXT.replace(ABSURD, "")])


@pytest.mark.timeout(30)
def test_one_split_does_bounded_work_even_with_a_hostile_lexicon():
    # A corpus can put any word in the lexicon; with every run of a's known, the old splitter tried
    # exponentially many cuts of a word that never splits (it ends in an unknown part).
    hostile = DutchAnalyzer({stem("a" * k) for k in range(4, MAX_SPLIT + 1)})
    with _fast(0.5):
        for n in range(8, MAX_SPLIT + 1):
            hostile.split("a" * (n - 1) + "x")
    assert hostile.split("a" * (MAX_SPLIT + 1)) is None  # too long to be a compound


@pytest.mark.timeout(30)
def test_search_tokenizer_and_snippets_drop_the_absurd_word_too(analyzer):
    register_lexicon("bounds", analyzer)
    tokenizer = DutchTokenizer("bounds")
    with _fast():
        indexed = [t.text for t in tokenizer(TEXT, mode="index")]
        positions, _extra = tokenizer.index_positions(TEXT)
        html = snippet(TEXT, {stem("vergunning")}, analyzer)
    assert indexed == analyzer.terms(TEXT)  # search and similarity see the same words
    assert set(positions) == set(indexed)
    assert "<mark>vergunning</mark>" in html
    assert f"<mark>{ABSURD[:100]}" not in html


def test_long_pieces_of_text_are_not_remembered(analyzer):
    # A memo keyed by whitespace-separated pieces would otherwise keep every pasted 54,400-character piece.
    piece = f"{ABSURD}-uniek"
    assert words(f"{piece} vergunning") == ["uniek", "vergunning"]
    tokenizer = DutchTokenizer("bounds-memo")
    register_lexicon("bounds-memo", analyzer)
    tokenizer.index_positions(f"{piece} vergunning")
    assert piece not in analysis._PIECE_WORDS
    assert piece not in whoosh_analyzer._PIECE_TERMS["bounds-memo"]
    assert "vergunning" in analysis._PIECE_WORDS and "vergunning" in whoosh_analyzer._PIECE_TERMS["bounds-memo"]
