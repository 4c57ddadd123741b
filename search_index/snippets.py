"""Highlighted snippets: the best window of a text around the query's words, HTML-escaped, <mark>ed.

Our own rather than Whoosh's highlighter so a search for *vergunning* marks *parkeervergunning*: words
are compared by stem and compound part with the same analyzer the index uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from .analysis import _WORD, DutchAnalyzer, fold, words

SOURCE_CHARS = 6_000  # a snippet comes from the start of a text; past this it costs more than it shows


class WordMatches:
    """Which query stems each word matches, remembered over the snippets of one query (a page of hits
    shares most of its words). ``folded``: the words given are already folded, else as written."""

    def __init__(self, query_stems: set[str], analyzer: DutchAnalyzer, folded: bool = False) -> None:
        self.stems, self.analyzer, self.folded = query_stems, analyzer, folded
        self._known: set[str] = set()
        self._matches: dict[str, frozenset[str]] = {}

    def of(self, found: set[str]) -> dict[str, frozenset[str]]:
        """{word: the query stems it matches} for the words in ``found`` that match any."""
        for word in found - self._known:
            matched = self.stems.intersection(self.analyzer.expand(word if self.folded else fold(word)))
            if matched:
                self._matches[word] = frozenset(matched)
        self._known |= found
        return {w: self._matches[w] for w in found.intersection(self._matches)}


def snippet(
    text: str,
    query_stems: set[str],
    analyzer: DutchAnalyzer,
    width: int = 220,
    memo: WordMatches | None = None,
) -> str:
    """HTML of about ``width`` characters: the window with the most distinct matched words.

    ``memo`` (one per query, shared by its snippets) keeps what each written word matches."""
    text = (text or "")[:SOURCE_CHARS]
    if not text:
        return ""
    hits = []
    if query_stems:
        # The words are looked at once each (not once per occurrence); then one regular expression finds
        # where the matching ones occur: whole words only, as the tokenizer (``\w+``) cuts them.
        if memo is None or memo.stems is not query_stems or memo.folded:
            memo = WordMatches(query_stems, analyzer)
        matching = memo.of(set(_WORD.findall(text)))
        if matching:
            alternatives = "|".join(re.escape(w) for w in sorted(matching, key=len, reverse=True))
            for found in re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", text):
                hits.append((found.start(), found.end(), set(matching[found.group()])))
    if not hits:
        return escape(_clip(text, 0, width))
    best_start, best_score = hits[0][0], -1
    for i, (start, _end, _stems) in enumerate(hits):
        covered: set[str] = set()
        count = 0
        for _other_start, other_end, stems in hits[i:]:
            if other_end - start > width:
                break
            covered |= stems
            count += 1
        score = len(covered) * 10 + count
        if score > best_score:
            best_start, best_score = start, score
    window_start = max(0, best_start - width // 4)
    window_start = text.rfind(" ", 0, window_start) + 1 if window_start else 0
    window_end = min(len(text), window_start + width)
    out, pos = [], window_start
    for start, end, _stems in hits:
        if start < window_start or end > window_end:
            continue
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:window_end]))
    prefix = "… " if window_start > 0 else ""
    suffix = " …" if window_end < len(text) else ""
    return prefix + "".join(out).strip() + suffix


def _clip(text: str, start: int, width: int) -> str:
    end = start + width
    if end >= len(text):
        return text[start:]
    cut = text.rfind(" ", start, end)
    return text[start : cut if cut > start else end] + " …"


def best_text(hit, stems: set[str], analyzer: DutchAnalyzer, seen: WordMatches | None = None) -> str:
    """The summary if it holds a matched word, else the body, else the discussion (a snippet must show why it
    matched)."""
    summary, body = hit.get("summary", ""), hit.get("body", "")
    if not stems:
        return summary or body
    seen = WordMatches(stems, analyzer, folded=True) if seen is None else seen
    return _matched(hit, seen) or summary or body


def _matched(hit, seen: WordMatches) -> str | None:
    for text in (hit.get("summary", ""), hit.get("body", ""), hit.get("comments", "")):
        if seen.of(set(words(text[:4000]))):
            return text
    return None


@dataclass(frozen=True)
class Shown:
    text: str  # what the snippet is made from
    in_documents: bool  # the passage is from the entry's documents


def best_source(hit, stems: set[str], analyzer: DutchAnalyzer, seen: WordMatches | None = None) -> Shown:
    """:func:`best_text`, or else the passage of the entry's documents that holds the first matched word
    (documents can be long: the snippet starts at the line of that word, not at the top)."""
    if not stems:
        return Shown(best_text(hit, stems, analyzer), False)
    seen = WordMatches(stems, analyzer, folded=True) if seen is None else seen
    if (text := _matched(hit, seen)) is not None:
        return Shown(text, False)
    documents = hit.get("documents", "")
    for found in _WORD.finditer(documents):  # stored text is bounded (schema.SNIPPET_SOURCE_CHARS)
        if seen.of({fold(found.group())}):
            start = documents.rfind("\n", 0, found.start()) + 1
            if found.start() - start > SOURCE_CHARS // 2:
                start = documents.rfind(" ", 0, found.start() - 60) + 1
            return Shown(documents[start:], True)
    return Shown(hit.get("summary", "") or hit.get("body", ""), False)
