"""Names and titles as people will read them: one place that normalises them and refuses look-alikes.

Why: "Gemeente Utrecht" spelled with a Cyrillic "е", or with a zero-width space inside, looks identical on
screen but is another string — a way to impersonate a municipality, a colleague or a pilot. Every place
that accepts a user name, organisation name, pilot title or tag goes through `clean_line`, and names and
titles also through `refuse_look_alikes`.

Why our own check and not a package: what we refuse is narrow and fixed — Latin mixed with Cyrillic or
Greek inside one word — and `unicodedata` (the Unicode database shipped with Python, updated with it)
names every letter's script. A confusables package would add a data file to keep current for no gain here.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from .errors import InvalidInput

# Zero-width characters, bidirectional controls and invisible operators: they change what a string *is*
# without changing what it *looks like* (U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+FEFF).
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
LOOK_ALIKE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
_WORD = re.compile(r"\w+")


def clean_line(text: str) -> str:
    """NFKC-normalised, invisible characters removed, whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join(INVISIBLE.sub("", text).split())


def letter_script(char: str) -> str | None:
    """LATIN, CYRILLIC, GREEK … for a letter (the first word of its Unicode name); None for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else None


def look_alike_words(text: str) -> list[str]:
    """Words that mix Latin, Cyrillic and Greek letters: how homoglyph look-alikes are built."""
    found = []
    for word in _WORD.findall(text):
        scripts = {letter_script(c) for c in word} & LOOK_ALIKE_SCRIPTS
        if len(scripts) > 1:
            found.append(word)
    return found


def refuse_look_alikes(text: str, field: str) -> None:
    """:raise InvalidInput: on `field` when a word mixes alphabets (e.g. a Cyrillic "а" in a Latin name)."""
    if words := look_alike_words(text):
        message = _(
            "Gebruik in één woord geen letters uit verschillende alfabetten (zoals Latijns en Cyrillisch): %(words)s",
            words=", ".join(words),
        )
        raise InvalidInput(message, {field: [message]})


def clean_name(text: str, field: str) -> str:
    """`clean_line` plus `refuse_look_alikes`: for names and titles. :raise InvalidInput:"""
    cleaned = clean_line(text)
    refuse_look_alikes(cleaned, field)
    return cleaned
