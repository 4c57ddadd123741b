"""Two-factor login: the code step after the password, and turning it on (enrolment) and off."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth_session import current_session, pending_login, start_session
from ..extensions import db
from ..forms import apply_service_errors
from ..services import two_factor
from ..services.errors import InvalidInput, Throttled
from . import bp
from .forms import CodeForm, DisableTwoFactorForm, EnrolForm, RenewRecoveryCodesForm
from .routes import safe_next

RENEW_PREFIX = "renew"  # its password field shares the page with the one for turning two-factor login off


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """Second step of the login: only a browser that just gave the right password gets here."""
    row = pending_login()
    if row is None:
        flash(_("Uw inlogpoging is verlopen. Log opnieuw in."), "info")
        return redirect(url_for("account.login", next=request.args.get("next")))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            two_factor.second_step(row, form.code.data, ip=request.remote_addr)
        except Throttled as exc:
            db.session.commit()  # the count and the ended login must stay
            flash(exc.message, "error")
            return redirect(url_for("account.login"))
        except InvalidInput as exc:
            db.session.commit()
            apply_service_errors(form, exc.field_errors)
            status = 401
        else:
            start_session(row.user, remember=row.remember)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template("account/login_code.html", form=form), status


def _page(
    form: EnrolForm | None = None,
    disable_form: DisableTwoFactorForm | None = None,
    renew_form: RenewRecoveryCodesForm | None = None,
    status: int = 200,
):
    """The two-factor page: status, enrolment (QR code, secret, confirm), new recovery codes or turning it off;
    a form's errors shown in place."""
    enrolling = not current_user.two_factor_enabled and current_user.totp_secret
    page = render_template(
        "account/two_factor.html",
        form=form or EnrolForm(formdata=None),
        disable_form=disable_form or DisableTwoFactorForm(formdata=None),
        renew_form=renew_form or RenewRecoveryCodesForm(formdata=None, prefix=RENEW_PREFIX),
        required=two_factor.required_for(current_user),
        qr_code=two_factor.qr_code_svg(current_user, _("QR-code voor uw authenticator-app")) if enrolling else None,
        remaining=two_factor.remaining_recovery_codes(current_user),
    )
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"  # the secret is on it while enrolling
    return response


@bp.get("/two-factor", endpoint="two_factor")
@login_required
def two_factor_page():
    return _page()


@bp.post("/two-factor/start")
@login_required
def two_factor_start():
    """A new secret each time: starting again after a half-finished enrolment replaces the old one."""
    two_factor.start_enrolment(current_user)
    db.session.commit()
    return redirect(url_for("account.two_factor"))


@bp.post("/two-factor/confirm")
@login_required
def two_factor_confirm():
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(
                current_user, form.code.data, keep=current_session(), ip=request.remote_addr
            )
        except InvalidInput as exc:
            db.session.commit()  # the failed attempt is audited
            apply_service_errors(form, exc.field_errors or {"code": [exc.message]})
        else:
            db.session.commit()
            return _recovery_codes_page(codes, enabled_now=True)
    return _page(form=form, status=422)


@bp.post("/two-factor/recovery-codes")
@login_required
def two_factor_recovery_codes():
    form = RenewRecoveryCodesForm(prefix=RENEW_PREFIX)
    if form.validate_on_submit():
        try:
            codes = two_factor.renew_recovery_codes(current_user, form.password.data, ip=request.remote_addr)
        except InvalidInput as exc:
            db.session.commit()  # the refused attempt is audited and counted
            apply_service_errors(form, exc.field_errors or {"password": [exc.message]})
        else:
            db.session.commit()
            return _recovery_codes_page(codes, enabled_now=False)
    return _page(renew_form=form, status=422)


def _recovery_codes_page(codes: list[str], enabled_now: bool):
    """Shown once, never stored in plain text: no cache may keep the page."""
    response = make_response(render_template("account/recovery_codes.html", codes=codes, enabled_now=enabled_now))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/two-factor/disable")
@login_required
def two_factor_disable():
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        try:
            two_factor.disable(
                current_user, form.password.data, form.code.data, keep=current_session(), ip=request.remote_addr
            )
        except InvalidInput as exc:
            db.session.commit()  # the refused attempt is audited
            apply_service_errors(form, exc.field_errors or {"password": [exc.message]})
        else:
            db.session.commit()
            flash(_("Tweestapsverificatie staat uit."), "ok")
            return redirect(url_for("account.two_factor"))
    return _page(disable_form=form, status=422)
