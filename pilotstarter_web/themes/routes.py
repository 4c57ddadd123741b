"""GET /themas (every theme with its pilot count), GET /themas/<key> (its pilots, latest activity first),
and following a theme."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..account.following_routes import back_from_unfollow
from ..request_args import int_arg
from ..services import follows
from ..services.pilot_queries import PilotFilters, list_pilots, theme_counts
from ..services.themes import THEME_DESCRIPTIONS, THEMES, theme_label
from ..transactions import commits
from . import bp

PER_PAGE = 20


@bp.get("")
def index():
    return render_template("themes/index.html", counts=theme_counts())


@bp.get("/<key>")
def view(key: str):
    """:raise 404: for a key that is not a theme, and for a page past the last."""
    follows.require_theme(key)
    filters = PilotFilters(theme=key, sort="changed", page=int_arg("page"), per_page=PER_PAGE)
    items, total = list_pilots(filters)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    if filters.page > pages:
        abort(404)
    return render_template(
        "themes/view.html", key=key, label=theme_label(key), description=THEME_DESCRIPTIONS.get(key),
        items=items, total=total, page=filters.page, pages=pages,
        following=follows.is_following_theme(current_user, key),
    )  # fmt: skip


@bp.post("/<key>/volgen")
@login_required
@commits
def follow(key: str):
    follows.follow_theme(current_user, key)
    flash(_("U volgt het thema %(theme)s. U krijgt een melding bij elke nieuwe pilot.", theme=theme_label(key)), "ok")
    return redirect(url_for("themes.view", key=key))


@bp.post("/<key>/niet-meer-volgen")
@login_required
@commits
def unfollow(key: str):
    if key not in THEMES:
        abort(404)
    follows.unfollow_theme(current_user, key)
    flash(_("U volgt het thema %(theme)s niet meer.", theme=theme_label(key)), "ok")
    return back_from_unfollow(url_for("themes.view", key=key))
