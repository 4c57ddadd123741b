"""The site under a crowd, and under a crowd plus an attacker: gunicorn workers on loopback.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 3] [--think 1.0]
                                   [--phase all|crowd|saturation|attack]

Sets up a fresh data folder the way `scripts/run.sh` does (migrations, the demo pilots, the search index
and the similarity model), adds verified member accounts, starts `gunicorn -w WORKERS wsgi:app` on
127.0.0.1, logs everyone in (not timed) and runs three phases of the same length:

1. **crowd**: USERS simulated people, each logged in, looping over pilot pages, lists, searches, a draft's
   similar pilots (`POST /api/v1/similar`, as the editor does while typing), edits and comments in a pilot's
   discussion (`POST /pilots/<slug>/reacties`), pausing about THINK
   seconds between steps (uniform 0.5-1.5 x THINK);
2. **saturation**: the same people asking only for pilot pages, without pauses: the most page views per
   second the workers give on this machine, and the CPU each costs;
3. **crowd + attacker**: phase 1 while an attacker repeats the first round's denial-of-service findings:
   H1 a pilot saved as one 54,400-character word (its page and every page's similar pilots), H2 three
   anonymous 55 kB `POST /api/v1/similar` loops, H3 `POST /pilots/preview` with "[" x 20,000 (and the
   same saved in a pilot), M3 the diff of two large one-line revisions.

Prints, per phase, p50/p95 per action, requests per second, the 5xx count, and the CPU the gunicorn
processes used per request (user + system time from /proc, reaped workers included), so the cost of a
page can be followed from run to run. The load generator runs on the same cores. The attacker's own answers
are counted apart (a 429 or 413 for them is the defence working). Not a test: figures go to bench/results/
and the README.
"""

# ruff: noqa: S311, S603 -- a fixed test password, seeded random people, it starts our own server

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
from load_client import BASE_REV, CSRF_INPUT, PASSWORD, Client, Tally, first_group, timed

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SEARCHES = ["parkeren", "jeugdhulp", "chatbot", "afval container", "wmo", "energie", "vergunning",
            "overlijdensaangifte", "data", "schuldhulp", "parkeervergunning", "duurzaam"]  # fmt: skip
DRAFT = ("Wij willen met een chatbot inwoners helpen bij vragen over afval en de ondergrondse containers. "
         "De gemeente meet hoe vaak containers vol zijn met sensoren.")  # fmt: skip
H2_BODY = ('{"title": "t", "summary": "s", "body": "' + "parkeervergunning " * 3_100 + '"}').encode()  # 55 kB

PEOPLE = ["view"] * 41 + ["list"] * 10 + ["search"] * 25 + ["similar"] * 12 + ["edit"] * 8 + ["comment"] * 4


def crowd_user(client: Client, slugs: list[str], until: float, tally: Tally, seed: int, think: float) -> None:
    """One logged-in person doing what people do, pausing about `think` seconds between steps (0: none, and
    then only pilot pages: the saturation run that finds the most page views per second)."""
    rng = random.Random(seed)
    actions = PEOPLE if think else ["view"]
    while time.time() < until:
        if think:
            time.sleep(rng.uniform(0.5, 1.5) * think)
        action = rng.choice(actions)
        slug = rng.choice(slugs)
        if action == "view":
            timed(tally, "pilot page", lambda s=slug: client.request("GET", f"/pilots/{s}")[:2])
        elif action == "list":
            timed(tally, "pilot list", lambda: client.request("GET", f"/pilots?page={rng.randint(1, 3)}")[:2])
        elif action == "search":
            q = urlencode({"q": rng.choice(SEARCHES)})
            timed(tally, "search", lambda q=q: client.request("GET", f"/search?{q}")[:2])
        elif action == "similar":
            body = f'{{"title": "Slimme afvalcontainers", "summary": "", "body": "{DRAFT} {rng.random()}"}}'.encode()
            timed(
                tally, "similar (draft)",
                lambda b=body: client.request("POST", "/api/v1/similar", b, {"Content-Type": "application/json"})[:2],
            )  # fmt: skip
        elif action == "comment":
            comment_once(client, slug, tally, rng)
        else:
            edit_once(client, slug, tally, rng)


