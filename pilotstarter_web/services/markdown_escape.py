"""User text made literal for a Markdown document we write (the agenda export).

A title such as `<img src=x onerror=alert(1)>`, `[klik](javascript:…)` or a rationale starting with `#`
must read as that text in any Markdown renderer, not as HTML, a link or a heading. Only escapes that
CommonMark and Python-Markdown both understand are used: a backslash before Markdown punctuation, and
HTML entities for `<`, `>` and `&` (Python-Markdown has no backslash escape for those).
"""

from __future__ import annotations

import re

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_INLINE = re.compile(r"[\\`*_\[\]&<>]")
_LINE_START = re.compile(r"^(?:[#+\-]|\d+(?=[.)]))")  # a heading or list item at the start


def escape_markdown(text: str) -> str:
    """One line of literal text: white space (newlines too) collapsed, markup characters escaped."""
    flat = " ".join(text.split())
    escaped = _INLINE.sub(lambda m: _ENTITIES.get(m.group(), "\\" + m.group()), flat)
    match = _LINE_START.match(escaped)
    if match is None:
        return escaped
    if match.group().isdigit():  # "1. " or "1) " would start a numbered list: escape the dot or parenthesis
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped
