"""Markdown to safe HTML: Python-Markdown, [[wiki links]], table of contents, then nh3.

Python-Markdown passes raw HTML and `javascript:` links through untouched, so its output is always
sanitized with nh3 before anyone sees it. Two privacy rules on top: images from other hosts are not loaded
(they would tell that host the visitor's IP address and the page they read) but shown as a link, and only
heading ids made by our table of contents survive (an author's ``id="login-form"`` could clobber the page's).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 -- the name Python-Markdown's own docs use
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from html import unescape as html_unescape
from urllib.parse import quote

import markdown
import nh3
from flask_babel import gettext as _
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .markdown_bounds import defuse, restore, restore_plain
from .services.slugs import slugify

MAX_WIKI_LINKS = 500  # distinct [[link]] targets per text, all looked up at once (pages link a few dozen)
WIKI_LINK_RE = r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}
ALLOWED_CLASSES = {"a": {"wikilink", "wikilink--missing"}}
HEADING_ID_PREFIX = "sectie-"


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # [{"id", "name", "level", "children"}]
    links: list[str] = field(default_factory=list)  # wiki link target keys, in order of appearance


# All [[link]] targets of a text -> slugs of the pilots that exist. One call per render, so a page with
# hundreds of links costs one batch lookup (services.pilot_queries.resolve_wiki_titles), not one per link.
WikiResolver = Callable[[Sequence[str]], Mapping[str, str]]
_TARGET_MARK = "data-wiki-target"  # set on the link while parsing, replaced by href/class once all are resolved


class _WikiLinkProcessor(InlineProcessor):
    """Makes each [[target|label]] an <a> marked with its target; `_WikiLinkResolver` fills in where it goes."""

    def __init__(self, pattern: str, targets: dict[str, None], found: list[str]) -> None:
        super().__init__(pattern)
        self.targets = targets  # distinct targets in order of appearance, at most MAX_WIKI_LINKS
        self.found = found

    def handleMatch(self, m: re.Match, data: str) -> tuple[etree.Element, int, int]:  # noqa: N802 (API)
        target = m.group(1).strip()
        label = (m.group(2) or target).strip()
        if target not in self.targets:
            if len(self.targets) >= MAX_WIKI_LINKS:  # bounded lookups: the rest reads as text
                span = etree.Element("span")
                span.text = label
                return span, m.start(0), m.end(0)
            self.targets[target] = None
            key = slugify(target)
            if key and key not in self.found:
                self.found.append(key)
        a = etree.Element("a")
        a.text = label
        a.set(_TARGET_MARK, target)
        return a, m.start(0), m.end(0)


class _WikiLinkResolver(Treeprocessor):
    """After the inline pass: look every target up in one call, then point each link at its pilot or at
    "new page" (a red link)."""

    def __init__(self, md: markdown.Markdown, targets: dict[str, None], resolve: WikiResolver) -> None:
        super().__init__(md)
        self.targets = targets
        self.resolve = resolve

    def run(self, root: etree.Element) -> None:
        links = [el for el in root.iter("a") if _TARGET_MARK in el.attrib]
        slugs = self.resolve(list(self.targets)) if links else {}
        for a in links:
            target = a.attrib.pop(_TARGET_MARK)
            slug = slugs.get(target)
            if slug:
                a.set("href", f"/pilots/{slug}")
                a.set("class", "wikilink")
            else:
                a.set("href", f"/pilots/new?title={quote(target)}")
                a.set("class", "wikilink wikilink--missing")
                a.set("title", _("Pagina bestaat nog niet: %(title)s", title=target))


def _heading_slug(value: str, separator: str) -> str:
    return HEADING_ID_PREFIX + (slugify(value) or "kop")


def extract_wiki_links(text: str) -> list[str]:
    """Target keys of the [[links]] in Markdown text, without rendering it: those of the first
    :data:`MAX_WIKI_LINKS` distinct targets, as :func:`render` links them."""
    targets: set[str] = set()
    keys: dict[str, None] = {}
    for m in re.finditer(WIKI_LINK_RE, text):
        target = m.group(1).strip()
        if target not in targets:
            if len(targets) >= MAX_WIKI_LINKS:
                break
            targets.add(target)
            if key := slugify(target):
                keys.setdefault(key)
    return list(keys)


class _HeadingLevels(Treeprocessor):
    """The page title is the only h1: a text's highest heading becomes h2, and no level is skipped
    downwards from there, whether the author started at "#" or at "##"."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        if not headings:
            return
        shift = 2 - min(int(el.tag[1]) for el in headings)
        for el in headings:
            el.tag = f"h{min(6, int(el.tag[1]) + shift)}"


