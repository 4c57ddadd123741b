"""Readable word-level diffs between two revisions, as escaped HTML with <ins> and <del>.

Bounded work: ``SequenceMatcher`` costs up to the product of its two sequences' lengths, and anyone may
open the diff of two large one-line revisions. Each diff has a budget of :data:`DIFF_BUDGET` (tokens of
the old side times tokens of the new side, summed over the comparisons it makes); a comparison that would
exceed what is left is made coarser instead: the common start and end are kept, the rest is compared by
sentence, and if that is still too big it is shown as removed and added whole. Texts within the budget (a
changed paragraph, a page of a few thousand lines) are diffed exactly as before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..models import Revision
from .themes import STATUS_LABELS, theme_label

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+\s*|\n|$)")  # a sentence with its closing marks and spacing
DIFF_BUDGET = 4_000_000  # about 0.2 s of SequenceMatcher in the worst case on this machine

Opcode = tuple[str, int, int, int, int]


class _Budget:
    """What one diff may still spend on comparisons (tokens times tokens)."""

    def __init__(self) -> None:
        self.left = DIFF_BUDGET

    def spend(self, a: Sequence, b: Sequence) -> bool:
        cost = len(a) * len(b)
        if cost > self.left:
            return False
        self.left -= cost
        return True


def diff_html(old: str, new: str) -> Markup:
    """Line diff first (fast on long pages), then word diff inside changed blocks."""
    old_lines = old.replace("\r\n", "\n").splitlines(keepends=True)
    new_lines = new.replace("\r\n", "\n").splitlines(keepends=True)
    budget = _Budget()
    out: list[str] = []
    for op, i1, i2, j1, j2 in _opcodes(old_lines, new_lines, budget):
        if op == "equal":
            out.append(str(escape("".join(old_lines[i1:i2]))))
        elif op == "delete":
            out.append(_wrap("del", "".join(old_lines[i1:i2])))
        elif op == "insert":
            out.append(_wrap("ins", "".join(new_lines[j1:j2])))
        else:
            out.append(_word_diff("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]), budget))
    return Markup("".join(out))  # noqa: S704 -- every piece above went through escape()


def diff_stats(old: str, new: str) -> tuple[int, int]:
    """Words added and removed, for history summaries (past the budget: the words that differ in number
    between the changed middles, a close lower bound)."""
    a, b = old.split(), new.split()
    budget = _Budget()
    if not budget.spend(a, b):
        start, end_a, end_b = _common_ends(a, b)
        a, b = a[start:end_a], b[start:end_b]
        if not budget.spend(a, b):
            ca, cb = Counter(a), Counter(b)
            return sum((cb - ca).values()), sum((ca - cb).values())
    added = removed = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += i2 - i1
        if op in ("insert", "replace"):
            added += j2 - j1
    return added, removed


def _opcodes(a: Sequence[str], b: Sequence[str], budget: _Budget) -> list[Opcode]:
    """SequenceMatcher's opcodes when the budget allows; else the common start and end as equal and the
    middle as one replace (the caller compares it more coarsely)."""
    if budget.spend(a, b):
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    start, end_a, end_b = _common_ends(a, b)
    ops: list[Opcode] = []
    if start:
        ops.append(("equal", 0, start, 0, start))
    if end_a > start or end_b > start:
        kind = "replace" if end_a > start and end_b > start else ("delete" if end_a > start else "insert")
        ops.append((kind, start, end_a, start, end_b))
    if end_a < len(a):
        ops.append(("equal", end_a, len(a), end_b, len(b)))
    return ops


def _common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int, int]:
    """(length of the common start, end of a's middle, end of b's middle), in linear time."""
    start, shortest = 0, min(len(a), len(b))
    while start < shortest and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    return start, end_a, end_b


def _word_diff(old: str, new: str, budget: _Budget) -> str:
    """Word diff of a changed block; past the budget, the words between the common start and end are
    compared by sentence (and shown whole if even that is too big)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if budget.spend(a, b):
        return _marked(a, b, SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    start, end_a, end_b = _common_ends(a, b)
    middle_a, middle_b = a[start:end_a], b[start:end_b]
    if not budget.spend(middle_a, middle_b):
        middle_a, middle_b = _sentences("".join(middle_a)), _sentences("".join(middle_b))
    middle = _marked(middle_a, middle_b, _opcodes(middle_a, middle_b, budget))
    return str(escape("".join(a[:start]))) + middle + str(escape("".join(a[end_a:])))


def _sentences(text: str) -> list[str]:
    """A text cut after each sentence's closing marks and spacing (and after each newline)."""
    return [s for s in _SENTENCE.findall(text) if s]


def _marked(a: list[str], b: list[str], ops: list[Opcode]) -> str:
    parts: list[str] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            parts.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            parts.append(_wrap("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(_wrap("ins", "".join(b[j1:j2])))
    return "".join(parts)


def _wrap(tag: str, text: str) -> str:
    if not text:
        return ""
    label = "verwijderd: " if tag == "del" else "toegevoegd: "  # read out by screen readers, hidden on screen
    return f'<{tag} class="diff-{tag}"><span class="visually-hidden">{label}</span>{escape(text)}</{tag}>'


def metadata_changes(old: Revision, new: Revision) -> list[str]:
    """Status, themes and tags changed between two revisions, one readable line per field (empty: none).

    Metadata is revisioned since migration 0008; without this line the history would show a metadata-only
    save as a revision that changed nothing.
    """
    lines: list[str] = []
    if old.status != new.status:
        lines.append(_("Status: %(old)s → %(new)s", old=STATUS_LABELS[old.status], new=STATUS_LABELS[new.status]))
    for label, before, after, name in (
        (_("Thema's"), old.theme_keys, new.theme_keys, theme_label),
        (_("Tags"), old.tag_values, new.tag_values, str),
    ):
        added = [f"+{name(v)}" for v in after if v not in before]
        removed = [f"−{name(v)}" for v in before if v not in after]
        if added or removed:
            lines.append(f"{label}: {', '.join(added + removed)}")
    return lines
