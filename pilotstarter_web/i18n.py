"""The interface language: which one a request is answered in, and how Dutch user text is marked inside a page
in another language (WCAG 3.1.1 and 3.1.2: a screen reader must read each text in its own language)."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

SESSION_KEY = "lang"  # the visitor's explicit choice (/taal/<lang>); kept across login (auth_session.py)
CONTENT_LANGUAGE = "nl"  # pilots, comments and organisation names are written in Dutch
# Each language named in itself, never translated: someone who cannot read the page must find their own.
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English"}
MARK_CONTENT = Markup(' lang="nl"')


def languages() -> list[str]:
    """The interface languages, the default (Dutch, the source language of the catalogue) first."""
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """?lang= for one request, then the visitor's choice, the account's language, the browser's, else Dutch."""
    available = languages()
    if not has_request_context():
        return available[0]
    for choice in (request.args.get("lang"), session.get(SESSION_KEY)):
        if choice in available:
            return choice
    if current_user and current_user.is_authenticated and current_user.locale in available:
        return current_user.locale
    return request.accept_languages.best_match(available) or available[0]


def remember_choice(lang: str) -> None:
    """Keep the visitor's choice in the session; an unknown language is ignored (the caller answers 404)."""
    if lang in languages():
        session[SESSION_KEY] = lang


def content_lang() -> Markup:
    """` lang="nl"` for an element holding user text when the page is in another language, else nothing.

    Used as `<p{{ content_lang() }}>{{ pilot.summary }}</p>`: on a Dutch page the attribute would only repeat
    `<html lang="nl">`.
    """
    return MARK_CONTENT if str(get_locale()) != CONTENT_LANGUAGE else Markup("")


def user_text(value: object) -> Markup:
    """The filter for inline user text: `{{ pilot.title|user_text }}` is the title in a `<span lang="nl">` on a
    page in another language, and the escaped title alone on a Dutch page."""
    if value is None or value == "":
        return Markup("")
    if str(get_locale()) == CONTENT_LANGUAGE:
        return escape(value)
    return Markup('<span lang="nl">%s</span>') % value
