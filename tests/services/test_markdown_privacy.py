"""Markdown's privacy rules: no image from another host is loaded (it would learn the visitor's IP address
and, via Referer, the page), and no author-chosen id survives (it could clobber the page's own ids)."""

from __future__ import annotations

import re

import pytest

from pilotstarter_web.markdown import render


@pytest.mark.parametrize(
    "text",
    [
        "![Kaart van de wijk](https://tiles.example.org/kaart.png)",
        "![Kaart van de wijk](http://tiles.example.org/kaart.png)",
        '<img src="https://tracker.example/p.gif" alt="Kaart van de wijk">',
        '<img src="//tracker.example/p.gif" alt="Kaart van de wijk">',
        '<img src="/\\tracker.example/p.gif" alt="Kaart van de wijk">',
        '<img src="/&#9;/tracker.example/p.gif" alt="Kaart van de wijk">',
    ],
)
def test_images_from_other_hosts_become_links_with_their_alt_text(text):
    html = render(text).html
    assert "<img" not in html
    link = re.search(r'<a href="([^"]+)" rel="noopener noreferrer nofollow ugc">([^<]+)</a>', html)
    assert link and re.search(r"tracker\.example|tiles\.example\.org", link.group(1))
    assert link.group(2) == "Afbeelding: Kaart van de wijk (externe link)"


def test_an_external_image_without_alt_text_is_still_named():
    assert ">Afbeelding (externe link)</a>" in render("![](https://x.example/a.png)").html


def test_alt_text_stays_escaped_in_the_link():
    html = render('<img src="https://x.example/a.png" alt="&lt;script&gt; &quot;x&quot;">').html
    assert "<script" not in html and "&lt;script&gt; &quot;x&quot; (externe link)" in html


def test_images_on_our_own_site_are_shown():
    assert '<img alt="Logo" src="/static/logo.png">' in render("![Logo](/static/logo.png)").html


def test_only_heading_ids_of_our_table_of_contents_survive():
    html = render('<h2 id="login-form">Nep</h2>\n\n## Echte kop\n').html
    assert 'id="login-form"' not in html and "<h2>Nep</h2>" in html
    assert '<h2 id="sectie-echte-kop">Echte kop</h2>' in html
