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
