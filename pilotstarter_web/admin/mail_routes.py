"""/admin/mail: the mail outbox at a glance, the mails that gave up, and sending them again."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..services import mail_outbox, permissions
from ..transactions import commits
from . import bp


@bp.get("/mail")
@login_required
def mail():
    """Counts per state and the failed mails with their last error."""
    permissions.require_account_manager(current_user)
    return render_template("admin/mail.html", counts=mail_outbox.counts(), failed=mail_outbox.failed_mails())


@bp.post("/mail/retry")
@login_required
@commits
def retry_mail():
    """Queue one failed mail again (``mail_id``), or all of them."""
    mail_id = request.form.get("mail_id", type=int)
    count = mail_outbox.retry(current_user, mail_id, ip=request.remote_addr)
    flash(ngettext("%(num)d e-mail staat weer in de wachtrij.", "%(num)d e-mails staan weer in de wachtrij.", count)
          if count else _("Er was niets om opnieuw te versturen."), "ok")  # fmt: skip
    return redirect(url_for("admin.mail"))
