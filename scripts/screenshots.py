"""Remake the screenshots in docs/screenshots/: the main pages at 1280 px and at 375 px (a phone).

Starts the site as scripts/run.sh does, but on a temporary data folder (the demo content, demo accounts and the
scale-up demo), drives Debian's Chromium with Playwright, and stops the site again. Each picture is one screen
high, so the set stays small (it is checked in).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pilotstarter_web.demo_cli import DEMO_PASSWORD, DEMO_TOTP_SECRETS, NEXT_TITLE  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

WIDTHS = {1280: 800, 375: 667}  # viewport width -> height: a laptop and a small phone (iPhone SE)
STAFF, MEMBER = "vng@pilotstarter.example", "utrecht@pilotstarter.example"
PILOT = "parkeervergunning-online-aanvragen"
# A reworded copy of the demo's overlijdensaangifte pilots: the panel "Lijkt op bestaande pilots" shows it.
DRAFT = (
    "Overlijdensaangifte digitaal door uitvaartondernemers",
    "Aangifte van overlijden online.",
    "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek.",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> None:
    """One `flask` command of the set-up; its output is shown only when it fails."""
    command = [sys.executable, "-m", "flask", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603 -- our own CLI
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@contextmanager
def demo_site(data_dir: str) -> Iterator[str]:
    """The site with the demo content on a free port; yields its base URL and stops it afterwards."""
    env = os.environ | {"PILOTSTARTER_DATA_DIR": data_dir, "PILOTSTARTER_DEV": "1", "FLASK_APP": "wsgi"}
    env.pop("MAIL_SERVER", None)
    print("==> Setting up the demo content in", data_dir)
    for command in (["init"], ["import-content", "content/pilots"], ["demo-accounts"], ["demo-scaleup"], ["reindex"]):
        flask(env, *command)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(Path(data_dir) / "server.log", "w")  # noqa: SIM115 -- closed below
    server = subprocess.Popen(  # noqa: S603 -- our own CLI
        [sys.executable, "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(f"the site did not start; see {log.name}")
                time.sleep(0.5)
        else:
            sys.exit("the site did not answer within a minute")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def log_in(page: Page, email: str) -> None:
    """The real login form; demo staff also fill in the second step with a code from their public secret."""
    page.goto("/account/login")
    main = page.get_by_role("main")
    main.get_by_label("E-mailadres").fill(email)
    main.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    main.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    if "/account/login/code" in page.url:
        page.get_by_role("main").get_by_role("textbox").first.fill(pyotp.TOTP(DEMO_TOTP_SECRETS[email]).now())
        page.get_by_role("main").get_by_role("button").first.click()
    expect(page.get_by_role("button", name="Uitloggen", include_hidden=True)).to_be_attached()


def sessions(browser: Browser, url: str) -> dict[str, dict]:
    """Storage states: anonymous, VNG staff and a member (one login each: a TOTP code counts only once)."""
    states: dict[str, dict] = {"anonymous": {"cookies": [], "origins": []}}
    for name, email in (("staff", STAFF), ("member", MEMBER)):
        context = browser.new_context(base_url=url, locale="nl-NL")
        log_in(context.new_page(), email)
        states[name] = context.storage_state()
        context.close()
    return states


def new_pilot_with_duplicates(page: Page) -> None:
    """The new-pilot form after typing a pilot that exists: the duplicate panel shows (beside or below)."""
    page.goto("/pilots/new")
    main = page.get_by_role("main")
    main.get_by_label("Titel").fill(DRAFT[0])
    main.get_by_label("Beschrijving").fill(DRAFT[2])
    main.get_by_label("Korte samenvatting").press_sequentially(DRAFT[1], delay=5)
    panel = page.locator("#dubbels")
    expect(panel).to_be_visible(timeout=20_000)
    page.wait_for_timeout(600)  # the live preview settles
    if page.viewport_size["width"] < 800:
        panel.scroll_into_view_if_needed()


def edit_conflict(page: Page, other: Page) -> None:
    """Two people change the same sentence; the second to save sees the conflict."""
    page.goto(f"/pilots/{PILOT}/edit")
    body = page.get_by_role("main").get_by_label("Beschrijving")
    text = body.input_value()
    line = next(x for x in text.splitlines() if x.strip() and not x.startswith(("#", "-", "*", "|", ">")))
    other.goto(f"/pilots/{PILOT}/edit")
    theirs = other.get_by_role("main").get_by_label("Beschrijving")
    theirs.fill(text.replace(line, line + " Dit geldt ook voor bezoekers.", 1))
    other.get_by_role("button", name="Wijziging opslaan").click()
    other.wait_for_load_state()
    body.fill(text.replace(line, line + " Bewoners betalen per kwartier.", 1))
    page.get_by_role("button", name="Wijziging opslaan").click()
    page.wait_for_load_state()
    page.get_by_role("main").get_by_role("alert").first.scroll_into_view_if_needed()


def upcoming_meeting(page: Page) -> None:
    page.goto("/portfolio/meetings")
    page.get_by_role("main").get_by_role("link", name=NEXT_TITLE).first.click()
    page.wait_for_load_state()


def shots() -> list[tuple[str, str, str | Callable[..., None]]]:
    """(file name, who, path or a function that brings the page into view)."""
    return [
        ("home", "anonymous", "/"),
        ("pilots", "anonymous", "/pilots"),
        ("search", "anonymous", "/search?q=parkeren"),
        ("pilot", "anonymous", f"/pilots/{PILOT}"),
        ("new-pilot-duplicates", "staff", new_pilot_with_duplicates),
        ("edit-conflict", "staff", edit_conflict),
        ("portfolio", "staff", "/portfolio"),
        ("meeting", "staff", upcoming_meeting),
        ("audit-log", "staff", "/portfolio/audit"),
        ("organisation", "anonymous", "/organisations/GM0344"),
    ]


def take(browser: Browser, url: str, out: Path) -> None:
    states = sessions(browser, url)
    for width, height in WIDTHS.items():
        contexts = {
            who: browser.new_context(
                base_url=url, viewport={"width": width, "height": height}, storage_state=state, locale="nl-NL"
            )
            for who, state in states.items()
        }
        pages = {who: context.new_page() for who, context in contexts.items()}
        for name, who, how in shots():
            page = pages[who]
            if how is edit_conflict:
                edit_conflict(page, pages["member"])
            elif callable(how):
                how(page)
            else:
                page.goto(how)
            target = out / f"{name}-{width}.png"
            page.screenshot(path=str(target))
            print(f"    {target.relative_to(ROOT)}")
        for context in contexts.values():
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="folder for the PNG files")
    out = Path(parser.parse_args().out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pilotstarter-shots-") as data_dir, demo_site(data_dir) as url:
        print("==> Taking screenshots from", url)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                take(browser, url, out)
            finally:
                browser.close()
    total = sum(f.stat().st_size for f in out.glob("*.png"))
    print(f"==> {len(list(out.glob('*.png')))} screenshots, {total / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
