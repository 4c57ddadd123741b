"""Three-way merge of concurrent edits, so an edit conflict never loses anybody's text."""

from __future__ import annotations

from dataclasses import dataclass

import merge3

CONFLICT_START = "<<<<<<< Uw versie"
CONFLICT_MID = "======="
CONFLICT_END_PREFIX = ">>>>>>> Versie van"


@dataclass
class MergeResult:
    text: str
    conflicts: int  # number of overlapping regions left marked in `text`


def merge_text(base: str, mine: str, theirs: str, theirs_label: str) -> MergeResult:
    """Merge line-wise; overlapping changes are kept as both versions between conflict markers.

    Lines are compared with a newline at the end of every line, so a last line that differs only in its
    missing newline is the same line; the merged text ends in a newline as `mine` does.
    """
    if mine == theirs or theirs == base:
        return MergeResult(mine, 0)
    if mine == base:
        return MergeResult(theirs, 0)
    base_l, mine_l, theirs_l = (_lines(t) for t in (base, mine, theirs))
    out: list[str] = []
    conflicts = 0
    for group in merge3.Merge3(base_l, mine_l, theirs_l).merge_groups():
        kind = group[0]
        if kind == "conflict":
            conflicts += 1
            head, a, b, tail = _split_common(group[2], group[3])
            out += [*head, CONFLICT_START + "\n", *a, CONFLICT_MID + "\n", *b]
            out.append(f"{CONFLICT_END_PREFIX} {theirs_label}\n")
            out += tail
        else:
            out += group[1]
    merged = "".join(out)
    if not mine.endswith("\n") and merged.endswith("\n") and not conflicts:
        merged = merged[:-1]
    return MergeResult(merged, conflicts)


def merge_field(base: str, mine: str, theirs: str) -> tuple[str, bool]:
    """One-line fields (title, summary): take the side that changed; both changed differently = conflict."""
    if mine == theirs or theirs == base:
        return mine, False
    if mine == base:
        return theirs, False
    return mine, True


def merge_set(base: list[str], mine: list[str], theirs: list[str]) -> list[str]:
    """Sets (themes, tags) never conflict: theirs, minus what I removed, plus what I added since the base."""
    base_s, mine_s = set(base), set(mine)
    kept = [item for item in theirs if item not in base_s - mine_s]
    return kept + [item for item in mine if item not in base_s and item not in kept]


def has_conflict_markers(text: str) -> bool:
    """True while a merge's conflict markers are still in the text (it must not be saved so)."""
    lines = text.splitlines()
    return any(line.startswith(CONFLICT_START) for line in lines) or any(
        line.startswith(CONFLICT_END_PREFIX) for line in lines
    )


def _lines(text: str) -> list[str]:
    """Every line with its newline, the last one too: otherwise "x" and "x\\n" differ and both sides repeat it."""
    return [line if line.endswith("\n") else line + "\n" for line in text.replace("\r\n", "\n").splitlines(True)]


def _split_common(a: list[str], b: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Lines both sides share at the start and end of a conflict go outside the markers, shown once."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return a[:start], a[start : len(a) - end], b[start : len(b) - end], a[len(a) - end :]
