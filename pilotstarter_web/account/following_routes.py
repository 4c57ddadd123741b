""" "Wat ik volg" (/account/volgt): every pilot, theme, organisation and saved search one follows, with the
buttons to stop following, and saving, renaming and deleting searches."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from search_index.fulltext import FACETS

from ..confirmation import render_confirmation
from ..extensions import db
from ..services import follows, saved_searches
from ..services.errors import InvalidInput
from ..transactions import commits
from . import bp
from .following_forms import RenameSearchForm, SaveSearchForm


@bp.get("/volgt")
@login_required
def following():
    return render_template(
        "account/following.html", following=follows.following(current_user), rename_form=RenameSearchForm(),
        search_args=saved_searches.search_args,
    )  # fmt: skip


def back_from_unfollow(url: str):
    """After an unfollow button: back to "Wat ik volg" when it was pressed there, else to ``url``."""
    if request.form.get("from") == "following":
        return redirect(url_for("account.following"))
    return redirect(url)


def _form_errors(form) -> str:
    return " ".join(str(m) for messages in form.errors.values() for m in messages)


def _search_url(query: str, filters: dict[str, list[str]]) -> str:
    return url_for("search.index", q=query or None, **filters)


@bp.post("/volgt/zoekopdrachten")
@login_required
def save_search():
    """ "Volg deze zoekopdracht" on the search page: back to the same search with a message."""
    form = SaveSearchForm()
    filters = saved_searches.clean_filters({name: request.form.getlist(name)[:20] for name in FACETS})
    query = (request.form.get("q") or "")[: saved_searches.MAX_QUERY + 1]
    if not form.validate_on_submit():
        flash(_form_errors(form) or _("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return redirect(_search_url(query[: saved_searches.MAX_QUERY], filters))
    try:
        search, created = saved_searches.save_search(current_user, query, filters, form.name.data or "")
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(_search_url(query[: saved_searches.MAX_QUERY], filters))
    db.session.commit()
    if created:
        flash(
            _(
                "U volgt deze zoekopdracht als ‘%(name)s’. U krijgt een melding bij elke nieuwe pilot die erbij past.",
                name=search.name,
            ),
            "ok",
        )
    else:
        flash(_("U volgde deze zoekopdracht al, als ‘%(name)s’.", name=search.name), "info")
    return redirect(_search_url(search.query, search.filters or {}))


@bp.post("/volgt/zoekopdrachten/<int:search_id>/naam")
@login_required
def rename_search(search_id: int):
    form = RenameSearchForm()
    if not form.validate_on_submit():
        flash(_form_errors(form) or _("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return redirect(url_for("account.following", _anchor="zoekopdrachten"))
    try:
        search = saved_searches.rename_search(current_user, search_id, form.name.data)
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("account.following", _anchor="zoekopdrachten"))
    db.session.commit()
    flash(_("De zoekopdracht heet nu ‘%(name)s’.", name=search.name), "ok")
    return redirect(url_for("account.following", _anchor="zoekopdrachten"))


@bp.get("/volgt/zoekopdrachten/<int:search_id>/verwijderen", endpoint="confirm_delete_search")
@login_required
def confirm_delete_search(search_id: int):
    """Asks before a saved search (and its news) goes. :raise 404: for someone else's search."""
    search = saved_searches.get_own(current_user, search_id)
    return render_confirmation(
        title=_("Zoekopdracht verwijderen"),
        question=_("Weet u zeker dat u de zoekopdracht ‘%(name)s’ wilt verwijderen?", name=search.name),
        consequence=_("U krijgt dan geen meldingen meer over nieuwe pilots die erbij passen."),
        action=url_for("account.delete_search", search_id=search_id),
        confirm_label=_("Ja, zoekopdracht verwijderen"),
        cancel_url=url_for("account.following", _anchor="zoekopdrachten"),
    )


@bp.post("/volgt/zoekopdrachten/<int:search_id>/verwijderen")
@login_required
@commits
def delete_search(search_id: int):
    search = saved_searches.get_own(current_user, search_id)
    name = search.name
    saved_searches.delete_search(current_user, search_id)
    flash(_("U volgt de zoekopdracht ‘%(name)s’ niet meer.", name=name), "ok")
    return redirect(url_for("account.following", _anchor="zoekopdrachten"))
