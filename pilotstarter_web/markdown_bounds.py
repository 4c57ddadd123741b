"""Bounded work for Markdown: pathological input is made plain before Python-Markdown sees it.

Python-Markdown is super-linear on some input that no author writes but anyone can send to the preview
or save in a pilot (shown to every visitor): a link scan runs from every ``[`` to its partner or to the end
of the paragraph; every inline match copies the paragraph's text again; a block that holds many headings or
rules is re-split once per line; nesting (``>``, list markers) recurses per level; abbreviation and
definition lists grow a regular expression or the recursion per entry. ``"[" * 20_000`` took over a minute.

So before rendering, :func:`defuse` estimates each paragraph's cost in linear time and turns the Markdown
characters of a paragraph that costs too much into look-alike private-use characters (:data:`NEUTRAL`):
Python-Markdown sees plain text there, and :func:`restore` puts the characters back (HTML-escaped) into
its output, so the reader sees exactly what was typed, unformatted. It also bounds nesting (markers past
:data:`MAX_NESTING`, indentation past :data:`MAX_INDENT` columns), gives each heading and rule its own
block, and caps abbreviations and definitions. Ordinary text is left untouched: it renders as before.
Fenced code is left alone (Python-Markdown stashes it whole), except that an opening fence without a
closing one is neutralised (its search would otherwise scan to the end from every such line).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html import escape

# Characters that drive Python-Markdown's inline patterns, plus block markers the bounds neutralise.
INLINE = "[]()*_`<&\\!~"
MARKERS = ">-+*.):#=|"
_PUA = 0xE000  # the private-use substitute of a character c is chr(_PUA + ord(c)); all of them are ASCII
NEUTRAL = str.maketrans({c: chr(_PUA + ord(c)) for c in INLINE + MARKERS})
NEUTRAL_INLINE = str.maketrans({c: chr(_PUA + ord(c)) for c in INLINE})  # a costly paragraph keeps its lines
_RESTORE = str.maketrans({chr(_PUA + ord(c)): escape(c, quote=False) for c in INLINE + MARKERS})
_RESTORE_PLAIN = str.maketrans({chr(_PUA + ord(c)): c for c in INLINE + MARKERS})
_DROP_SUBSTITUTES = str.maketrans(dict.fromkeys(_RESTORE, "\ufffd"))  # typed by someone: not ours to restore

MAX_NESTING = 8  # blockquote and list markers on one line; deeper ones are shown as typed
MAX_INDENT = 4 * MAX_NESTING  # columns of indentation kept (a list level takes four)
MAX_ABBREVIATIONS = 50  # "*[HTML]: ..." definitions per text (each one widens the regex every text passes)
MAX_DEFINITIONS = 50  # ": definition" lines per paragraph (Python-Markdown recurses once per entry)
# Block elements per text (headings, rules, list items, table rows, definitions): each costs Python-Markdown
# tens of microseconds; pages have hundreds. Past this, their markers are shown as typed.
MAX_ELEMENTS = 2_000
MAX_FENCES = 500  # fenced code blocks per text: the fence search copies the whole text once per block
# Cost, in Python-level steps, of a paragraph's inline work: each bracket scanned to its partner (or the
# end) plus one step per COPY_BYTES of text copied per Markdown character. A paragraph over BLOCK_BUDGET,
# and then the costliest paragraphs while the text is over TEXT_BUDGET, are neutralised. Calibrated so the
# worst input of 200,000 characters renders in a few tenths of a second; real pages use a few thousand.
COPY_BYTES = 64
BLOCK_BUDGET = 400_000
TEXT_BUDGET = 1_000_000

_FENCE_OPEN = re.compile(
    r"""(?P<fence>~{3,}|`{3,})[ ]*((\{[^\n]*\})|(\.?[\w#.+-]*[ ]*)?(hl_lines=(?P<q>"|').*?(?P=q)[ ]*)?)$"""
)  # Python-Markdown's fenced_code opening line
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*$")
_LEVEL = r"[ ]{0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?"  # one blockquote or list marker
_CONTAINERS = re.compile(f"(?:{_LEVEL})+")
_ALLOWED_LEVELS = re.compile(f"(?:{_LEVEL}){{{MAX_NESTING}}}")
_THEMATIC = re.compile(r"[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# A line that Python-Markdown splits its paragraph at: ATX heading, rule, setext underline ("> " prefixes).
_SPLITS_BLOCK = re.compile(
    r"(?P<quote>(?:[ ]{0,3}>[ ]?)*)[ ]{0,3}"
    r"(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+$|-{2,}[ \t]*$|(?P<rule>[-*_])(?:[ \t]*(?P=rule)){2,}[ \t]*$)"
)  # "- " alone is an empty list item, not an underline
_ABBREVIATION = re.compile(r"\*\[")
_ELEMENT_MARKER = re.compile(
    r"(?:[ ]{0,3}>[ ]?)*[ \t]*(?:#{1,6}(?=[ \t]|$)|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])|:(?=[ ]))"
)
_DEFINITION = re.compile(r"[ ]{0,3}:[ ]")
_LEADING = re.compile(r"[ \t]+")
_BRACKETS = re.compile(r"[\[\]()]")


def defuse(text: str) -> str:
    """``text`` with its pathological parts made plain (see the module docstring); ordinary text as is."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP_SUBSTITUTES).split("\n")
    fenced = _fenced(lines)
    out: list[str] = []
    block: list[str] = []
    blocks: list[tuple[int, int]] = []  # (first, end) line numbers in ``out`` of each paragraph
    abbreviations = elements = 0

    def close() -> None:
        if block:
            blocks.append((len(out), len(out) + len(block)))
            out.extend(_bounded_definitions(block))
            block.clear()

    for i, line in enumerate(lines):
        if fenced[i] or not line.strip():
            close()
            out.append(line)
            continue
        line = _bounded_nesting(line)
        if _ABBREVIATION.match(line):
            abbreviations += 1
            if abbreviations > MAX_ABBREVIATIONS:
                line = line[0].translate(NEUTRAL) + line[1:]
        split = _SPLITS_BLOCK.match(line)
        marker = None if split else _ELEMENT_MARKER.match(line)
        if split or marker or "|" in line:
            elements += 1
            if elements == MAX_ELEMENTS + 1:  # a table ends here: the rest is a paragraph
                close()
                out.append("")
            if elements > MAX_ELEMENTS:
                line = _as_typed(line, split, marker)
                split = None
        block.append(line)
        if split:  # its own block: Python-Markdown would re-split the rest of the paragraph once per line
            close()
            out.append(split.group("quote").rstrip())
    close()
    _neutralise_costly(out, blocks)
    return "\n".join(out)


def restore(html: str) -> str:
    """Python-Markdown's output with the neutralised characters back, HTML-escaped as text."""
    return html if html.isascii() else html.translate(_RESTORE)


def restore_plain(text: str) -> str:
    """A plain string (a heading's name in the table of contents) with the neutralised characters back."""
    return text.translate(_RESTORE_PLAIN)


def _fenced(lines: list[str]) -> list[bool]:
    """Which lines Python-Markdown's fenced_code will stash (the fences included). An opening fence without
    its closing line (and any past :data:`MAX_FENCES`) is neutralised in ``lines``: the fence search would
    scan to the end from each one (copy the whole text for each)."""
    closers: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if _FENCE_CLOSE.match(line):
            closers.setdefault(line.rstrip(" "), []).append(i)
    fenced = [False] * len(lines)
    i = fences = 0
    while i < len(lines):
        opening = _FENCE_OPEN.match(lines[i]) if lines[i][:1] in "`~" else None
        if opening:
            end = _first_after(closers.get(opening.group("fence"), []), i)
            fences += 1
            if end is not None and fences <= MAX_FENCES:
                fenced[i : end + 1] = [True] * (end + 1 - i)
                i = end + 1
                continue
            lines[i] = lines[i][0].translate(NEUTRAL) + lines[i][1:]
        i += 1
    return fenced


def _as_typed(line: str, split: re.Match | None, marker: re.Match | None) -> str:
    """A block element's line with its markers neutralised: it reads as part of a paragraph."""
    if split:
        return line.translate(NEUTRAL)
    if marker:
        line = line[: marker.end()].translate(NEUTRAL) + line[marker.end() :]
    return line.replace("|", "|".translate(NEUTRAL))


def _first_after(indices: list[int], i: int) -> int | None:
    """The first of the sorted ``indices`` after ``i``, if any."""
    k = bisect_right(indices, i)
    return indices[k] if k < len(indices) else None


def _bounded_nesting(line: str) -> str:
    """The line with container markers past :data:`MAX_NESTING` shown as typed and its indentation cut to
    :data:`MAX_INDENT` columns (each level costs Python-Markdown a pass, and a recursion, over the rest)."""
    lead = _LEADING.match(line)
    if lead and len(lead.group().expandtabs(4)) > MAX_INDENT:
        line = " " * MAX_INDENT + line[lead.end() :]
    allowed = _ALLOWED_LEVELS.match(line)
    if allowed and not _THEMATIC.match(line):
        deeper = _CONTAINERS.match(line, allowed.end())
        if deeper:
            line = line[: allowed.end()] + deeper.group().translate(NEUTRAL) + line[deeper.end() :]
    return line


def _bounded_definitions(block: list[str]) -> list[str]:
    """The paragraph with definitions (": ...") past :data:`MAX_DEFINITIONS` shown as typed."""
    found = 0
    for k, line in enumerate(block):
        if _DEFINITION.match(line):
            found += 1
            if found > MAX_DEFINITIONS:
                colon = line.index(":")
                block[k] = line[:colon] + line[colon].translate(NEUTRAL) + line[colon + 1 :]
    return block


def inline_cost(text: str) -> int:
    """Steps of Python-Markdown's inline work on one paragraph, estimated in linear time: every ``[`` and
    ``(`` scans to its partner (or to the end), every Markdown character copies the text once more."""
    specials = sum(map(text.count, INLINE))
    cost = specials * len(text) // COPY_BYTES
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    for m in _BRACKETS.finditer(text):
        c = m.group()
        if c in open_at:
            open_at[c].append(m.start())
        else:
            stack = open_at["[" if c == "]" else "("]
            if stack:
                cost += m.start() - stack.pop()
    cost += sum(len(text) - at for stack in open_at.values() for at in stack)
    return cost


def _neutralise_costly(out: list[str], blocks: list[tuple[int, int]]) -> None:
    """Make the paragraphs over :data:`BLOCK_BUDGET` plain, then the costliest until the text is within
    :data:`TEXT_BUDGET` (many paragraphs each under the first budget)."""
    costs = sorted(((inline_cost("\n".join(out[a:b])), a, b) for a, b in blocks), reverse=True)
    total = sum(c for c, _a, _b in costs)
    for cost, a, b in costs:
        if cost <= BLOCK_BUDGET and total <= TEXT_BUDGET:
            break
        out[a:b] = [line.translate(NEUTRAL_INLINE) for line in out[a:b]]
        total -= cost
