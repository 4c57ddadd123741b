"""Bounded Markdown: input that made Python-Markdown super-linear renders fast and reads as typed, and
ordinary Markdown renders exactly as without the bounds (every demo pilot is compared)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import pilotstarter_web.markdown as markdown_module
from pilotstarter_web.markdown import MAX_WIKI_LINKS, extract_wiki_links, render
from pilotstarter_web.markdown_bounds import MAX_ELEMENTS, MAX_NESTING, defuse

MAX_BODY = 200_000
PILOTS = sorted((Path(__file__).resolve().parents[2] / "content" / "pilots").glob("*.md"))


def _repeat(unit: str) -> str:
    return (unit * (MAX_BODY // len(unit) + 1))[:MAX_BODY]


# Each took from one second to over a minute before the bounds (see markdown_bounds.py and the report).
ATTACKS = {
    "brackets": "[" * 20_000,
    "brackets-max": _repeat("["),
    "escaped-brackets": _repeat("\\["),
    "half-links": _repeat("[a]("),
    "half-images": _repeat("![]("),
    "wiki-link-openers": _repeat("[["),
    "emphasis-pairs": _repeat("*a"),
    "angle-tags": _repeat("<a "),
    "quote-depth": _repeat(">"),
    "quote-lines": "".join(">" * i + " a\n" for i in range(1, 600)),
    "ordered-depth": _repeat("1. "),
    "indented-list-depth": "".join("  " * i + "- x\n" for i in range(2_000)),
    "headings": _repeat("# a\n"),
    "setext": _repeat("a\n=\n"),
    "rules-and-text": _repeat("# a\nb\n- c\n---\n"),
    "definitions": _repeat("a\n: b\n"),
    "abbreviations": "".join(f"*[a{i}]: b\n" for i in range(20_000))[:MAX_BODY],
    "table": "|a|b|\n|-|-|\n" + _repeat("|x|y|\n")[:180_000],
    "fences": _repeat("```\n"),
    "unclosed-fences": _repeat("```x\n"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", ATTACKS)
def test_pathological_markdown_renders_fast(name):
    started = time.process_time()
    render(ATTACKS[name])
    assert (
        time.process_time() - started < 2.0
    )  # CPU seconds of this process, so a busy machine does not fail it: a regression guard (measured: 0.05-0.5 s)


def test_a_neutralised_paragraph_reads_as_typed():
    html = render("[" * 20_000 + " <b> & *niet vet*").html
    assert "[" * 20_000 in html
    assert "&lt;b&gt; &amp; *niet vet*" in html  # escaped, not markup
    assert "<b>" not in html and "<em>" not in html


def test_nesting_past_the_bound_is_shown_as_typed():
    html = render("> " * 50 + "diep").html
    assert html.count("<blockquote>") == MAX_NESTING
    assert "&gt; " * 5 in html and "diep" in html


def test_elements_past_the_bound_become_text():
    html = render("".join(f"- punt {i}\n" for i in range(MAX_ELEMENTS + 10))).html
    assert html.count("<li>") == MAX_ELEMENTS
    assert f"- punt {MAX_ELEMENTS + 9}" in html


def test_typed_private_use_characters_are_not_turned_into_markup():
    substitute = chr(0xE000 + ord("<"))  # what defuse uses for "<"
    assert substitute not in defuse(f"a {substitute} b")
    assert "&lt;" not in render(f"a {substitute}script b").html


@pytest.mark.parametrize("path", PILOTS, ids=lambda p: p.stem)
def test_ordinary_markdown_renders_as_without_the_bounds(path, monkeypatch):
    text = path.read_text("utf-8")
    bounded = render(text)
    monkeypatch.setattr(markdown_module, "defuse", lambda t: t)
    unbounded = render(text)
    assert (bounded.html, bounded.toc, bounded.links) == (unbounded.html, unbounded.toc, unbounded.links)


@pytest.mark.parametrize(
    "text",
    [
        "# Kop\n## Sub\ntekst\n---\nna de regel\n\nKop 2\n=====\nmeer",
        "> # In citaat\n> tekst\n> ---\n> meer",
        "- a\n- b\n    - c\n\n1. een\n2. twee",
        "Term\n: definitie\n\n*[HTML]: HyperText\nHTML is fijn",
        "```python\n[[[[ *x* <a\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        "* * *\n- - -\n___",
    ],
)
def test_edge_markdown_renders_as_without_the_bounds(text, monkeypatch):
    bounded = render(text)
    monkeypatch.setattr(markdown_module, "defuse", lambda t: t)
    assert bounded.html == render(text).html


def test_wiki_links_cost_one_lookup_for_all_distinct_targets_up_to_a_bound():
    looked_up: list[list[str]] = []

    def resolve(titles: list[str]) -> dict[str, str]:
        looked_up.append(titles)
        return {}

    text = "\n\n".join(f"[[Pilot {i}]] en [[Pilot 0]]" for i in range(MAX_WIKI_LINKS + 300))
    rendered = render(text, resolve)
    assert len(looked_up) == 1 and looked_up[0] == [f"Pilot {i}" for i in range(MAX_WIKI_LINKS)]
    assert rendered.links == extract_wiki_links(text) == [f"pilot-{i}" for i in range(MAX_WIKI_LINKS)]
    assert rendered.html.count("<a ") == 2 * MAX_WIKI_LINKS + 300  # "Pilot 0" stays a link throughout
    assert f"<span>Pilot {MAX_WIKI_LINKS + 1}</span>" in rendered.html
