"""Counters in the database for login back-off and request rate limits: one atomic statement per counter.

Why the database: it is the one store every gunicorn worker and every app host shares (memory storage
counts per process: with 4 workers a "5 per minute" let 20 through). Why one statement: every counter
changes with a single `INSERT … ON CONFLICT DO UPDATE … RETURNING`, which PostgreSQL runs under the
row's lock and SQLite under its write lock, so a parallel burst can never read a stale count and slip past
(the old count-then-insert let a burst of 20 on PostgreSQL have 7 tries instead of 5).

Login back-off (see `reserve_login`): an attempt is *reserved* — counted as a failure — before the
password is checked, in a short transaction the caller commits before Argon2 runs; a success then gives
the attempt back. Three counters gate each attempt:

- pair (address as typed + IP): strict. After LOGIN_PAIR_FREE_FAILURES failures every further attempt waits
  1 s, 2 s, 4 s … up to LOGIN_BACKOFF_MAX_SECONDS. Only the attacker's own IP is slowed down.
- ip: password spraying over many addresses from one IP; a higher threshold (offices share an IP).
- account (address as typed, any IP): against a distributed attack on one account; a high threshold and a
  low cap (LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS), and skipped for an (account, IP) pair that logged in
  successfully before, so someone else's failures never keep the owner out for long.
Counters are forgotten LOGIN_FAILURE_MEMORY_HOURS after the last failure.

Guesses after the password (see `reserve_guess`) — two-factor codes, and the current password asked for
before changing it, renewing recovery codes or turning two-factor login off — use the same reservation and
curve: per account "code" and "password_check", and "guess_ip" for all of them from one IP.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import ColumnElement, Connection, and_, case, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, scoped_session

from ..extensions import db
from ..models import ThrottleCounter

Executor = Session | scoped_session | Connection
T = ThrottleCounter.__table__
LOGIN_GATES = ("account", "pair", "ip")  # always locked in this order, so two attempts never deadlock
BASE_DELAY = 1.0  # seconds: the first wait after the free failures; it doubles with every further failure
clock = time.time  # Unix seconds for login back-off; tests move it forward instead of sleeping
# (rate-limit windows use time.time itself: the `limits` library compares their ends with it)


def counter_key(kind: str, value: str) -> str:
    """An HMAC of the counted value: rows say nothing about addresses, IPs or what was typed."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()


def _upsert(executor: Executor):
    """INSERT … ON CONFLICT for the engine in use (both dialects spell it the same way in SQLAlchemy)."""
    bind = executor if isinstance(executor, Connection) else executor.get_bind()
    return (postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert)(T)


# --- fixed windows for rate limits (the `limits` storage in rate_limits.py) ------------------------------


def hit_window(executor: Executor, key: str, expiry: float, amount: int = 1) -> int:
    """Add `amount` to a fixed-window counter that starts now if the old one ran out; returns the new count."""
    now = time.time()
    row_key = counter_key("rate", key)
    stmt = _upsert(executor).values(kind="rate", key=row_key, count=amount, expires_at=now + expiry, blocked_until=0.0)
    expired = T.c.expires_at <= now
    stmt = stmt.on_conflict_do_update(
        index_elements=[T.c.kind, T.c.key],
        set_={
            "count": case((expired, amount), else_=T.c.count + amount),
            "expires_at": case((expired, now + expiry), else_=T.c.expires_at),
        },
    ).returning(T.c.count)
    return int(executor.execute(stmt).scalar_one())


def window(executor: Executor, key: str) -> tuple[int, float]:
    """(count, end of window) of a rate-limit counter; (0, now) when there is none."""
    now = time.time()
    row = executor.execute(
        select(T.c.count, T.c.expires_at).where(
            T.c.kind == "rate", T.c.key == counter_key("rate", key), T.c.expires_at > now
        )
    ).first()
    return (int(row.count), float(row.expires_at)) if row else (0, now)


def clear_window(executor: Executor, key: str | None = None) -> int:
    """Forget one rate-limit counter, or all of them; returns how many rows went."""
    stmt = delete(T).where(T.c.kind == "rate")
    if key is not None:
        stmt = stmt.where(T.c.key == counter_key("rate", key))
    return executor.execute(stmt).rowcount or 0


