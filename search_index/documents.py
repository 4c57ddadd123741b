"""The plain data the engine receives: no ORM objects, no Flask, so it can be tested and benchmarked alone."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

# (pattern, replacement, triggers): a pattern is tried only when one of its triggers is in the text (None:
# always). A pattern cannot match without its trigger, so the text is the same, and most bodies have no
# fenced code, wiki links or HTML: a rebuild reads every body, this makes that pass three times faster.
# Every pattern is linear in the text: a saved body of "[" x 20,000 or "<" x 20,000 is read by every
# worker's similarity model inside a page request, so no bracket, tag or link may scan the rest of the text
# from each of its starts (the classes leave out their own opening character, and lengths are bounded).
_MARKUP = [  # [[wiki|label]] first: its brackets are not a link's
    (re.compile(r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]"), lambda m: m.group(2) or m.group(1), ("[[",)),
    (re.compile(r"!?\[([^\[\]\n]{0,500})\]\([^()\s]{0,1000}\)"), r"\1", ("](",)),  # [text](url), images
    (re.compile(r"<[^<>]{1,500}>"), " ", ("<",)),  # inline HTML
    (re.compile(r"https?://\S+"), " ", ("://",)),  # bare URLs are noise for search
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), "", None),  # headings, quotes, list markers
    (re.compile(r"[*_`~|]+"), " ", ("*", "_", "`", "~", "|")),  # emphasis, code, table pipes
]
_SPACES = re.compile(r"[ \t]{2,}|\t")  # runs of blanks to one space (single spaces stay: 6x faster)
FENCE = "```"


def _without_fences(text: str) -> str:
    """Fenced code blocks replaced by a space, in one pass: what ``re.sub("```.*?```", " ", text, flags=re.S)``
    gives, without its lazy scan from every fence (quadratic on a text of backticks)."""
    parts = text.split(FENCE)
    if len(parts) % 2:
        return " ".join(parts[0::2])
    return " ".join(parts[0:-1:2]) + FENCE + parts[-1]  # the last fence is never closed: it stays as typed


_WIKI_LINK = _MARKUP[0][0]


def strip_markup(markdown: str, wiki_links: bool = True) -> str:
    """The Markdown body without its markup (whitespace left as it falls). ``wiki_links=False`` drops the
    words of ``[[wiki links]]`` too: matchmaking reads them so, as naming another pilot does not make a page
    like it (search keeps them: the words are on the page)."""
    text = markdown or ""
    if FENCE in text:
        text = _without_fences(text)
    if not wiki_links and "[[" in text:
        text = _WIKI_LINK.sub(" ", text)
    for pattern, replacement, triggers in _MARKUP:
        if triggers is None or any(t in text for t in triggers):
            text = pattern.sub(replacement, text)
    return text


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown body, for indexing and snippets (not for display as HTML)."""
    text = strip_markup(markdown)
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


@dataclass(frozen=True)
class PilotDocument:
    """One pilot as the search and similarity engines see it."""

    id: int
    slug: str
    title: str
    summary: str = ""
    body: str = ""  # Markdown; the engine indexes its plain text
    themes: tuple[str, ...] = ()  # theme keys, e.g. "jeugd"
    theme_labels: tuple[str, ...] = ()  # "Jeugd", searchable words (and the similarity model's)
    theme_labels_en: tuple[str, ...] = ()  # "Youth": searchable only (the lexicon and similarity are Dutch)
    tags: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # codes of owner and participants, owner first
    organisation_names: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    status: str = "idee"
    scale_up: str = "geen"
    entry_type: str = "pilot"  # "pilot", "best_practice" or "challenge": a search facet and a similarity filter
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))
    # Plain text of the pilot's newest visible comments (bounded by the app): searchable, shown in snippets,
    # never read by the similarity model (matchmaking compares the pilots' own text).
    comments: str = ""
    # Plain text of the pilot's documents (titles and extracted text, bounded by the app): searchable, shown in
    # snippets as "in een document", never read by the similarity model.
    documents: str = ""

    @cached_property  # computed once per document (rebuild reads it twice)
    def plain_body(self) -> str:
        return markdown_to_text(self.body)


_WORD_RUN = re.compile(r"\S+")


def leading_words(text: str, limit: int) -> str:
    """``text`` up to the end of its ``limit``-th whitespace-separated word (all of it when shorter), as
    written (markup and line breaks kept); reads at most ``limit + 1`` words of a text of any length."""
    ends = [m.end() for m, _ in zip(_WORD_RUN.finditer(text), range(limit + 1), strict=False)]
    return text[: ends[limit - 1]] if len(ends) > limit else text
