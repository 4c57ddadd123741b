"""Highlighted snippets: the best window of a text around the query's words, HTML-escaped, <mark>ed.

Our own rather than Whoosh's highlighter so a search for *vergunning* marks *parkeervergunning*: words
are compared by stem and compound part with the same analyzer the index uses.
"""

from __future__ import annotations

from html import escape

from .analysis import DutchAnalyzer, word_spans

SOURCE_CHARS = 6_000  # a snippet comes from the start of a text; past this it costs more than it shows


def snippet(text: str, query_stems: set[str], analyzer: DutchAnalyzer, width: int = 220) -> str:
    """HTML of about ``width`` characters: the window with the most distinct matched words."""
    text = (text or "")[:SOURCE_CHARS]
    if not text:
        return ""
    hits = []
    if query_stems:
        for word, start, end in word_spans(text):
            matched = query_stems.intersection(analyzer.expand(word))
            if matched:
                hits.append((start, end, matched))
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
