"""Login back-off (services/throttle.py): per (address, IP) strictly, per IP and per account loosely,
atomic under a parallel burst, and no database lock held while Argon2 runs."""

from __future__ import annotations

import os
import sqlite3

import pytest
from sqlalchemy import delete, func, literal, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent
from pilotstarter_web.services import accounts, audit, throttle
from pilotstarter_web.services.errors import InvalidInput, Throttled
from tests.factories import PASSWORD, make_user
from tests.services.bursts import burst

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


def attempt(email: str, password: str, ip: str) -> str:
    """'ok', 'wrong' or 'wait:<seconds>', committed as the login route does."""
    try:
        accounts.authenticate(email, password, ip)
    except Throttled as exc:
        outcome = f"wait:{exc.retry_after}"
    except InvalidInput:
        outcome = "wrong"
    else:
        outcome = "ok"
    db.session.commit()
    return outcome


def test_backoff_doubles_after_the_free_failures_up_to_the_cap_in_python_and_in_sql():
    policy = throttle.Backoff(free=3, cap=20.0)
    assert [policy.delay(n) for n in range(1, 10)] == [0, 0, 1, 2, 4, 8, 16, 20, 20]
    for n in range(0, 12):
        assert db.session.scalar(select(policy.delay_sql(literal(n)))) == policy.delay(n)


def test_failures_wait_longer_and_longer_from_that_ip_and_the_right_password_then_resets(app, clock):
    user = make_user(email="doel@example.nl")
    free = app.config["LOGIN_PAIR_FREE_FAILURES"]
    assert [attempt(user.email, "fout-fout-fout", ATTACKER) for _ in range(free)] == ["wrong"] * free
    assert attempt(user.email, PASSWORD, ATTACKER) == "wait:1"  # even the right password waits its turn
    clock.now += 1
    assert attempt(user.email, "fout-fout-fout", ATTACKER) == "wrong"
    assert attempt(user.email, "fout-fout-fout", ATTACKER) == "wait:2"
    clock.now += 2
    assert attempt(user.email, "fout-fout-fout", ATTACKER) == "wrong"
    assert attempt(user.email, PASSWORD, ATTACKER) == "wait:4"
    clock.now += 4
    assert attempt(user.email, PASSWORD, ATTACKER) == "ok"
    assert attempt(user.email, "fout-fout-fout", ATTACKER) == "wrong"  # the pair starts afresh after a success
    assert attempt(user.email, "fout-fout-fout", ATTACKER) == "wrong"


def test_someone_elses_failures_do_not_keep_the_owner_out(app, clock):
    user = make_user(email="doel@example.nl")
    for _ in range(app.config["LOGIN_PAIR_FREE_FAILURES"] + 5):
        attempt(user.email, "fout-fout-fout", ATTACKER)
    assert attempt(user.email, "fout-fout-fout", ATTACKER).startswith("wait:")
    assert attempt(user.email, PASSWORD, OWNER) == "ok"


def test_a_distributed_attack_on_one_account_is_slowed_a_little_and_the_known_owner_not_at_all(app, clock):
    user = make_user(email="doel@example.nl")
    assert attempt(user.email, PASSWORD, OWNER) == "ok"  # the owner has logged in from here before
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    for n in range(free):
        assert attempt(user.email, "fout-fout-fout", f"192.0.2.{n}") == "wrong"
    assert attempt(user.email, "fout-fout-fout", "192.0.2.200") == "wait:1"
    for _ in range(10):  # the account's wait never grows past its low cap
        clock.now += 3600
        attempt(user.email, "fout-fout-fout", "192.0.2.201")
    waited = attempt(user.email, PASSWORD, "192.0.2.202")
    assert waited == f"wait:{app.config['LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS']}"
    assert attempt(user.email, PASSWORD, OWNER) == "ok"


def test_password_spraying_from_one_ip_is_slowed_down(app, clock):
    free = app.config["LOGIN_IP_FREE_FAILURES"]
    for n in range(free):
        assert attempt(f"slachtoffer{n}@example.nl", "Zomer2026!", ATTACKER) == "wrong"
    assert attempt("nog-een@example.nl", "Zomer2026!", ATTACKER) == "wait:1"
    assert attempt("nog-een@example.nl", "Zomer2026!", OWNER) == "wrong"  # other IPs are not affected


def test_failures_are_forgotten_after_the_memory_window(app, clock):
    user = make_user()
    for _ in range(app.config["LOGIN_PAIR_FREE_FAILURES"]):
        attempt(user.email, "fout-fout-fout", ATTACKER)
    clock.now += 3600 * app.config["LOGIN_FAILURE_MEMORY_HOURS"] + 1
    for _ in range(app.config["LOGIN_PAIR_FREE_FAILURES"]):
        assert attempt(user.email, "fout-fout-fout", ATTACKER) == "wrong"


def test_the_throttle_does_not_count_from_the_audit_log(app, clock):
    user = make_user()
    for _ in range(app.config["LOGIN_PAIR_FREE_FAILURES"]):
        attempt(user.email, "fout-fout-fout", ATTACKER)
    db.session.execute(delete(AuditEvent))
    db.session.commit()
    assert attempt(user.email, PASSWORD, ATTACKER) == "wait:1"
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert events == ["login.throttled"]


def test_a_password_typed_as_the_address_is_not_kept_in_the_audit_log(clock):
    make_user(email="echt@example.nl")
    attempt("Geheim-Wachtwoord-123", "x", ATTACKER)
    attempt("echt@example.nl", "x", ATTACKER)
    stored = db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == "login.failed").order_by(AuditEvent.id)
    ).all()
    assert stored == [audit.REDACTED, "echt@example.nl"]
    assert not db.session.scalar(select(func.count()).where(AuditEvent.data.cast(db.String).contains("Geheim")))


def test_no_transaction_and_no_write_lock_is_held_while_argon2_runs(app, monkeypatch):
    user = make_user()
    hasher = accounts._hasher()
    seen: list[bool] = []
    real_verify = type(hasher).verify

    def verify(self, hash_, password):
        seen.append(db.session().in_transaction())
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        if url.startswith("sqlite:///"):  # another process could take the write lock right now
            other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            other.close()
        return real_verify(self, hash_, password)

    monkeypatch.setattr(type(hasher), "verify", verify)
    assert attempt(user.email, "fout-fout-fout", ATTACKER) == "wrong"
    assert attempt(user.email, PASSWORD, ATTACKER) == "ok"
    assert seen == [False, False]


@pytest.mark.parametrize("gate", ["account", "pair", "ip"])
def test_a_parallel_burst_gets_no_more_tries_than_allowed(app, monkeypatch, gate):
    """20 attempts at once: exactly the free failures of the gate that binds reach the password check.
    PostgreSQL (TEST_DATABASE_URL) is where the old count-then-insert let 7 of 5 through; SQLite too."""
    free = 4
    for name in ("LOGIN_ACCOUNT_FREE_FAILURES", "LOGIN_PAIR_FREE_FAILURES", "LOGIN_IP_FREE_FAILURES"):
        monkeypatch.setitem(app.config, name, free if name == f"LOGIN_{gate.upper()}_FREE_FAILURES" else 100)
    user = make_user()
    email = user.email  # read here: the workers must not touch this thread's session
    attempts = [lambda: attempt(email, "fout-fout-fout", ATTACKER)] * 20
    results = burst(app, attempts, ("throttle_counters",))
    assert results.count("wrong") == free, (results, os.environ.get("TEST_DATABASE_URL"))
