"""Every interface text has an English translation, extracted from the sources as they are now: a new template
string without one fails here, listed by its Dutch text and where it is (scripts/translations.sh brings it in)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from pilotstarter_web.services.themes import THEME_NAMES_EN, THEMES

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "pilotstarter_web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}  # as scripts/translations.sh: _l is lazy_gettext
# %(name)s, %s, %% and {name}: a translation that drops or renames one raises or shows a raw marker.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif%]|\{\w*\}")
TAG = re.compile(r"</?[a-z][^>]*>")


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    """msgid -> first place it is used, from the current templates and Python files (babel.cfg)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def english() -> dict:
    with CATALOGUE.open("rb") as po:
        return {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in read_po(po) if m.id}


def _strings(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, list | tuple) else (message.string,)


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def test_the_sources_hold_the_interface_texts(sources):
    """A guard for the guard: extraction must really find the templates and the lazy form labels."""
    assert "Direct naar de inhoud" in sources  # base.html
    assert "E-mailadres" in sources  # a form label, lazy (_l)
    assert "%(num)d pilot" in sources  # ngettext
    assert len(sources) > 900


def test_every_text_in_the_sources_has_an_english_translation(sources, english):
    untranslated = [
        f"{where}: {msgid!r}"
        for msgid, where in sorted(sources.items(), key=lambda item: item[1])
        if msgid not in english or english[msgid].fuzzy or not all(_strings(english[msgid]))
    ]
    assert not untranslated, "Run scripts/translations.sh and translate:\n" + "\n".join(untranslated)


def test_translations_keep_placeholders_and_markup(english):
    wrong = []
    for message in english.values():
        ids = _ids(message)
        for pattern in (PLACEHOLDER, TAG):
            wanted = {p for i in ids for p in pattern.findall(i)}
            wrong += [f"{ids[0]!r} -> {s!r}" for s in _strings(message) if s and set(pattern.findall(s)) != wanted]
    assert not wrong, "\n".join(wrong)


def test_theme_labels_in_english_are_the_names_the_search_index_knows(app):
    """The compiled catalogue is what the app reads: an English page names each theme as search knows it."""
    with app.test_request_context("/?lang=en"):
        assert {key: str(label) for key, label in THEMES.items()} == THEME_NAMES_EN