def purge_expired(executor: Executor) -> int:
    """Delete rows that no longer mean anything (the table would otherwise keep every key ever seen)."""
    return executor.execute(delete(T).where(T.c.expires_at < clock())).rowcount or 0


# --- login back-off --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    """`free` failures cost nothing; then every further attempt waits BASE_DELAY * 2**k seconds, up to `cap`."""

    free: int
    cap: float

    def delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(BASE_DELAY * 2.0 ** min(failures - self.free, 40), self.cap)

    def blocked_until(self, failures: int, now: float) -> float:
        """0 while attempts are free: a request that read the clock a moment earlier must not be refused."""
        return now + self.delay(failures) if failures >= self.free else 0.0

    def blocked_until_sql(self, failures: ColumnElement[int], now: float) -> ColumnElement[float]:
        return case((failures < self.free, literal(0.0)), else_=now + self.delay_sql(failures))

    def delay_sql(self, failures: ColumnElement[int]) -> ColumnElement[float]:
        """The same function as SQL (a CASE over the few doublings before the cap: portable, no POWER())."""
        steps = [(failures < self.free, literal(0.0))]
        k = 0
        while BASE_DELAY * 2.0**k < self.cap:
            steps.append((failures == self.free + k, literal(BASE_DELAY * 2.0**k)))
            k += 1
        return case(*steps, else_=literal(float(self.cap)))


def login_policies() -> dict[str, Backoff]:
    cfg = current_app.config
    cap = float(cfg["LOGIN_BACKOFF_MAX_SECONDS"])
    return {
        "account": Backoff(cfg["LOGIN_ACCOUNT_FREE_FAILURES"], float(cfg["LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS"])),
        "pair": Backoff(cfg["LOGIN_PAIR_FREE_FAILURES"], cap),
        "ip": Backoff(cfg["LOGIN_IP_FREE_FAILURES"], cap),
    }


@dataclass
class Reservation:
    """The outcome of `reserve_login`: allowed, or the seconds to wait and the counters that said no."""

    allowed: bool
    retry_after: int = 0
    refused: list[str] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # kind -> row key, to give the attempt back


def _login_values(email: str, ip: str | None) -> dict[str, str]:
    ip = ip or "-"
    return {"account": email, "pair": f"{email}\x00{ip}", "ip": ip}


def _is_known(executor: Executor, pair_value: str, now: float) -> bool:
    """Did this address log in successfully from this IP before (within LOGIN_KNOWN_PAIR_DAYS)?"""
    found = executor.execute(
        select(T.c.count).where(T.c.kind == "known", T.c.key == counter_key("known", pair_value), T.c.expires_at > now)
    ).first()
    return found is not None


def _take(executor: Executor, key: str, kind: str, policy: Backoff, now: float, memory: float) -> bool:
    """Count one failure if the counter's wait is over; False (nothing changed) while it must still wait."""
    expired = T.c.expires_at <= now
    failures = case((expired, 1), else_=T.c.count + 1)
    stmt = (
        _upsert(executor)
        .values(kind=kind, key=key, count=1, expires_at=now + memory, blocked_until=policy.blocked_until(1, now))
        .on_conflict_do_update(
            index_elements=[T.c.kind, T.c.key],
            set_={
                "count": failures,
                "expires_at": now + memory,
                "blocked_until": policy.blocked_until_sql(failures, now),
            },
            where=(T.c.blocked_until <= now) | expired,
        )
        .returning(T.c.count)
    )
    return executor.execute(stmt).first() is not None


def reserve_login(email: str, ip: str | None) -> Reservation:
    """Count this login attempt as a failure on each gate, or on none if any gate says wait.

    Runs in the request's session; the caller commits before checking the password, so no database lock is
    held while Argon2 runs. Unknown addresses are counted like known ones: the answer reveals nothing.
    """
    session = db.session
    now = clock()
    memory = 3600.0 * current_app.config["LOGIN_FAILURE_MEMORY_HOURS"]
    values = _login_values(email, ip)
    policies = login_policies()
    gates = [g for g in LOGIN_GATES if g != "account" or not _is_known(session, values["pair"], now)]
    keys = {g: counter_key(g, values[g]) for g in gates}
    if secrets.randbelow(100) == 0:
        purge_expired(session)
    return _reserve(session, {g: (keys[g], policies[g]) for g in gates}, now, memory)


