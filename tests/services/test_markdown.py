import pytest

from pilotstarter_web.markdown import extract_wiki_links, render

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="https://example.nl" onclick="alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<object data="x.swf"></object>',
    '<form action="https://evil.example"><input name=q></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[[<script>alert(1)</script>]]",
    '<p id="inhoud">clobber</p>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralised(payload):
    html = render(payload).html.lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "data:text",
        "<iframe",
        "<object",
        "<form",
        "style=",
        "<style",
        'id="inhoud"',
    ):
        assert bad not in html, (payload, html)


def test_links_get_safe_rel():
    html = render("[VNG](https://vng.nl)").html
    assert 'href="https://vng.nl"' in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html


def test_wiki_links_resolve_or_become_red_create_links():
    existing = {"Digitale parkeervergunning": "digitale-parkeervergunning"}
    html = render("Zie [[Digitale parkeervergunning]] en [[Nog niet bestaand|deze]].", lambda titles: existing).html
    assert '<a class="wikilink" href="/pilots/digitale-parkeervergunning"' in html
    assert ">Digitale parkeervergunning</a>" in html
    assert 'class="wikilink wikilink--missing"' in html
    assert "/pilots/new?title=Nog%20niet%20bestaand" in html
    assert ">deze</a>" in html


def test_table_of_contents_and_prefixed_heading_ids():
    rendered = render("# Doel\n\n## Aanpak\n\ntekst\n\n## Resultaten\n")
    assert [t["name"] for t in rendered.toc] == ["Doel"]
    assert [c["name"] for c in rendered.toc[0]["children"]] == ["Aanpak", "Resultaten"]
    assert 'id="sectie-aanpak"' in rendered.html
    assert "<h2" in rendered.html  # a Markdown "#" is a section, below the page's own h1


def test_extract_wiki_links_without_rendering():
    assert extract_wiki_links("[[Eén]] en [[Twee|label]] en [[Eén]]") == ["een", "twee"]


def test_tables_and_lists_render():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- punt\n").html
    assert "<table>" in html and "<td>1</td>" in html and "<li>punt</li>" in html
