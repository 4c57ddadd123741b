"""Administration: verifying new accounts; finding accounts, changing roles, blocking and unblocking."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..confirmation import render_confirmation
from ..extensions import db
from ..request_args import int_arg
from ..services import account_admin, accounts, permissions
from ..services.errors import InvalidInput
from ..transactions import commits
from . import bp


@bp.get("/")
@login_required
def index():
    permissions.require_account_manager(current_user)
    return redirect(url_for("admin.accounts"))


@bp.get("/accounts", endpoint="accounts")
@login_required
def pending_accounts():
    """Accounts waiting for verification, oldest first; then every account, searchable and paged."""
    permissions.require_account_manager(current_user)
    filters = account_admin.AccountFilters(
        query=request.args.get("q", "")[: account_admin.MAX_QUERY],
        role=request.args.get("role", ""),
        state=request.args.get("state", ""),
    )
    found = account_admin.list_accounts(current_user, filters, int_arg("page"))
    return render_template(
        "admin/accounts.html", pending=accounts.pending_accounts(), found=found, filters=filters,
        role_names=account_admin.ROLE_NAMES, can_manage=account_admin.can_manage,
    )  # fmt: skip


def _back():
    """Back to the list as it was filtered (the form carries the list's query string; only our own path)."""
    query = request.form.get("back", "")[:500]
    safe = re.fullmatch(r"[\w%=&+.~-]+", query) is not None  # a query string as the browser sent it, nothing else
    return redirect(url_for("admin.accounts") + (f"?{query}" if safe else ""))


@bp.post("/accounts/<int:user_id>/verify")
@login_required
@commits
def verify(user_id: int):
    user = accounts.verify_account(current_user, user_id, ip=request.remote_addr)
    flash(_("%(name)s (%(email)s) is geverifieerd en kan nu schrijven.", name=user.name, email=user.email), "ok")
    return redirect(url_for("admin.accounts"))


@bp.post("/accounts/<int:user_id>/reject")
@login_required
@commits
def reject(user_id: int):
    user = accounts.reject_account(current_user, user_id, ip=request.remote_addr)
    flash(_("Het account van %(email)s is geblokkeerd.", email=user.email), "ok")
    return redirect(url_for("admin.accounts"))


@bp.post("/accounts/<int:user_id>/role")
@login_required
@commits
def change_role(user_id: int):
    """Admins only; a refusal (oneself, the last admin) comes back as a message above the list."""
    try:
        user = account_admin.change_role(current_user, user_id, request.form.get("role", "")[:20], request.remote_addr)
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back()
    flash(_("%(name)s is nu %(role)s.", name=user.name, role=account_admin.ROLE_NAMES[user.role]), "ok")
    return _back()


@bp.get("/accounts/<int:user_id>/block", endpoint="confirm_block")
@login_required
def confirm_block(user_id: int):
    """Blocking logs the person out everywhere: ask first."""
    user = account_admin.manageable(current_user, user_id)
    return render_confirmation(
        title=_("Account blokkeren"),
        question=_("Weet u zeker dat u het account van %(name)s (%(email)s) wilt blokkeren?", name=user.name, email=user.email),
        consequence=_("Deze persoon wordt overal uitgelogd en kan niet meer inloggen. Wat hij of zij schreef blijft staan. U kunt het account later deblokkeren."),
        action=url_for("admin.block", user_id=user.id),
        confirm_label=_("Ja, account blokkeren"),
        cancel_url=url_for("admin.accounts"),
    )  # fmt: skip


@bp.post("/accounts/<int:user_id>/block")
@login_required
@commits
def block(user_id: int):
    try:
        user = account_admin.block(current_user, user_id, request.remote_addr)
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back()
    flash(_("Het account van %(name)s is geblokkeerd; alle sessies zijn beëindigd.", name=user.name), "ok")
    return _back()


@bp.post("/accounts/<int:user_id>/unblock")
@login_required
@commits
def unblock(user_id: int):
    user = account_admin.unblock(current_user, user_id, request.remote_addr)
    flash(_("Het account van %(name)s is gedeblokkeerd: deze persoon kan weer inloggen.", name=user.name), "ok")
    return _back()
