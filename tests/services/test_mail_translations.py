"""The English catalogue: compiled (messages.mo matches messages.po), complete, and with the same placeholders as
the Dutch texts (a missing one would raise when a mail is rendered)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import pilotstarter_web

FOLDER = Path(pilotstarter_web.__file__).parent / "translations" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def entries(catalog) -> dict:
    """msgid -> msgstr; a plural's are tuples (the readers give lists or tuples)."""

    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {key(m.id): key(m.string) for m in catalog if m.id}


def test_the_compiled_catalogue_is_the_current_one():
    with (FOLDER / "messages.po").open("rb") as po, (FOLDER / "messages.mo").open("rb") as mo:
        source, compiled = entries(read_po(po)), entries(read_mo(mo))
    assert compiled == source, "run: pybabel compile -d pilotstarter_web/translations"


def test_every_text_is_translated_with_the_same_placeholders():
    with (FOLDER / "messages.po").open("rb") as po:
        catalog = entries(read_po(po))
    for msgid, msgstr in catalog.items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strs = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        assert all(strs), msgid
        assert {p for i in ids for p in PLACEHOLDER.findall(i)} == {p for s in strs for p in PLACEHOLDER.findall(s)}, (
            msgid
        )