def comment_once(client: Client, slug: str, tally: Tally, rng: random.Random) -> None:
    """Post a comment in the pilot's discussion with the page's CSRF token (the page view is not timed)."""
    token = client.csrf(f"/pilots/{slug}")
    fields = {"csrf_token": token, "body": f"Hoe hebben jullie dit aangepakt? Vraag {rng.randint(1, 10**6)}."}
    timed(tally, "comment", lambda: client.form(f"/pilots/{slug}/reacties", fields))


def edit_once(client: Client, slug: str, tally: Tally, rng: random.Random) -> None:
    """Open the edit form, add a line, save (a stale base is merged by the server)."""
    text = timed(tally, "edit form", lambda: client.request("GET", f"/pilots/{slug}/edit")[:2])
    token, base = first_group(CSRF_INPUT, text), BASE_REV.search(text)
    title = re.search(r'id="title"[^>]*value="([^"]*)"', text)
    body = re.search(r'<textarea[^>]*id="body"[^>]*>\n?(.*?)</textarea>', text, re.S)
    if not (token and base and title and body):
        return
    fields = {
        "csrf_token": token, "base_revision": base.group(1), "title": html.unescape(title.group(1)),
        "summary": "", "body": html.unescape(body.group(1)) + f"\n\nAanvulling {rng.randint(1, 10**6)}.\n",
        "status": "lopend", "themes": ["data"], "tags": "", "edit_summary": "aanvulling",
    }  # fmt: skip
    summary = re.search(r'<textarea[^>]*id="summary"[^>]*>\n?(.*?)</textarea>', text, re.S)
    if summary:
        fields["summary"] = html.unescape(summary.group(1))
    timed(tally, "save edit", lambda: client.form(f"/pilots/{slug}/edit", fields))


def attacker(port: int, email: str, slugs: dict[str, str], until: float, tally: Tally, kind: str) -> None:
    """Repeat one denial-of-service finding until the phase ends."""
    client = Client(port)
    if kind in ("h1 page", "h3 page", "m3 diff"):
        client.login(email)
    while time.time() < until:
        if kind == "h2 similar":
            timed(tally, kind, lambda: client.request(
                "POST", "/api/v1/similar", H2_BODY, {"Content-Type": "application/json"})[:2])  # fmt: skip
        elif kind == "h3 preview":
            token = client.csrf("/pilots")
            timed(tally, kind, lambda t=token: client.form("/pilots/preview", {"body": "[" * 20_000, "csrf_token": t}))
        elif kind == "h1 page":
            timed(tally, kind, lambda: client.request("GET", f"/pilots/{slugs['h1']}")[:2])
        elif kind == "h3 page":
            timed(tally, kind, lambda: client.request("GET", f"/pilots/{slugs['h3']}")[:2])
        else:
            timed(tally, kind, lambda: client.request("GET", f"/pilots/{slugs['m3']}/diff?from=2&to=3")[:2])


def plant_attack_pages(port: int, email: str, slugs: list[str]) -> dict[str, str]:
    """The attacker's saves: the long word (H1), the brackets (H3), two long one-line revisions (M3)."""
    client = Client(port)
    client.login(email)
    h1, h3, m3 = slugs[0], slugs[1], slugs[2]
    rng = random.Random(7)
    words = ["gemeente", "inwoners", "parkeren", "vergunning", "afval", "container", "wijk", "zorg", "data"]
    bodies = {
        h1: ["parkeervergunning" * 3_200],
        h3: ["[" * 20_000],
        m3: [" ".join(rng.choice(words) for _ in range(12_000)), " ".join(rng.choice(words) for _ in range(12_000))],
    }
    for slug, texts in bodies.items():
        for text in texts:
            page = client.request("GET", f"/pilots/{slug}/edit")[1]
            title = re.search(r'id="title"[^>]*value="([^"]*)"', page)
            client.form(
                f"/pilots/{slug}/edit",
                {"csrf_token": first_group(CSRF_INPUT, page), "base_revision": BASE_REV.search(page).group(1),
                 "title": title.group(1) if title else slug, "summary": "Aanval.", "body": text,
                 "status": "idee", "themes": ["data"], "tags": "", "edit_summary": "aanval"},
            )  # fmt: skip
    return {"h1": h1, "h3": h3, "m3": m3}


def cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn: the master, its live workers, and the workers it has reaped
    (a worker killed by the timeout is counted in the master's children times once reaped)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in [master, *map(int, children)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        if pid == master:
            total += int(fields[13]) + int(fields[14])
    return total / os.sysconf("SC_CLK_TCK")


def logged_in(port: int, emails: list[str], slugs: list[str]) -> list[Client]:
    """The crowd's browsers, logged in and warmed up (every worker has loaded the index and the model)."""
    clients = []
    for i, email in enumerate(emails):
        client = Client(port)
        client.login(email)
        client.request("GET", f"/pilots/{slugs[i % len(slugs)]}")
        client.request("GET", "/search?" + urlencode({"q": SEARCHES[i % len(SEARCHES)]}))
        clients.append(client)
    return clients


def run_phase(name: str, port: int, clients: list[Client], slugs: list[str], seconds: float, master: int,
              attack: dict[str, str] | None, attacker_email: str, think: float) -> dict:  # fmt: skip
    crowd, evil = Tally(), Tally()
    until = time.time() + seconds
    threads = [
        threading.Thread(target=crowd_user, args=(c, slugs, until, crowd, i, think), daemon=True)
        for i, c in enumerate(clients)
    ]
    if attack:
        kinds = ["h2 similar"] * 3 + ["h3 preview", "h1 page", "h3 page", "m3 diff"]
        threads += [
            threading.Thread(target=attacker, args=(port, attacker_email, attack, until, evil, k), daemon=True)
            for k in kinds
        ]
    cpu0, t0 = cpu_seconds(master), time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 180)
    elapsed, cpu = time.time() - t0, cpu_seconds(master) - cpu0
    return {"name": name, "crowd": crowd, "attacker": evil, "elapsed": elapsed, "cpu": cpu}


