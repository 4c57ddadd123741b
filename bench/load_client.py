"""The load benchmark's simulated browser (a cookie jar over http.client) and its tallies of answers."""

# ruff: noqa: S105 -- the fixed password of the benchmark's own accounts

from __future__ import annotations

import http.client
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

PASSWORD = "load-test-password-1"
CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
BASE_REV = re.compile(r'name="base_revision" type="hidden" value="(\d+)"')


class Client:
    """One person's browser: a cookie jar over http.client (a new connection when the server closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header, value in resp.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, data.decode("utf-8", "replace"), resp

    def form(self, path: str, fields: dict) -> tuple[int, str]:
        status, text, _resp = self.request(
            "POST", path, urlencode(fields, doseq=True).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        return status, text

    def csrf(self, path: str = "/") -> str:
        _status, text, _resp = self.request("GET", path)
        found = CSRF_META.search(text)
        return found.group(1) if found else ""

    def login(self, email: str) -> None:
        token = self.csrf("/account/login")
        status, text = self.form("/account/login", {"email": email, "password": PASSWORD, "csrf_token": token})
        if status not in (302, 303):
            raise SystemExit(f"login of {email} failed: {status} {text[:300]}")


@dataclass
class Tally:
    """Latencies (s) per action and status counts, shared by the threads of one phase."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, seconds: float, status: int) -> None:
        with self.lock:
            self.times[action].append(seconds)
            self.statuses[action][status] += 1


def timed(tally: Tally, action: str, call) -> str:
    started = time.perf_counter()
    try:
        status, text = call()
    except OSError:
        with tally.lock:
            tally.errors += 1
        return ""
    tally.add(action, time.perf_counter() - started, status)
    return text


def first_group(pattern: re.Pattern, text: str) -> str:
    """The first non-empty group of the first match, or "" (a form field's value in a page)."""
    found = pattern.search(text)
    return next((g for g in found.groups() if g), "") if found else ""
