"""A structural Atom 1.0 check (RFC 4287), for tests: what a validator would reject, without a network.

The RELAX NG schema of RFC 4287 is in compact syntax, which lxml cannot read, so this checks its rules
directly: the required elements of feed and entry, their cardinality, absolute IRIs, RFC 3339 dates,
unique entry ids, text constructs' types, and that every entry has an author (its own or the feed's).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TEXT_TYPES = {"text", "html", "xhtml"}


def _one(parent: ET.Element, name: str, where: str) -> ET.Element:
    found = parent.findall(ATOM + name)
    assert len(found) == 1, f"{where} must have exactly one atom:{name}, has {len(found)}"
    return found[0]


def _at_most_one(parent: ET.Element, name: str, where: str) -> None:
    assert len(parent.findall(ATOM + name)) <= 1, f"{where} has more than one atom:{name}"


def _absolute_iri(value: str | None, where: str) -> None:
    parts = urlsplit(value or "")
    assert parts.scheme and (parts.netloc or parts.scheme in ("tag", "urn")), f"{where}: not an absolute IRI: {value!r}"


def _date(element: ET.Element, where: str) -> None:
    assert RFC3339.match(element.text or ""), f"{where}: not an RFC 3339 date: {element.text!r}"


def _text(element: ET.Element, where: str) -> None:
    assert element.get("type", "text") in TEXT_TYPES, f"{where}: unknown text type"
    assert element.get("type", "text") != "text" or len(element) == 0, f"{where}: markup in a text construct"


def _person(element: ET.Element, where: str) -> None:
    assert (_one(element, "name", where).text or "").strip(), f"{where}: a person needs a name"


def _links(parent: ET.Element, where: str) -> list[ET.Element]:
    links = parent.findall(ATOM + "link")
    for link in links:
        _absolute_iri(link.get("href"), f"{where} link")
    pairs = [(link.get("rel", "alternate"), link.get("type"), link.get("hreflang")) for link in links]
    alternates = [p for p in pairs if p[0] == "alternate"]
    assert len(alternates) == len(set(alternates)), f"{where}: two alternate links with the same type and hreflang"
    return links


def check_atom(body: bytes) -> ET.Element:
    """Parse the document and assert it is an Atom 1.0 feed by RFC 4287's rules; returns the root."""
    root = ET.fromstring(body)
    assert root.tag == ATOM + "feed", f"root is {root.tag}"
    assert root.get(XML_LANG), "the feed names its language (xml:lang)"
    _absolute_iri(_one(root, "id", "feed").text, "feed id")
    _text(_one(root, "title", "feed"), "feed title")
    _date(_one(root, "updated", "feed"), "feed updated")
    for name in ("subtitle", "generator", "icon", "logo", "rights"):
        _at_most_one(root, name, "feed")
    links = _links(root, "feed")
    assert any(link.get("rel") == "self" for link in links), "the feed should link to itself (rel=self)"
    feed_authors = root.findall(ATOM + "author")
    for author in feed_authors:
        _person(author, "feed author")
    ids = []
    for n, entry in enumerate(root.findall(ATOM + "entry")):
        where = f"entry {n}"
        ids.append(_one(entry, "id", where).text)
        _absolute_iri(ids[-1], f"{where} id")
        _text(_one(entry, "title", where), f"{where} title")
        _date(_one(entry, "updated", where), f"{where} updated")
        for name in ("summary", "content", "published", "rights", "source"):
            _at_most_one(entry, name, where)
        for summary in entry.findall(ATOM + "summary"):
            _text(summary, f"{where} summary")
        entry_links = _links(entry, where)
        assert entry.find(ATOM + "content") is not None or any(
            link.get("rel", "alternate") == "alternate" for link in entry_links
        ), f"{where}: without content it needs an alternate link"
        authors = entry.findall(ATOM + "author")
        for author in authors:
            _person(author, f"{where} author")
        assert authors or feed_authors, f"{where}: no author and the feed names none"
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return root
