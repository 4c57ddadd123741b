"""The sessions page: where you are logged in, and ending those logins (one, all others, or all)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..auth_session import current_session, end_session
from ..extensions import db
from ..services import sessions
from . import bp


@bp.get("/sessions")
@login_required
def sessions_page():
    return render_template(
        "account/sessions.html", rows=sessions.active_sessions(current_user), current=current_session()
    )


@bp.post("/sessions/<int:session_id>/end")
@login_required
def end_one_session(session_id: int):
    """Ending this device's own session is logging out. :raise 404: for a session not yours or already ended."""
    here = current_session()
    if here is not None and session_id == here.id:
        return _log_out_here()
    sessions.end_own(current_user, session_id, ip=request.remote_addr)
    db.session.commit()
    flash(_("De sessie is beëindigd: dat apparaat is uitgelogd."), "ok")
    return redirect(url_for("account.sessions_page"))


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    count = sessions.end_all(current_user, "logout_everywhere", keep=current_session(), ip=request.remote_addr)
    db.session.commit()
    flash(ngettext("%(num)d andere sessie is beëindigd.", "%(num)d andere sessies zijn beëindigd.", count), "ok")
    return redirect(url_for("account.sessions_page"))


@bp.post("/sessions/end-all")
@login_required
def logout_everywhere_including_here():
    sessions.end_all(current_user, "logout_everywhere", ip=request.remote_addr)
    return _log_out_here(_("U bent overal uitgelogd, ook hier."))


def _log_out_here(message: str | None = None):
    end_session()
    db.session.commit()
    flash(message or _("U bent uitgelogd."), "info")
    return redirect(url_for("main.home"))