def render(text: str, resolve: WikiResolver | None = None) -> Rendered:
    """Render user Markdown to sanitized HTML with a table of contents and the wiki links it makes."""
    found: list[str] = []
    targets: dict[str, None] = {}
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc", "def_list", "abbr"],
        extension_configs={"toc": {"baselevel": 1, "slugify": _heading_slug, "toc_depth": "2-4"}},
    )
    md.inlinePatterns.register(_WikiLinkProcessor(WIKI_LINK_RE, targets, found), "wikilink", 175)
    md.treeprocessors.register(_WikiLinkResolver(md, targets, resolve or (lambda _t: {})), "wikilink_targets", 15)
    md.treeprocessors.register(_HeadingLevels(md), "heading_levels", 30)  # before "toc" (5) reads the levels
    raw = md.convert(defuse(text or ""))  # bounded work: pathological parts made plain (markdown_bounds)
    toc = _restored_toc(getattr(md, "toc_tokens", []))
    return Rendered(html=restore(sanitize(raw)), toc=toc, links=found)


def _restored_toc(tokens: list[dict]) -> list[dict]:
    """The table of contents with any character :func:`defuse` neutralised shown as typed."""
    for token in tokens:
        token["name"] = restore_plain(token.get("name", ""))
        _restored_toc(token.get("children", []))
    return tokens


def sanitize(html: str) -> str:
    """Allow-list sanitizing: no scripts, event handlers, styles, or javascript:/data: URLs; only our own
    heading ids; images from other hosts as links."""
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
        attribute_filter=_only_our_ids,
    )
    return _IMG.sub(_external_image_as_link, clean) if "<img" in clean else clean


def _only_our_ids(tag: str, attribute: str, value: str) -> str | None:
    """Heading ids from our table of contents (``sectie-...``) only."""
    return None if attribute == "id" and not value.startswith(HEADING_ID_PREFIX) else value


# nh3's output quotes every attribute value and escapes the quote, so a value never holds a '"'.
_IMG = re.compile(r'<img((?:\s+[\w-]+="[^"]*")*)\s*/?>')
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL


def _is_own_image(src: str) -> bool:
    """A path on our own site ("/static/..."): not another host, also as a browser reads "//x" or "/\\x"."""
    src = _URL_IGNORED.sub("", html_unescape(src)).strip()
    return src.startswith("/") and src[1:2] not in ("/", "\\", "")


def _external_image_as_link(m: re.Match) -> str:
    """An image from another host as a link to it, its alt text kept: "Afbeelding: kaart (externe link)"."""
    attributes = dict(_ATTRIBUTE.findall(m.group(1)))
    src = attributes.get("src", "")  # as nh3 escaped it, fit for an attribute again
    if _is_own_image(src):
        return m.group()
    alt = html_unescape(attributes.get("alt", "")).strip()
    label = escape(_("Afbeelding: %(alt)s (externe link)", alt=alt) if alt else _("Afbeelding (externe link)"))
    if not src:
        return f"<span>{label}</span>"
    return f'<a href="{src}" rel="noopener noreferrer nofollow ugc">{label}</a>'