def report(result: dict) -> str:
    crowd: Tally = result["crowd"]
    lines = [
        f"### {result['name']}",
        "",
        "| action | n | p50 ms | p95 ms | 5xx | other non-2xx/3xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    total = 0
    for action, times in sorted(crowd.times.items()):
        arr = np.array(times) * 1000
        st = crowd.statuses[action]
        fivexx = sum(n for s, n in st.items() if s >= 500)
        other = sum(n for s, n in st.items() if 400 <= s < 500)
        total += len(times)
        lines.append(
            f"| {action} | {len(times)} | {np.percentile(arr, 50):.0f} | {np.percentile(arr, 95):.0f} | {fivexx} | {other} |"
        )
    views = len(crowd.times.get("pilot page", []))
    lines += [
        "",
        f"Crowd: {total} requests in {result['elapsed']:.0f} s = **{total / result['elapsed']:.1f} requests/s** "
        f"({views / result['elapsed']:.1f} pilot pages/s); connection errors {crowd.errors}; "
        f"CPU of gunicorn {result['cpu']:.1f} s = **{1000 * result['cpu'] / max(total, 1):.1f} ms CPU per request**.",
    ]
    evil: Tally = result["attacker"]
    if evil.times:
        lines += ["", "| attacker's request | n | p50 ms | p95 ms | statuses |", "|---|---:|---:|---:|---|"]
        for action, times in sorted(evil.times.items()):
            arr = np.array(times) * 1000
            st = ", ".join(f"{s}×{n}" for s, n in sorted(evil.statuses[action].items()))
            lines.append(
                f"| {action} | {len(times)} | {np.percentile(arr, 50):.0f} | {np.percentile(arr, 95):.0f} | {st} |"
            )
    return "\n".join(lines)


def setup(data_dir: Path, users: int) -> tuple[list[str], str]:
    """The run script's steps, then verified accounts for the crowd and one for the attacker."""
    env = {**os.environ, "PILOTSTARTER_DATA_DIR": str(data_dir), "PILOTSTARTER_DEV": "1", "FLASK_APP": "wsgi"}
    flask = str(VENV_BIN / "flask")
    for args in (["init"], ["import-content", "content/pilots"], ["demo-accounts"], ["reindex"]):
        subprocess.run([flask, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    script = (
        "import sys\n"
        "from pilotstarter_web import create_app\n"
        "from pilotstarter_web.extensions import db\n"
        "from pilotstarter_web.services.accounts import create_account\n"
        "from pilotstarter_web.services.organisations import find_organisation\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    codes = ['GM0344', 'GM0599', 'GM0363', 'GM0518', 'GM0153']\n"
        "    for i, email in enumerate(sys.argv[1:]):\n"
        f"        create_account(email, f'Bezoeker {{i}}', {PASSWORD!r}, find_organisation(codes[i % 5]), verified=True)\n"
        "    db.session.commit()\n"
    )
    emails = [f"load{i}@example.nl" for i in range(users)]
    attacker_email = "attacker@example.nl"
    subprocess.run([str(VENV_BIN / "python"), "-c", script, *emails, attacker_email], cwd=ROOT, env=env, check=True)
    return emails, attacker_email


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a person's steps, s")
    parser.add_argument("--phase", choices=["all", "crowd", "saturation", "attack"], default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pilotstarter-load-") as tmp:
        data_dir = Path(tmp)
        print(f"==> setting up {data_dir}", file=sys.stderr)
        emails, attacker_email = setup(data_dir, args.users)
        port = free_port()
        # Everyone comes from 127.0.0.1 here: the per-address login limit would refuse the crowd's own logins.
        env = {**os.environ, "PILOTSTARTER_DATA_DIR": str(data_dir), "PILOTSTARTER_DEV": "1",
               "RATELIMIT_LOGIN": "1000/minute"}  # fmt: skip
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--timeout", "30",
             "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        try:
            _wait_for(port)
            listing = json.loads(Client(port).request("GET", "/api/v1/pilots?per_page=100")[1])
            slugs = [item["slug"] for item in listing["items"]]
            print(f"==> {len(slugs)} pilots, {args.users} users, {args.workers} workers, {args.seconds:.0f} s per phase",
                  file=sys.stderr)  # fmt: skip
            clients = logged_in(port, emails, slugs)
            results = []
            if args.phase in ("all", "crowd"):
                results.append(
                    run_phase(f"crowd ({args.think:g} s between steps)", port, clients, slugs[3:], args.seconds,
                              server.pid, None, "", args.think)
                )  # fmt: skip
            if args.phase in ("all", "saturation"):
                results.append(
                    run_phase("saturation (pilot pages only, no pauses)", port, clients, slugs[3:], args.seconds,
                              server.pid, None, "", 0.0)
                )  # fmt: skip
            if args.phase in ("all", "attack"):
                attack = plant_attack_pages(port, attacker_email, slugs)
                results.append(
                    run_phase(f"crowd ({args.think:g} s between steps) + attacker", port, clients, slugs, args.seconds,
                              server.pid, attack, attacker_email, args.think)
                )  # fmt: skip
            print(f"## Load: {args.users} users, gunicorn -w {args.workers}, {args.seconds:.0f} s per phase, "
                  f"{os.cpu_count()} cores (load generator on the same machine)\n")  # fmt: skip
            for result in results:
                print(report(result) + "\n")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)


def _wait_for(port: int) -> None:
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


if __name__ == "__main__":
    main()
