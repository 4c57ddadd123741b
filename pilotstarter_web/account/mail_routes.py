"""E-mail settings (/account/mail: per kind at once, daily, weekly or never) and one-click unsubscribe."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import csrf, db
from ..services import mail_preferences, notifications
from ..services.errors import InvalidInput
from . import bp
from .forms import mail_field_name, mail_settings_form


@bp.route("/mail", methods=["GET", "POST"])
@login_required
def mail_settings():
    """How each kind of notification reaches the mailbox."""
    current = mail_preferences.for_user(current_user)
    labels = {kind: notifications.kind_label(kind) for kind in current}
    choices = [(key, str(label)) for key, label in mail_preferences.FREQUENCIES.items()]
    form = mail_settings_form(labels, current, choices)
    if form.validate_on_submit():
        wanted = {kind: form[mail_field_name(kind)].data for kind in current}
        mail_preferences.set_preferences(current_user, wanted, ip=request.remote_addr)
        db.session.commit()
        flash(_("Uw e-mailinstellingen zijn opgeslagen."), "ok")
        return redirect(url_for("account.mail_settings"))
    fields = [(form[mail_field_name(kind)]) for kind in sorted(current, key=lambda k: labels[k].lower())]
    return render_template("account/mail_settings.html", form=form, fields=fields)


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail providers POST without a session or token; the signature is the proof
def unsubscribe(token: str):
    """GET: confirm with a button. POST (the button, or a mail provider's one-click): unsubscribe.

    :raise 400: for a tampered or truncated link, with a page that says so.
    """
    try:
        user, kind = mail_preferences.read_token(token)
    except InvalidInput as exc:
        return render_template("account/unsubscribe.html", error=exc.message), 400
    label = mail_preferences.unsubscribe_label(kind)
    if request.method == "POST":
        mail_preferences.unsubscribe(user, kind, ip=request.remote_addr)
        db.session.commit()
        return render_template("account/unsubscribe.html", done=True, label=label, email=user.email)
    return render_template("account/unsubscribe.html", label=label, email=user.email, token=token)
