"""Three-way merge of concurrent edits, so an edit conflict never loses anybody's text.

A merge is a list of segments: text both sides agree on, and conflicts that keep the base and both sides
apart. Pages and the API show the segments and let a person choose per conflict; nothing ever carries
version-control markers, so no marker can reach the saved text or the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import merge3

CHOICES = ("mine", "theirs", "both", "edit")
Choice = Literal["mine", "theirs", "both", "edit"]


@dataclass(frozen=True)
class Agreed:
    """Text that is the same in the merge whichever side wins (unchanged, or changed by one side only)."""

    text: str


@dataclass(frozen=True)
class Conflict:
    """A region both sides changed differently; each side without the lines both share around it."""

    base: str
    mine: str
    theirs: str

    def both(self) -> str:
        """Mine, then theirs: what "keep both" saves and what "edit" starts from."""
        return _join(self.mine, self.theirs)


Segment = Agreed | Conflict


@dataclass
class MergeResult:
    segments: list[Segment]
    mine_ends_in_newline: bool = True

    @property
    def conflicts(self) -> list[Conflict]:
        return [s for s in self.segments if isinstance(s, Conflict)]

    @property
    def text(self) -> str:
        """The merged text; only meaningful without conflicts (:func:`assemble` resolves them)."""
        return assemble(self, {})


def merge_text(base: str, mine: str, theirs: str) -> MergeResult:
    """Merge line-wise into agreed segments and conflicts.

    Lines are compared with a newline at the end of every line, so a last line that differs only in its
    missing newline is the same line; the merged text ends in a newline as `mine` does.
    """
    ends = mine.endswith("\n") or not mine
    if mine == theirs or theirs == base:
        return MergeResult([Agreed(mine)] if mine else [], True)
    if mine == base:
        return MergeResult([Agreed(theirs)] if theirs else [], True)
    segments: list[Segment] = []
    for group in merge3.Merge3(*(_lines(t) for t in (base, mine, theirs))).merge_groups():
        if group[0] == "conflict":
            head, a, b, tail = _split_common(group[2], group[3])
            _agree(segments, head)
            if a != b:
                segments.append(Conflict("".join(group[1]), "".join(a), "".join(b)))
            _agree(segments, tail)
        else:
            _agree(segments, group[1])
    return MergeResult(segments, ends)


def assemble(result: MergeResult, choices: dict[int, tuple[str, str]]) -> str:
    """The final text: agreed parts as they are, conflict number i (from 0) as ``choices[i]`` says:
    ``(choice, edited text)``, the text used only for "edit". A conflict without a choice keeps mine."""
    out: list[str] = []
    number = 0  # conflicts are numbered in document order
    for segment in result.segments:
        if isinstance(segment, Agreed):
            out.append(segment.text)
            continue
        choice, edited = choices.get(number, ("mine", ""))
        number += 1
        part = {"mine": segment.mine, "theirs": segment.theirs, "both": segment.both()}.get(choice)
        out.append(_line_end(edited.replace("\r\n", "\n")) if part is None else part)
    text = "".join(out)
    if not result.mine_ends_in_newline and text.endswith("\n"):
        text = text[:-1]
    return text


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


def _agree(segments: list[Segment], lines: list[str]) -> None:
    """Append agreed lines, joined to an agreed segment just before, so agreed text is one block."""
    if not lines:
        return
    if segments and isinstance(segments[-1], Agreed):
        segments[-1] = Agreed(segments[-1].text + "".join(lines))
    else:
        segments.append(Agreed("".join(lines)))


def _join(first: str, second: str) -> str:
    return first + second if not first or first.endswith("\n") else first + "\n" + second


def _line_end(text: str) -> str:
    """An edited part is whole lines, so the text after it starts on a line of its own."""
    return text if not text or text.endswith("\n") else text + "\n"


def _lines(text: str) -> list[str]:
    """Every line with its newline, the last one too: otherwise "x" and "x\\n" differ and both sides repeat it."""
    return [line if line.endswith("\n") else line + "\n" for line in text.replace("\r\n", "\n").splitlines(True)]


def _split_common(a: list[str], b: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Lines both sides share at the start and end of a conflict go outside it, shown once."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return a[:start], a[start : len(a) - end], b[start : len(b) - end], a[len(a) - end :]
