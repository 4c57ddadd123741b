"""Jinja helpers shared by every template: labels, dates and numbers in the page's language, pagination links,
permissions, the language of user text."""

from __future__ import annotations

from flask import Flask, g, request, url_for
from flask_babel import format_date, format_datetime, format_number, get_locale
from flask_login import current_user

from .i18n import LANGUAGE_NAMES, content_lang, user_text
from .services import entry_types, notifications, permissions
from .services.themes import ROLE_LABELS, STATUS_LABELS, THEMES, theme_label


def url_with(**changes: object) -> str:
    """The current URL with some query arguments changed (None removes one); filters keep each other."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value in (None, ""):
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def unread_notifications() -> int:
    """The header's unread count: one COUNT per request, none for anonymous visitors."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(current_user)
    return g.unread_notifications


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        THEMES=THEMES,
        STATUS_LABELS=STATUS_LABELS,
        ROLE_LABELS=ROLE_LABELS,
        theme_label=theme_label,
        ENTRY_TYPES=entry_types.ENTRY_TYPES,
        STATUSES_BY_TYPE=entry_types.STATUSES_BY_TYPE,
        NEW_TITLES=entry_types.NEW_TITLES,
        PUBLISH_LABELS=entry_types.PUBLISH_LABELS,
        publish_labels=lambda: {k: str(v) for k, v in entry_types.PUBLISH_LABELS.items()},
        type_label=entry_types.type_label,
        type_plural=entry_types.type_plural,
        titled=entry_types.titled,
        SIMILAR_PANEL=entry_types.SIMILAR_PANEL,
        CROSS_PANEL=entry_types.CROSS_PANEL,
        group_key=entry_types.group_key,
        has_scale_up_route=entry_types.has_scale_up_route,
        url_with=url_with,
        can_write=lambda: permissions.can_write(current_user),
        can_manage_accounts=lambda: permissions.can_manage_accounts(current_user),
        current_locale=lambda: str(get_locale()),
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        content_lang=content_lang,
        unread_notifications=unread_notifications,
        notification_text=notifications.message,
    )
    app.jinja_env.filters["date"] = lambda d: format_date(d, "d MMMM y") if d else ""
    app.jinja_env.filters["datetime"] = lambda d: format_datetime(d, "d MMMM y, HH:mm") if d else ""
    app.jinja_env.filters["user_text"] = user_text  # Dutch text by users, marked lang="nl" on an English page
    app.jinja_env.filters["number"] = format_number  # 1.234 in Dutch, 1,234 in English
    app.jinja_env.filters["isodate"] = lambda d: d.isoformat(timespec="seconds") + "Z" if d else ""
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
