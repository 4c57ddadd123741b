"""Administration: verifying new accounts."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services import accounts, permissions
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
    """Accounts waiting for verification, oldest first."""
    permissions.require_account_manager(current_user)
    return render_template("admin/accounts.html", pending=accounts.pending_accounts())


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