def _reserve(session: Executor, gates: dict[str, tuple[str, Backoff]], now: float, memory: float) -> Reservation:
    """Take one failure on every gate (kind -> row key, policy) in one SAVEPOINT, or on none if any says wait."""
    savepoint = session.begin_nested()
    refused = [kind for kind, (key, policy) in gates.items() if not _take(session, key, kind, policy, now, memory)]
    keys = {kind: key for kind, (key, _policy) in gates.items()}
    if not refused:
        savepoint.commit()
        return Reservation(True, keys=keys)
    savepoint.rollback()  # a refused attempt costs no counter anything: it was never tried
    until = session.execute(
        select(func.max(T.c.blocked_until)).where(T.c.kind.in_(refused), T.c.key.in_([keys[g] for g in refused]))
    ).scalar_one()
    return Reservation(False, retry_after=max(1, math.ceil((until or now) - now)), refused=refused)


def give_back(reservation: Reservation, kinds: tuple[str, ...] | None = None) -> None:
    """Undo the failure counted on these gates (all by default): the guess was right. Never below zero."""
    for kind, key in reservation.keys.items():
        if kinds is None or kind in kinds:
            db.session.execute(
                update(T)
                .where(and_(T.c.kind == kind, T.c.key == key))
                .values(count=case((T.c.count > 0, T.c.count - 1), else_=0))
            )


def login_succeeded(reservation: Reservation, email: str, ip: str | None) -> None:
    """Give the reserved attempt back: the pair starts afresh, account and IP lose the one failure counted.

    The IP and account counters are not reset: an attacker with one real account could otherwise wipe
    the IP's spraying record by logging in to it now and then.
    """
    session = db.session
    now = clock()
    keys = reservation.keys
    session.execute(delete(T).where(T.c.kind == "pair", T.c.key == keys["pair"]))
    give_back(reservation, ("account", "ip"))
    known_key = counter_key("known", _login_values(email, ip)["pair"])
    until = now + 86400.0 * current_app.config["LOGIN_KNOWN_PAIR_DAYS"]
    session.execute(
        _upsert(session)
        .values(kind="known", key=known_key, count=1, expires_at=until, blocked_until=0.0)
        .on_conflict_do_update(index_elements=[T.c.kind, T.c.key], set_={"expires_at": until})
    )


# --- guesses at a secret after the password: two-factor codes and the current password ----------------------

GUESS_GATES = ("code", "password_check", "guess_ip")  # locked in this order, as LOGIN_GATES


def guess_policies() -> dict[str, Backoff]:
    """Codes and current-password checks per account, and every such guess per IP (many borrowed sessions)."""
    cfg = current_app.config
    cap = float(cfg["LOGIN_BACKOFF_MAX_SECONDS"])
    return {
        "code": Backoff(cfg["TWO_FACTOR_CODE_FREE_FAILURES"], cap),
        "password_check": Backoff(cfg["PASSWORD_CHECK_FREE_FAILURES"], cap),
        "guess_ip": Backoff(cfg["GUESS_IP_FREE_FAILURES"], cap),
    }


def reserve_guess(user_id: int, ip: str | None, kinds: tuple[str, ...]) -> Reservation:
    """Count a guess at this account's code and/or password (`kinds`) and from this IP before it is checked.

    As `reserve_login`: one atomic statement per counter, in the caller's transaction, which the caller
    commits before the check runs; `give_back` when the guess was right.
    """
    now = clock()
    memory = 3600.0 * current_app.config["LOGIN_FAILURE_MEMORY_HOURS"]
    policies = guess_policies()
    values = {kind: str(user_id) for kind in kinds} | {"guess_ip": ip or "-"}
    gates = {g: (counter_key(g, values[g]), policies[g]) for g in GUESS_GATES if g in values}
    return _reserve(db.session, gates, now, memory)
