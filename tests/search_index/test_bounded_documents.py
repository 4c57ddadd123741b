"""A saved body of nothing but one markup character costs the engine as little as ordinary text.

Found by bench/load.py: a pilot saved as "[" x 20,000 made every worker's similarity model spend 30 s in
`strip_markup` (its link and wiki-link patterns scanned the rest of the text from every bracket) while
catching up inside a page request; gunicorn killed the workers and every page answered 500. The engine
reads saved text in the model's catch-up, the index sync and the rebuild, so each path is timed here.
"""

from __future__ import annotations

import dataclasses
import re
import time

import pytest

from search_index.documents import markdown_to_text, strip_markup
from search_index.fulltext import FulltextIndex, SearchRequest
from search_index.matchmaking import SimilarityModel
from search_index.sync_state import SyncState

from .corpora import demo_documents

SIZE = 200_000  # the longest body a pilot may have
ATTACKS = {
    "[": "[" * SIZE, "[[": "[[" * (SIZE // 2), "](": "](" * (SIZE // 2), "![](": "![](" * (SIZE // 4),
    "<": "<" * SIZE, "`": "`" * SIZE, "``` ": "``` " * (SIZE // 4), "[a](": "[a](" * (SIZE // 4),
    "digits": "1" * SIZE, "newlines": "\n" * SIZE, "# ": "# " * (SIZE // 2),
}  # fmt: skip
SECONDS = 1.0  # each measured at 0.01-0.04 s; the unbounded patterns took 30 s and more


def _reference(text: str) -> str:
    """What strip_markup gave before its patterns were made linear (fine on ordinary text)."""
    patterns = [
        (re.compile(r"```.*?```", re.S), " "),
        (re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]"), lambda m: m.group(2) or m.group(1)),
        (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
        (re.compile(r"<[^>]+>"), " "),
        (re.compile(r"https?://\S+"), " "),
        (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),
        (re.compile(r"[*_`~|]+"), " "),
    ]
    for pattern, replacement in patterns:
        text = pattern.sub(replacement, text)
    return text


def test_ordinary_markdown_reads_as_before():
    texts = [d.body for d in demo_documents()] + [
        "Zie [[Parkeren|de parkeerpilot]] en [de site](https://example.nl/a_b) of ![logo](/static/x.png).",
        "```\ncode [[niet]]\n```\nna ``` open", "<b>vet</b> en a < b > c", "1. een\n- twee\n# Kop\n> citaat",
    ]  # fmt: skip
    for text in texts:
        assert strip_markup(text) == _reference(text)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_markup_of_any_shape_is_read_in_linear_time(name):
    started = time.process_time()
    markdown_to_text(ATTACKS[name])
    assert time.process_time() - started < SECONDS


@pytest.fixture(scope="module")
def model() -> SimilarityModel:
    return SimilarityModel.fit(demo_documents())


@pytest.mark.parametrize("name", ["[", "[[", "<", "`", "]("])
def test_a_pilot_saved_as_markup_is_matched_and_indexed_quickly(name, model, tmp_path):
    doc = dataclasses.replace(demo_documents()[0], id=9_999, slug="aanval", body=ATTACKS[name])
    started = time.process_time()
    model.upsert(doc)
    model.similar(doc.id, limit=5)
    assert time.process_time() - started < SECONDS
    index = FulltextIndex(tmp_path / "index")
    index.rebuild(list(demo_documents()[:5]), SyncState())
    started = time.process_time()
    assert index.sync(lambda state: ([doc], [], [state.last_id + 1])) is True
    assert index.search(SearchRequest(doc.title.split()[0])).total >= 1
    assert time.process_time() - started < 5 * SECONDS
    index.close()
