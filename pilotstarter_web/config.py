"""Settings from the environment, so one code base runs on a laptop and in production."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _secret_key(data_dir: Path) -> str:
    """Use SECRET_KEY, else a random key kept in the data folder so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def from_environment() -> dict:
    """Build the Flask config mapping; every value can be overridden by create_app(config)."""
    data_dir = Path(os.environ.get("PILOTSTARTER_DATA_DIR", "instance")).resolve()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'pilotstarter.db'}"
    if database_url.startswith("postgres://"):  # Heroku-style URLs name the old dialect
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    development = _bool("PILOTSTARTER_DEV", default=False)
    return {
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": _secret_key(data_dir),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions: HttpOnly, SameSite=Lax, Secure outside local development; idle and absolute limits.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": not development,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "120"))),
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))),
        "WTF_CSRF_TIME_LIMIT": 3600,
        "PASSWORD_RESET_MAX_AGE": 3600,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", default=True),
        # MAIL_DEFAULT_SENDER is the old name of MAIL_FROM, still read as a fallback.
        "MAIL_FROM": os.environ.get("MAIL_FROM")
        or os.environ.get("MAIL_DEFAULT_SENDER", "Pilotstarter <noreply@pilotstarter.local>"),
        # The mail outbox (services/mail_outbox.py): "thread" sends from a background thread in the server
        # process (started by wsgi.py); anything else leaves it to `flask send-mail --loop`.
        "MAIL_WORKER": os.environ.get("MAIL_WORKER", ""),
        "MAIL_WORKER_INTERVAL": _int("MAIL_WORKER_INTERVAL", 10),  # seconds between looks at the outbox
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 8),  # then the mail is marked failed (kept, retryable)
        "MAIL_RETRY_BASE_SECONDS": _int("MAIL_RETRY_BASE_SECONDS", 60),  # back-off: 1, 2, 4 … minutes
        "MAIL_RETRY_MAX_SECONDS": _int("MAIL_RETRY_MAX_SECONDS", 6 * 3600),
        "MAIL_DIGEST_HOUR": _int("MAIL_DIGEST_HOUR", 7),  # local time (BABEL_DEFAULT_TIMEZONE); weekly on Mondays
        # Links in mails: the worker runs outside any request, and a request's Host header is not to be trusted.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://localhost:5000").rstrip("/"),
        # Where people reach the team behind the site: the contact, privacy and accessibility pages name it.
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "pilotstarter@vng.example"),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "LANGUAGES": ["nl", "en"],
        # Login back-off (services/throttle.py): failures that cost nothing, then waits of 1 s, 2 s, 4 s … capped.
        "LOGIN_PAIR_FREE_FAILURES": _int("LOGIN_PAIR_FREE_FAILURES", 5),
        "LOGIN_IP_FREE_FAILURES": _int("LOGIN_IP_FREE_FAILURES", 30),
        "LOGIN_ACCOUNT_FREE_FAILURES": _int("LOGIN_ACCOUNT_FREE_FAILURES", 20),
        "LOGIN_BACKOFF_MAX_SECONDS": _int("LOGIN_BACKOFF_MAX_SECONDS", 900),
        "LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS": _int("LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS", 60),
        "LOGIN_FAILURE_MEMORY_HOURS": _int("LOGIN_FAILURE_MEMORY_HOURS", 24),
        "LOGIN_KNOWN_PAIR_DAYS": _int("LOGIN_KNOWN_PAIR_DAYS", 90),
        # Rate limits on anonymous writes (rate_limits.py), counted in the database so they hold across workers.
        "RATELIMIT_STORAGE_URI": "pilotstarter-db://",
        "RATELIMIT_SIMILAR": os.environ.get("RATELIMIT_SIMILAR", "30/minute;300/hour"),
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "30/minute"),
        "RATELIMIT_REGISTER": os.environ.get("RATELIMIT_REGISTER", "10/hour"),
        "RATELIMIT_RESET_REQUEST": os.environ.get("RATELIMIT_RESET_REQUEST", "10/hour"),
        "RATELIMIT_PREVIEW": os.environ.get("RATELIMIT_PREVIEW", "60/minute"),
        # Comment writes (post, reply, edit, report) per account, and the mention autocomplete's look-ups.
        "RATELIMIT_COMMENTS": os.environ.get("RATELIMIT_COMMENTS", "10/minute;200/day"),
        "RATELIMIT_MENTIONS": os.environ.get("RATELIMIT_MENTIONS", "60/minute"),
        # Open-data exports (/export/pilots.csv and .json): every visible pilot per request, so counted per client.
        "RATELIMIT_EXPORT": os.environ.get("RATELIMIT_EXPORT", "10/minute;100/hour"),
        # Requests with a personal API token, counted per token (api/auth.py): reads, and writes of any kind.
        "RATELIMIT_API_READ": os.environ.get("RATELIMIT_API_READ", "300/minute"),
        "RATELIMIT_API_WRITE": os.environ.get("RATELIMIT_API_WRITE", "60/minute;1000/day"),
        # Refused tokens per address: each is audited, so guessing is bounded (then 429, not audited).
        "RATELIMIT_API_REJECTED": os.environ.get("RATELIMIT_API_REJECTED", "30/minute"),
        # Trusted reverse proxies in front of the app (X-Forwarded-For hops); 0 = none. Per-IP limits need it.
        "PROXY_FIX_X_FOR": _int("PROXY_FIX_X_FOR", 0),
        # Two-factor login: roles that must use it; how long the code step waits; wrong codes per login.
        "TWO_FACTOR_REQUIRED_ROLES": tuple(
            role.strip()
            for role in os.environ.get("TWO_FACTOR_REQUIRED_ROLES", "vng_staff,admin").split(",")
            if role.strip()
        ),
        "TWO_FACTOR_PENDING_MINUTES": 5,
        "TWO_FACTOR_MAX_FAILURES": 5,
        # Guesses after the password (services/throttle.py: reserve_guess): free wrong two-factor codes and
        # current passwords per account, and free wrong guesses of either per IP; then the login back-off.
        "TWO_FACTOR_CODE_FREE_FAILURES": _int("TWO_FACTOR_CODE_FREE_FAILURES", 10),
        "PASSWORD_CHECK_FREE_FAILURES": _int("PASSWORD_CHECK_FREE_FAILURES", 5),
        "GUESS_IP_FREE_FAILURES": _int("GUESS_IP_FREE_FAILURES", 30),
        "PILOTS_PER_PAGE": 20,
        # The largest request a page sends: a pilot of 200,000 characters (services.pilots.MAX_BODY) plus its
        # other fields. Form-encoded, a 4-byte character takes 12 bytes (%F0%9F%98%80) and JSON escapes it as
        # two \\uXXXX (12 bytes): 2.4 MB at most, so 3 MiB fits any valid pilot. Larger answers 413.
        "MAX_CONTENT_LENGTH": 3 * 1024 * 1024,
        # Documents on an entry (services/attachments.py): one file, and all files of one entry together
        # (every version counts). Upload views accept one file plus 1 MiB of form (uploads.py); larger 413.
        "ATTACHMENT_MAX_BYTES": _int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024),
        "ATTACHMENT_ENTRY_MAX_BYTES": _int("ATTACHMENT_ENTRY_MAX_BYTES", 200 * 1024 * 1024),
        "RATELIMIT_ATTACHMENTS": os.environ.get("RATELIMIT_ATTACHMENTS", "30/hour;200/day"),
    }
