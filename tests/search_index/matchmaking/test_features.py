"""The similarity model's features apart from the model: plain words of Markdown, bigram columns."""

from __future__ import annotations

import numpy as np
import pytest

from search_index.analysis import words
from search_index.documents import markdown_to_text, strip_markup
from search_index.matchmaking.features import _bigram_ranks

from ..corpora import demo_documents


def plain_words(markdown: str) -> list[str]:
    """How features.py reads a text's words: from the Markdown without its markup, skipping the whitespace
    clean-up of ``markdown_to_text`` (it does not change the words)."""
    return words(strip_markup(markdown))


@pytest.mark.parametrize(
    "markdown",
    [
        "## Kop\n\n1. eerste punt\n2. tweede _nadruk_ en **vet**\n\n- lijst\n> citaat",
        "Zie [de pagina](https://example.org/a_b) en ![beeld](x.png) of [[Wiki pagina|label]] en [[Andere]].",
        "Tekst met <b>html</b> en een url https://example.org/pad?x=1 en ```code blok``` erna.",
        "snake_case_woord en `code` | tabel | ~doorgestreept~",
    ],
)
def test_fast_plain_words_equal_the_markdown_plain_text(markdown):
    assert plain_words(markdown) == words(markdown_to_text(markdown))


def test_fast_plain_words_on_the_demo_bodies():
    for d in demo_documents():
        assert plain_words(d.body) == words(d.plain_body), d.slug


@pytest.mark.parametrize("n_codes", [0, 1, 5_000])
def test_bigram_columns_equal_numpys_unique_and_searchsorted(n_codes):
    rng = np.random.default_rng(n_codes)
    n_stems = 37
    codes = rng.integers(0, 12, n_codes) * n_stems + rng.integers(0, n_stems, n_codes)  # many repeats
    codes = codes.astype(np.int64)
    unique, ranks = _bigram_ranks(codes, n_stems)
    assert np.array_equal(unique, np.unique(codes))
    found = np.asarray(ranks[codes // n_stems, codes % n_stems]).ravel() - 1 if n_codes else codes
    assert np.array_equal(found, np.searchsorted(unique, codes))  # each pair's column
    assert ranks[12, 0] == 0  # a pair that never occurs has no column
