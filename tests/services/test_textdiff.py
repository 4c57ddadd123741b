import re
import time

import pytest

from pilotstarter_web.services import textdiff
from pilotstarter_web.services.textdiff import diff_html, diff_stats


def test_word_level_diff_marks_only_changed_words():
    html = str(diff_html("De gemeente start een pilot.\n", "De gemeente start een grote pilot.\n"))
    assert "grote" in html.split("<ins")[1]
    assert "<del" not in html
    assert "De gemeente start een" in html


def test_removed_and_added_lines():
    html = str(diff_html("regel een\nregel twee\n", "regel een\nregel drie\nregel vier\n"))
    assert "twee" in html.split("<del")[1].split("</del>")[0]
    assert "vier" in html


def test_diff_escapes_html():
    html = str(diff_html("a\n", "<script>alert(1)</script>\n"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_diff_stats_counts_words():
    assert diff_stats("een twee drie", "een vier drie vijf") == (2, 1)


# -- bounded work: the diff of two large one-line revisions answers at once --------------------------------

BIG = " ".join(f"woord{i % 97} en zin{i % 89}." for i in range(12_000))  # one line, about 200,000 characters


def _quick(call, *args):
    started = time.process_time()
    found = call(*args)
    assert time.process_time() - started < 2.0  # a regression guard (measured: ~0.1 s), not a benchmark
    return found


@pytest.mark.timeout(60)
def test_large_one_line_revisions_diff_quickly_and_mark_only_the_change():
    cut = BIG.index(" ", 100_000)
    new = BIG[:cut] + " NIEUW" + BIG[cut:]
    html = str(_quick(diff_html, BIG, new))
    assert html.count("<ins") == 1 and "NIEUW" in html.split("<ins")[1] and "<del" not in html
    assert _quick(diff_stats, BIG, new) == (1, 0)


@pytest.mark.timeout(60)
def test_unrelated_large_revisions_fall_back_to_coarser_but_correct_diffs():
    old, new = "a b " * 50_000, "b a " * 50_000
    html = str(_quick(diff_html, old, new))
    shown_old = re.sub(r"<ins.*?</ins>|<[^>]+>|verwijderd: ", "", html)
    shown_new = re.sub(r"<del.*?</del>|<[^>]+>|toegevoegd: ", "", html)
    assert (shown_old, shown_new) == (old, new)  # every word of both sides, each in its place
    assert _quick(diff_stats, "x\n" * 100_000, "y\n" + "x\n" * 99_999) == (1, 1)


def test_a_changed_sentence_is_marked_when_words_would_cost_too_much(monkeypatch):
    monkeypatch.setattr(textdiff, "DIFF_BUDGET", 20)  # words of the changed middle cost 8 x 8, sentences 3 x 3
    html = str(diff_html("Een. Twee. Drie. Vier.", "Een. 2. Drie. 4."))
    marked = re.findall(r"<(del|ins)[^>]*><span[^>]*>[^<]*</span>([^<]*)</", html)
    assert marked == [("del", "Twee. "), ("ins", "2. "), ("del", "Vier"), ("ins", "4")]
    assert html.startswith("Een. ") and "</ins>Drie. <del" in html
