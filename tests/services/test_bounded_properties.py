"""Property-based tests of bounded work (hypothesis): Markdown and diffs of any text, including long runs of
one character, deep nesting and random Unicode, finish within a deadline, and diffs stay correct."""

from __future__ import annotations

import functools
import re
import time
from html import unescape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotstarter_web.markdown import render
from pilotstarter_web.services.textdiff import diff_html, diff_stats

MAX_BODY = 200_000
MARKDOWN_CHARS = "[]()!*_`<>&\\#-=+|:~.1 \n\tab"
BOUNDED = settings(
    max_examples=25,
    deadline=None,  # wall-clock deadlines fail on a busy machine: each example's CPU time is checked instead
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def within_cpu_seconds(limit: float):
    """Fail an example whose own work took more than ``limit`` seconds of this process's CPU time (measured well
    under 0.5 s; the unbounded code took 30 s and more), however busy the machine is."""

    def decorate(test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            start = time.process_time()
            test(*args, **kwargs)
            used = time.process_time() - start
            assert used < limit, f"took {used:.2f} s of CPU time"

        return run

    return decorate


def _repeated(unit: str, times: int) -> str:
    return (unit * times)[:MAX_BODY]


# Adversarial shapes: a run of one character, a short unit repeated (to the maximum body), nesting by
# prefix, random Unicode, and small texts of Markdown's own characters.
runs = st.builds(_repeated, st.sampled_from(list("[]()!*_`<>&\\#-=|:~\n")), st.integers(1, MAX_BODY))
units = st.builds(_repeated, st.text(MARKDOWN_CHARS, min_size=1, max_size=8), st.integers(1, 60_000))
nesting = st.builds(
    lambda prefix, depth, tail: prefix * depth + tail,
    st.sampled_from(["> ", "- ", "1. ", "  ", "    - ", "* ", "[", "![](", "[[", "**", "<a "]),
    st.integers(1, 20_000),
    st.text(MARKDOWN_CHARS, max_size=20),
)
texts = st.one_of(runs, units, nesting, st.text(max_size=2_000), st.text(MARKDOWN_CHARS, max_size=2_000))


@BOUNDED
@given(texts)
@within_cpu_seconds(5)
def test_any_markdown_renders_within_the_deadline(text):
    render(text)


@BOUNDED
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=300))
@within_cpu_seconds(5)
def test_text_without_markdown_characters_reads_as_written(text):
    plain = re.sub(r"[^\w ]", "", text).strip()
    if plain and not plain[0].isdigit():
        assert unescape(re.sub(r"<[^>]+>", "", render(plain).html)).split() == plain.split()


edits = st.one_of(
    st.tuples(texts, texts),
    st.builds(lambda t, at, word: (t, t[:at] + word + t[at:]), texts, st.integers(0, MAX_BODY), st.text(max_size=20)),
)


def _sides(html: str) -> tuple[str, str]:
    """The old and the new text as a diff shows them (removed, resp. added, parts left out)."""
    old = re.sub(r"<ins .*?</ins>|<span [^>]*>[^<]*</span>", "", html, flags=re.S)
    new = re.sub(r"<del .*?</del>|<span [^>]*>[^<]*</span>", "", html, flags=re.S)
    return unescape(re.sub(r"</?(?:ins|del)[^>]*>", "", old)), unescape(re.sub(r"</?(?:ins|del)[^>]*>", "", new))


@BOUNDED
@given(edits)
@within_cpu_seconds(5)
def test_any_diff_is_quick_and_shows_both_texts_exactly(pair):
    old, new = pair
    assert _sides(str(diff_html(old, new))) == (old.replace("\r\n", "\n"), new.replace("\r\n", "\n"))
    added, removed = diff_stats(old, new)
    assert 0 <= added <= len(new.split()) and 0 <= removed <= len(old.split())
