"""Guesses after the password — two-factor codes, turning it off, new recovery codes, the current password —
share the login's atomic throttle (services/throttle.py: reserve_guess): a parallel burst gets no extra tries,
the audit log is not the counter, and no transaction is open while TOTP or Argon2 runs."""

from __future__ import annotations

import os

import pyotp
import pytest
from sqlalchemy import delete

from pilotstarter_web.database import set_write_intent
from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, User, UserSession
from pilotstarter_web.services import accounts, sessions, two_factor
from pilotstarter_web.services.errors import InvalidInput, Throttled
from tests.factories import PASSWORD, make_user, totp_code
from tests.services.bursts import burst as parallel

IP = "203.0.113.9"


def wrong_code(user: User) -> str:
    return "123456" if totp_code(user) != "123456" else "654321"


def pending_row(user: User) -> UserSession:
    row, _login_id = sessions.start(user, remember=False, ip=IP, user_agent="test", pending_second_factor=True)
    return row


def code_attempt(row_id: int, code: str, ip: str = IP) -> str:
    """'ok', 'wrong' or 'wait', committed as the code-step route does."""
    try:
        two_factor.second_step(db.session.get(UserSession, row_id), code, ip=ip)
    except Throttled:
        outcome = "wait"
    except InvalidInput:
        outcome = "wrong"
    else:
        outcome = "ok"
    db.session.commit()
    return outcome


def test_wrong_codes_back_off_per_account_and_a_right_code_costs_nothing(app, still_clock):
    free = app.config["TWO_FACTOR_CODE_FREE_FAILURES"]
    user = make_user(two_factor=True)
    rows = [pending_row(user).id for _ in range(free + 1)]  # fresh logins: one wrong code each
    db.session.commit()
    assert code_attempt(rows[0], totp_code(user)) == "ok"  # given back: still `free` wrong ones allowed
    assert [code_attempt(row, wrong_code(user)) for row in rows[1:]] == ["wrong"] * free
    with pytest.raises(Throttled) as refused:
        two_factor.second_step(db.session.get(UserSession, pending_row(user).id), totp_code(user), ip=IP)
    assert refused.value.retry_after == 1


def test_the_current_password_check_backs_off_and_deleting_the_audit_log_does_not_reset_it(app, still_clock):
    free = app.config["PASSWORD_CHECK_FREE_FAILURES"]
    user = make_user()
    db.session.commit()
    for _ in range(free):
        with pytest.raises(InvalidInput):
            accounts.change_password(user, "geraden-123", "een-nieuw-wachtwoord", keep=None, ip=IP)
        db.session.commit()
    db.session.execute(delete(AuditEvent))
    db.session.commit()
    with pytest.raises(Throttled):
        accounts.change_password(user, PASSWORD, "een-nieuw-wachtwoord", keep=None, ip=IP)


def test_guesses_at_many_accounts_from_one_ip_are_slowed_down(app, monkeypatch, still_clock):
    monkeypatch.setitem(app.config, "GUESS_IP_FREE_FAILURES", 3)
    users = [make_user(two_factor=True) for _ in range(4)]
    db.session.commit()
    for user in users[:3]:
        with pytest.raises(InvalidInput):
            two_factor.renew_recovery_codes(user, "geraden-123", ip=IP)
        db.session.commit()
    with pytest.raises(Throttled):
        accounts.change_password(users[3], PASSWORD, "een-nieuw-wachtwoord", keep=None, ip=IP)
    db.session.rollback()
    accounts.change_password(users[3], PASSWORD, "een-nieuw-wachtwoord", keep=None, ip="198.51.100.1")


def test_no_transaction_is_open_while_codes_and_passwords_are_checked(app, monkeypatch):
    """On SQLite a POST's transaction takes the write lock: TOTP and Argon2 must run outside any transaction."""
    seen: list[tuple[str, bool]] = []
    real_otp, real_matches = pyotp.TOTP.generate_otp, accounts.password_matches

    def generate_otp(self, step):
        seen.append(("totp", db.session().in_transaction()))
        return real_otp(self, step)

    def password_matches(password_hash, password):
        seen.append(("argon2", db.session().in_transaction()))
        return real_matches(password_hash, password)

    user = make_user(two_factor=True)
    codes = two_factor._new_recovery_codes(user)
    row_ids = [pending_row(user).id for _ in range(3)]
    wrong = wrong_code(user)
    db.session.commit()
    monkeypatch.setattr(pyotp.TOTP, "generate_otp", generate_otp)
    monkeypatch.setattr(accounts, "password_matches", password_matches)
    monkeypatch.setattr(two_factor, "password_matches", password_matches)
    set_write_intent(True)  # as a POST declares
    try:
        assert code_attempt(row_ids[0], wrong) == "wrong"
        assert code_attempt(row_ids[1], codes[0]) == "ok"
        with pytest.raises(InvalidInput):
            two_factor.disable(db.session.get(User, user.id), "geraden-123", "", keep=None, ip=IP)
        db.session.commit()
        with pytest.raises(InvalidInput):
            two_factor.renew_recovery_codes(db.session.get(User, user.id), "geraden-123", ip=IP)
        db.session.commit()
        with pytest.raises(InvalidInput):
            accounts.change_password(db.session.get(User, user.id), "geraden-123", "nieuw-nieuw-1", keep=None, ip=IP)
        db.session.commit()
    finally:
        set_write_intent(False)
    assert {kind for kind, _open in seen} == {"totp", "argon2"}
    assert not any(open_ for _kind, open_ in seen), seen


def burst(app, row_ids: list[int], code: str) -> list[str]:
    """Each row id's code sent at once, as parallel code-step requests."""
    attempts = [lambda row_id=row_id: code_attempt(row_id, code) for row_id in row_ids]
    return parallel(app, attempts, ("throttle_counters", "audit_events", "user_sessions"))


def test_a_parallel_burst_of_wrong_codes_gets_no_more_tries_than_allowed(app, monkeypatch, still_clock):
    """20 wrong codes at once, each from its own fresh login: exactly the free failures are checked.
    The old count-from-the-audit-log check let 9 of 4 through on PostgreSQL (TEST_DATABASE_URL)."""
    free = 4
    monkeypatch.setitem(app.config, "TWO_FACTOR_CODE_FREE_FAILURES", free)
    user = make_user(two_factor=True)
    wrong = wrong_code(user)
    results = burst(app, [pending_row(user).id for _ in range(20)], wrong)
    assert results.count("wrong") == free, (results, os.environ.get("TEST_DATABASE_URL"))


def test_a_parallel_burst_on_one_login_gets_no_more_tries_than_the_login_allows(app, monkeypatch, still_clock):
    """The row's own count (TWO_FACTOR_MAX_FAILURES) is one statement too: 20 codes at once on one half-finished
    login, 3 are checked (the last of them ends the login). The ORM's `failed_codes += 1` let 4 through (SQLite)."""
    monkeypatch.setitem(app.config, "TWO_FACTOR_MAX_FAILURES", 3)
    user = make_user(two_factor=True)
    wrong = wrong_code(user)
    row_id = pending_row(user).id
    checked, real_step = [], two_factor._totp_step
    monkeypatch.setattr(two_factor, "_totp_step", lambda secret, code: checked.append(code) or real_step(secret, code))
    results = burst(app, [row_id] * 20, wrong)
    assert len(checked) == 3, results
    assert results.count("wrong") == 2 and results.count("wait") == 18  # the third wrong code: "log in again"
    assert db.session.get(UserSession, row_id).ended_at is not None
