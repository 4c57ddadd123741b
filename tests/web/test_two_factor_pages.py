"""Two-factor login through the pages: enrolment with a QR code, the code step, recovery codes, throttling,
and staff who must enrol before anything else."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select, update

from pilotstarter_web.demo_cli import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, RecoveryCode, UserSession, utcnow
from pilotstarter_web.services.accounts import user_by_email
from tests.factories import PASSWORD, make_user, totp_code
from tests.web.account_helpers import flashes, logged_in, set_cookie_headers


def password_step(client, user, **extra):
    return client.post("/account/login", data={"email": user.email, "password": PASSWORD, **extra})


def actions(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def enrol(client, user) -> list[str]:
    """Turn two-factor login on through the pages; returns the recovery codes shown."""
    assert client.post("/account/two-factor/start").status_code == 302
    done = client.post("/account/two-factor/confirm", data={"code": totp_code(user)})
    assert done.status_code == 200, done.get_data(as_text=True)
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.get_data(as_text=True))


# --- enrolment ------------------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_right_code(client, auth):
    user = make_user()
    auth.login(user)
    profile = client.get("/account/profile").get_data(as_text=True)
    assert 'href="/account/two-factor"' in profile and "staat uit" in profile
    assert "Tweestapsverificatie instellen" in client.get("/account/two-factor").get_data(as_text=True)

    client.post("/account/two-factor/start")
    page = client.get("/account/two-factor")
    html = page.get_data(as_text=True)
    db.session.refresh(user)
    secret = user.totp_secret
    assert page.headers["Cache-Control"] == "no-store"
    assert '<svg role="img" aria-label="QR-code voor uw authenticator-app"' in html
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html  # typed by hand if need be
    assert not user.two_factor_enabled

    wrong = client.post(
        "/account/two-factor/confirm", data={"code": "000000" if totp_code(user) != "000000" else "111111"}
    )
    assert wrong.status_code == 422 and "Deze code klopt niet." in wrong.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.two_factor_enabled and actions("2fa.code_failed") == 1

    done = client.post("/account/two-factor/confirm", data={"code": totp_code(user)})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.get_data(as_text=True))
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    assert len(set(codes)) == 10
    db.session.refresh(user)
    assert user.two_factor_enabled and actions("2fa.enabled") == 1
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(code.replace("-", "") in h for code in codes for h in stored)
    assert "Ongebruikte herstelcodes" in client.get("/account/two-factor").get_data(as_text=True)


def test_turning_it_on_ends_the_other_sessions(app, client, auth):
    user = make_user()
    phone = app.test_client()
    password_step(phone, user)
    auth.login(user)
    enrol(client, user)
    assert logged_in(client) and not logged_in(phone)


# --- the code step --------------------------------------------------------------------------------------


def test_login_takes_two_steps_and_the_password_alone_grants_nothing(app, client):
    user = make_user(two_factor=True, name="Twee Stappen")
    response = password_step(client, user, remember="y")
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/login/code")
    assert set_cookie_headers(response, "remember_token") == []
    assert not logged_in(client)
    assert client.post("/account/profile", data={"name": "Overgenomen", "locale": "nl"}).status_code == 302
    assert client.get("/pilots/new").status_code == 302
    with client.session_transaction() as session:  # the pending login's id, put where a login's id goes
        session["_user_id"] = session["pending_login"]
    assert not logged_in(client)
    db.session.refresh(user)
    assert user.name == "Twee Stappen"

    password_step(client, user, remember="y")
    page = client.get("/account/login/code").get_data(as_text=True)
    assert "Code invullen" in page and 'autocomplete="one-time-code"' in page
    done = client.post("/account/login/code", data={"code": totp_code(user)})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert set_cookie_headers(done, "remember_token")  # "ingelogd blijven" carried through the code step
    assert logged_in(client)
    assert actions("2fa.passed") == 1


def test_a_wrong_code_is_refused_and_audited(client):
    user = make_user(two_factor=True)
    password_step(client, user)
    right = totp_code(user)
    response = client.post("/account/login/code", data={"code": "999999" if right != "999999" else "888888"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Deze code klopt niet." in page and 'aria-invalid="true"' in page and "Controleer het formulier" in page
    assert not logged_in(client) and actions("2fa.code_failed") == 1


def test_a_code_works_only_once(app, client):
    user = make_user(two_factor=True)
    code = totp_code(user)
    password_step(client, user)
    assert client.post("/account/login/code", data={"code": code}).status_code == 302
    other = app.test_client()
    password_step(other, user)
    replay = other.post("/account/login/code", data={"code": code})
    assert replay.status_code == 401 and not logged_in(other)


def test_a_recovery_code_works_once(app, client, auth):
    user = make_user()
    auth.login(user)
    codes = enrol(client, user)
    auth.logout()

    password_step(client, user)
    assert client.post("/account/login/code", data={"code": codes[3].upper().replace("-", " ")}).status_code == 302
    assert logged_in(client) and actions("2fa.recovery_code_used") == 1
    auth.logout()
    password_step(client, user)
    assert client.post("/account/login/code", data={"code": codes[3]}).status_code == 401
    assert not logged_in(client)


def test_the_half_login_expires_within_minutes(app, client):
    user = make_user(two_factor=True)
    password_step(client, user)
    minutes = app.config["TWO_FACTOR_PENDING_MINUTES"]
    db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(minutes=minutes, seconds=1)))
    db.session.commit()
    response = client.post("/account/login/code", data={"code": totp_code(user)})
    assert response.headers["Location"].startswith("/account/login")
    assert "Uw inlogpoging is verlopen." in flashes(client, response)
    assert not logged_in(client)


def test_after_five_wrong_codes_a_fresh_login_is_needed(app, client):
    user = make_user(two_factor=True)
    password_step(client, user)
    wrong = "123456" if totp_code(user) != "123456" else "654321"
    for _ in range(app.config["TWO_FACTOR_MAX_FAILURES"] - 1):
        assert client.post("/account/login/code", data={"code": wrong}).status_code == 401
    last = client.post("/account/login/code", data={"code": wrong})
    assert "Te veel onjuiste codes. Log opnieuw in." in flashes(client, last)
    after = client.post("/account/login/code", data={"code": totp_code(user)})  # even the right code
    assert after.status_code == 302 and not logged_in(client)

    password_step(client, user)
    assert client.post("/account/login/code", data={"code": totp_code(user)}).status_code == 302
    assert logged_in(client)


def test_fresh_logins_do_not_buy_endless_guesses(app, client, still_clock):
    user = make_user(two_factor=True)
    wrong = "123456" if totp_code(user) != "123456" else "654321"
    for _ in range(app.config["TWO_FACTOR_CODE_FREE_FAILURES"] // (app.config["TWO_FACTOR_MAX_FAILURES"] - 1) + 1):
        password_step(client, user)
        for _ in range(app.config["TWO_FACTOR_MAX_FAILURES"] - 1):
            client.post("/account/login/code", data={"code": wrong})
    password_step(client, user)
    blocked = client.post("/account/login/code", data={"code": totp_code(user)})
    assert "Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw." in flashes(client, blocked)
    assert not logged_in(client)


# --- turning it off -------------------------------------------------------------------------------------


def test_members_turn_it_off_with_their_password(client, auth):
    user = make_user(two_factor=True)
    auth.login(user)
    refused = client.post("/account/two-factor/disable", data={"password": "niet-het-wachtwoord", "code": ""})
    assert refused.status_code == 422 and "Vul uw wachtwoord of een geldige code in." in refused.get_data(as_text=True)
    done = client.post("/account/two-factor/disable", data={"password": PASSWORD, "code": ""})
    assert "Tweestapsverificatie staat uit." in flashes(client, done)
    db.session.refresh(user)
    assert not user.two_factor_enabled and user.totp_secret is None and actions("2fa.disabled") == 1
    auth.logout()
    assert password_step(client, user).headers["Location"] == "/"  # one step again


def test_staff_cannot_turn_it_off(client, auth, two_factor_required):
    staff = make_user("vng", role="vng_staff", two_factor=True)
    auth.login(staff)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "u kunt die niet uitzetten" in page and "two-factor/disable" not in page
    assert client.post("/account/two-factor/disable", data={"password": PASSWORD}).status_code == 403
    db.session.refresh(staff)
    assert staff.two_factor_enabled


# --- staff must enrol -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["vng_staff", "admin"])
def test_staff_without_two_factor_are_sent_to_enrolment_and_can_do_nothing_else(
    client, auth, role, two_factor_required
):
    pending = make_user(verified=False)
    staff = make_user("vng", role=role)
    landing = auth.login(staff)
    sent = client.get(landing.headers["Location"])
    assert sent.status_code == 302 and sent.headers["Location"] == "/account/two-factor"
    assert "Voor uw rol is tweestapsverificatie verplicht. Stel die eerst in." in flashes(client, sent)
    for path in ("/admin/accounts", "/portfolio", "/account/profile", "/account/sessions"):
        assert client.get(path).headers["Location"] == "/account/two-factor", path
    assert client.post(f"/admin/accounts/{pending.id}/verify").headers["Location"] == "/account/two-factor"
    db.session.refresh(pending)
    assert not pending.verified

    enrol(client, staff)
    assert client.get("/admin/accounts").status_code == 200
    auth.logout()
    assert auth.login(staff).headers["Location"] == "/"  # AuthActions filled in the code step
    assert client.get("/admin/accounts").status_code == 200


def test_members_are_not_forced(client, auth, two_factor_required):
    auth.login(make_user())
    assert client.get("/account/profile").status_code == 200


def test_demo_staff_are_enrolled_with_the_printed_secret(runner, client, two_factor_required):
    result = runner.invoke(args=["demo-accounts"])
    assert result.exit_code == 0, result.output
    for email, secret in DEMO_TOTP_SECRETS.items():
        assert re.search(rf"{re.escape(email)}\s+sleutel {secret}", result.output)
        user = user_by_email(email)
        assert user.two_factor_enabled and user.totp_secret == secret
        client.post("/account/login", data={"email": email, "password": DEMO_PASSWORD})
        done = client.post("/account/login/code", data={"code": pyotp.TOTP(secret).now()})
        assert done.headers["Location"] == "/" and client.get("/admin/accounts").status_code == 200
        client.post("/account/logout")
    assert runner.invoke(args=["demo-accounts"]).output == result.output


def test_a_borrowed_session_cannot_guess_its_way_to_turning_it_off(app, client, auth, still_clock):
    user = make_user(two_factor=True)
    auth.login(user)
    for _ in range(app.config["PASSWORD_CHECK_FREE_FAILURES"]):
        assert (
            client.post("/account/two-factor/disable", data={"password": "geraden-123", "code": "123456"}).status_code
            == 422
        )
    blocked = client.post("/account/two-factor/disable", data={"password": PASSWORD, "code": ""})
    assert blocked.status_code == 429 and "Te veel mislukte pogingen." in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "1"
    db.session.refresh(user)
    assert user.two_factor_enabled


def test_new_recovery_codes_replace_the_old_ones(client, auth):
    user = make_user()
    auth.login(user)
    old = enrol(client, user)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert page.count('id="renew-password"') == 1 and page.count('id="password"') == 1  # two forms, unique ids
    wrong = client.post("/account/two-factor/recovery-codes", data={"renew-password": "niet-het-wachtwoord"})
    assert wrong.status_code == 422 and "Uw wachtwoord klopt niet." in wrong.get_data(as_text=True)
    done = client.post("/account/two-factor/recovery-codes", data={"renew-password": PASSWORD})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old) and actions("2fa.recovery_codes_renewed") == 1
    auth.logout()
    password_step(client, user)
    assert client.post("/account/login/code", data={"code": old[0]}).status_code == 401
    assert client.post("/account/login/code", data={"code": new[0]}).status_code == 302
