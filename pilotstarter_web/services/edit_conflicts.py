"""Resolving an edit conflict part by part: the conflict page's choices turn back into one description.

The page carries only what the server cannot recompute (my own text and the two revision numbers); the merge
is computed again from the stored revisions, so a choice can only pick text that was really on one side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from ..models import Pilot, Revision
from .errors import InvalidInput
from .pilot_queries import get_revision
from .pilots import MAX_BODY, EditConflict
from .textmerge import CHOICES, MergeResult, assemble, merge_text


@dataclass
class Resolution:
    """One description conflict: the common base, the revision it ran into, my text and their merge."""

    base_number: int
    theirs: Revision
    mine: str
    merge: MergeResult

    @property
    def conflicts(self) -> int:
        return len(self.merge.conflicts)


def from_conflict(exc: EditConflict) -> Resolution | None:
    """The resolution a fresh conflict asks for; None when the description merged cleanly."""
    if exc.body is None:
        return None
    return Resolution(exc.base_number, exc.current, exc.mine_body, exc.body)


def reopen(pilot: Pilot, base_number: int | None, theirs_number: int | None, mine: str) -> Resolution:
    """Recompute a resolution from the conflict page's hidden fields.

    :raise InvalidInput: when they do not describe a conflict of this pilot (old or altered page)."""
    if len(mine) > MAX_BODY:
        raise InvalidInput(_("De tekst is te lang (hooguit %(n)d tekens).", n=MAX_BODY))
    if not base_number or not theirs_number or base_number >= theirs_number:
        raise InvalidInput(_("Dit conflict kan niet meer worden opgelost. Open de pilot opnieuw om te bewerken."))
    base, theirs = get_revision(pilot, base_number), get_revision(pilot, theirs_number)
    return Resolution(base_number, theirs, mine, merge_text(base.body, mine.replace("\r\n", "\n"), theirs.body))


def resolve(resolution: Resolution, choices: Mapping[int, tuple[str, str]]) -> str:
    """The description with every conflict resolved as chosen (``choices[i] = (choice, edited text)``).

    :raise InvalidInput: naming each conflict without a valid choice (field ``keuze-<i>``), nothing is lost."""
    errors: dict[str, list[str]] = {}
    for index in range(resolution.conflicts):
        choice, edited = choices.get(index, ("", ""))
        if choice not in CHOICES:
            errors[f"keuze-{index}"] = [_("Kies welke tekst u houdt bij conflict %(n)d.", n=index + 1)]
        elif choice == "edit" and len(edited) > MAX_BODY:
            errors[f"keuze-{index}"] = [_("De tekst is te lang (hooguit %(n)d tekens).", n=MAX_BODY)]
    if errors:
        raise InvalidInput(_("Kies bij elk conflict welke tekst u houdt."), errors)
    return assemble(resolution.merge, dict(choices))
