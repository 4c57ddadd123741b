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
    """Merge line-wise; overlapping changes are kept as both versions between conflict markers."""
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
            _, _base, a, b = group
            out += [CONFLICT_START + "\n", *_terminated(a), CONFLICT_MID + "\n", *_terminated(b)]
            out.append(f"{CONFLICT_END_PREFIX} {theirs_label}\n")
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


def has_conflict_markers(text: str) -> bool:
    """True while a merge's conflict markers are still in the text (it must not be saved so)."""
    lines = text.splitlines()
    return any(line.startswith(CONFLICT_START) for line in lines) or any(
        line.startswith(CONFLICT_END_PREFIX) for line in lines
    )


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").splitlines(keepends=True)


def _terminated(lines: list[str]) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in lines]
