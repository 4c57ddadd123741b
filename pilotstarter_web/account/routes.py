"""Register, log in and out, reset a password, view and edit the profile."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth_session import begin_second_step, current_session, end_session, start_session
from ..extensions import db
from ..forms import apply_service_errors
from ..i18n import remember_choice
from ..rate_limits import configured, limiter
from ..services import accounts, audit
from ..services.errors import InvalidInput, Throttled
from ..services.organisations import option_label, picker_organisations
from ..services.pilot_queries import owned_and_joined
from . import bp
from .forms import ChangePasswordForm, LoginForm, ProfileForm, RegisterForm, ResetForm, ResetRequestForm

RESET_SESSION_KEY = "reset_token"  # session key: the token from the e-mailed link, kept out of URLs


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    """New accounts are unverified until VNG staff or an admin verifies them. The answer is the same whether or
    not the address already has an account (services/accounts.register)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            accounts.register(
                form.email.data, form.name.data, form.password.data, form.organisation.data,
                form.new_organisation.data, ip=request.remote_addr,
            )  # fmt: skip
        except InvalidInput as exc:
            apply_service_errors(form, exc.field_errors)
        else:
            db.session.commit()
            flash(_("Controleer uw e-mail: wij hebben u een bericht gestuurd over uw account."), "info")
            return redirect(url_for("account.login"))
    return render_template(
        "account/register.html", form=form, organisations=picker_organisations(), option_label=option_label
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])  # beside the back-off: Argon2 costs CPU
def login():
    form = LoginForm()
    error, status, headers = None, 200, {}
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, ip=request.remote_addr)
        except (InvalidInput, Throttled) as exc:
            db.session.commit()  # keep the audit event (the throttle counted the attempt already)
            error, status = exc.message, exc.status if isinstance(exc, Throttled) else 401
            if isinstance(exc, Throttled) and exc.retry_after:
                headers["Retry-After"] = str(exc.retry_after)
        else:
            if user.two_factor_enabled:  # the password alone logs nobody in: the code step comes first
                begin_second_step(user, remember=form.remember.data)
                db.session.commit()
                return redirect(url_for("account.login_code", next=request.args.get("next")))
            start_session(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template("account/login.html", form=form, error=error), status, headers


@bp.post("/logout")
def logout():
    audit.record("account.logout", current_user, "user", current_user.get_id(), request.remote_addr, commit=True)
    end_session()
    db.session.commit()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("main.home"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_RESET_REQUEST"), methods=["POST"])
def reset_request():
    """Mail a reset link. The answer is the same whether or not the address exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.user_by_email(form.email.data)
        if user is not None and user.active:
            accounts.queue_reset_mail(user)
        audit.record(
            "password_reset.requested",
            user,
            "email",
            audit.identifier(accounts.normalise_email(form.email.data)),
            request.remote_addr,
        )
        db.session.commit()
        flash(_("Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail met een link."), "info")
        return redirect(url_for("account.login"))
    return render_template("account/reset_request.html", form=form)


@bp.get("/reset/<token>")
def reset_landing(token: str):
    """The e-mailed link. The token moves into the session at once and the browser goes on to a URL without
    it, so it stays out of later access-log lines, history and Referer headers (log_redaction.py covers
    this request's own log line)."""
    session[RESET_SESSION_KEY] = token[:1000]
    response = redirect(url_for("account.reset_password"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/reset/new", methods=["GET", "POST"])
def reset_password():
    try:
        user = accounts.user_for_reset_token(session.get(RESET_SESSION_KEY, ""))
    except InvalidInput as exc:
        session.pop(RESET_SESSION_KEY, None)
        flash(exc.message, "error")
        return redirect(url_for("account.reset_request"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            # Someone resetting while logged in as this account keeps this session; every other one ends.
            mine = current_session() if current_user.is_authenticated and current_user.id == user.id else None
            accounts.set_password(user, form.password.data, ip=request.remote_addr, keep=mine)
        except InvalidInput as exc:
            apply_service_errors(form, exc.field_errors)
        else:
            db.session.commit()
            session.pop(RESET_SESSION_KEY, None)
            flash(_("Uw wachtwoord is gewijzigd. Log in met uw nieuwe wachtwoord."), "ok")
            return redirect(url_for("account.login"))
    return render_template("account/reset_password.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            accounts.update_profile(current_user, form.name.data, form.locale.data, ip=request.remote_addr)
        except InvalidInput as exc:
            apply_service_errors(form, exc.field_errors)
        else:
            db.session.commit()
            remember_choice(form.locale.data)  # the profile's language is also the latest explicit choice
            flash(_("Uw profiel is opgeslagen."), "ok")
            return redirect(url_for("account.profile"))
    owned, joined = owned_and_joined(current_user.organisation)
    return render_template("account/profile.html", form=form, owned=owned, joined=joined)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every other session of the account; this one stays logged in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current_password.data, form.password.data, current_session(), request.remote_addr
            )
        except InvalidInput as exc:
            db.session.commit()  # the refused attempt is audited
            apply_service_errors(form, exc.field_errors)
        else:
            db.session.commit()
            flash(_("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."), "ok")
            return redirect(url_for("account.profile"))
    return render_template("account/change_password.html", form=form)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        abort(404)
    return redirect(url_for("account.profile"))
