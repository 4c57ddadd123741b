"""The API tokens page: make a personal token (shown once), see one's tokens, revoke one after confirming."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..confirmation import render_confirmation
from ..extensions import db
from ..forms import apply_service_errors
from ..services import api_tokens
from ..services.errors import InvalidInput
from ..transactions import commits
from . import bp
from .forms import ApiTokenForm


def _page(form: ApiTokenForm, new_token: str | None = None, status: int = 200):
    response = render_template(
        "account/tokens.html", form=form, tokens=api_tokens.live_tokens(current_user), new_token=new_token,
        max_tokens=api_tokens.MAX_TOKENS,
    )  # fmt: skip
    return response, status, {"Cache-Control": "no-store"}  # the page may hold a token: never cached


@bp.get("/tokens")
@login_required
def tokens():
    return _page(ApiTokenForm())


@bp.post("/tokens")
@login_required
def create_token():
    """Make a token and show it on this answer only (no redirect: it is never stored to show again)."""
    form = ApiTokenForm()
    if not form.validate():
        return _page(form, status=422)
    try:
        _row, token = api_tokens.create_token(
            current_user, form.name.data, form.scope.data, int(form.expires.data) if form.expires.data else None,
            ip=request.remote_addr,
        )  # fmt: skip
    except InvalidInput as exc:
        db.session.rollback()
        apply_service_errors(form, exc.field_errors)
        return _page(form, status=422)
    db.session.commit()
    return _page(ApiTokenForm(formdata=None), new_token=token)


@bp.get("/tokens/<int:token_id>/revoke")
@login_required
def confirm_revoke_token(token_id: int):
    row = api_tokens.own_token(current_user, token_id)
    return render_confirmation(
        title=_("Token intrekken"),
        question=_("Weet u zeker dat u het token ‘%(name)s’ (%(prefix)s…) wilt intrekken?", name=row.name, prefix=row.prefix),
        consequence=_("Systemen die dit token gebruiken, krijgen meteen geen toegang meer. Dit kan niet ongedaan worden gemaakt."),
        action=url_for("account.revoke_token", token_id=row.id),
        confirm_label=_("Ja, token intrekken"),
        cancel_url=url_for("account.tokens"),
    )  # fmt: skip


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
@commits
def revoke_token(token_id: int):
    row = api_tokens.revoke_token(current_user, token_id, ip=request.remote_addr)
    flash(_("Het token ‘%(name)s’ is ingetrokken.", name=row.name), "ok")
    return redirect(url_for("account.tokens"))
