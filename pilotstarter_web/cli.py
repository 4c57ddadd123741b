"""Command line: init, import-content, export, reindex, match-saved-searches, create-user, send-mail, and the
demo commands (demo_cli.py: demo-accounts, demo-scaleup, demo-adoptions, demo-calls, demo-documents).

Idempotent, non-zero on failure.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask
from flask_migrate import upgrade

from .database import set_write_intent
from .extensions import db
from .mail_worker import run_loop
from .services import mail_outbox, saved_search_matching
from .services.accounts import create_account
from .services.content_export import export_content
from .services.content_format import ORGANISATIONS_FILE
from .services.content_import import import_content
from .services.errors import ServiceError
from .services.fulltext_search import search_service
from .services.matchmaking.similarity import similarity_service
from .services.organisations import find_organisation, load_reference_organisations, read_reference_rows

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


def quiet_setup(command: Callable[..., None]) -> Callable[..., None]:
    """A setup command keeps its audit events in the database, not on the terminal: run.sh's output is then
    the few lines a newcomer needs (the demo accounts), not a screenful of ``account.created`` lines."""

    @functools.wraps(command)
    def run(*args, **kwargs) -> None:
        audit_log = logging.getLogger("pilotstarter.audit")
        before = audit_log.level
        audit_log.setLevel(logging.WARNING)
        try:
            command(*args, **kwargs)
        finally:
            audit_log.setLevel(before)

    return run


def register_cli(app: Flask) -> None:
    @app.cli.command("init")
    @quiet_setup
    def init_command() -> None:
        """Create or upgrade the database (Alembic) and load the reference organisations."""
        Path(app.config["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        upgrade()
        set_write_intent(True)
        created, updated = load_reference_organisations(CONTENT_DIR / "organisations")
        db.session.commit()
        click.echo(f"Database is bijgewerkt. Organisaties: {created} nieuw, {updated} gewijzigd.")

    @app.cli.command("import-content")
    @click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @quiet_setup
    def import_content_command(directory: Path) -> None:
        """Upsert every *.md pilot under DIRECTORY by slug; report errors per file and line."""
        set_write_intent(True)
        report = import_content(directory)
        db.session.commit()
        click.echo(
            f"Pilots: {len(report.created)} nieuw, {len(report.updated)} bijgewerkt, "
            f"{len(report.unchanged)} ongewijzigd, {len(report.errors)} met fouten."
        )
        if report.organisations:
            click.echo(f"Organisaties uit {ORGANISATIONS_FILE}: {report.organisations} nieuw.")
        for err in report.errors:
            click.echo(f"FOUT {err.path}:{err.line}: {err.message}", err=True)
        service = search_service()
        service.sync(timeout=30.0) if service.index.exists() else service.rebuild()
        if report.errors:
            sys.exit(1)

    @app.cli.command("export")
    @click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--revisions", is_flag=True, help="Also write every revision to DIRECTORY/revisions/<slug>/.")
    def export_command(directory: Path, revisions: bool) -> None:
        """Write every visible pilot to DIRECTORY/pilots/<slug>.md in the format import-content reads (the same
        database gives the same bytes); `flask import-content DIRECTORY` reads it back."""
        reference = {row.code for row in read_reference_rows(CONTENT_DIR / "organisations")}
        try:
            report = export_content(directory, reference, revisions=revisions)
        except OSError as exc:
            raise click.ClickException(f"Kan niet schrijven in {directory}: {exc}") from exc
        click.echo(
            f"Geëxporteerd naar {directory}: {report.pilots} pilots, {report.revisions} revisies, "
            f"{report.organisations} organisaties buiten de referentielijsten, {report.removed} oude bestanden weg."
        )

    @app.cli.command("reindex")
    @click.option("--if-needed", is_flag=True, help="Skip what already holds every change (run.sh at each start).")
    @quiet_setup
    def reindex_command(if_needed: bool) -> None:
        """Rebuild the search index from the database in a fresh folder and swap it in atomically; refit the
        similarity model. With --if-needed, each is rebuilt only when it is missing or behind the change log."""
        service = search_service()
        if if_needed and service.up_to_date():
            click.echo("Zoekindex is bijgewerkt: niet opnieuw opgebouwd.")
        else:
            _rebuild_index(service)
        if if_needed and similarity_service().up_to_date():
            click.echo("Vergelijkingsmodel is bijgewerkt: niet opnieuw berekend.")
        else:
            fitted = similarity_service().refit()
            click.echo(f"Vergelijkingsmodel opnieuw berekend: {fitted} pilots.")

    def _rebuild_index(service) -> None:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label="Zoekindex opbouwen", show_pos=True)
                bar.__enter__()
            bar.update(done - bar.pos)

        count = service.rebuild(progress=progress)
        if bar is not None:
            bar.__exit__(None, None, None)
        click.echo(f"Zoekindex opnieuw opgebouwd: {count} pilots.")

    @app.cli.command("match-saved-searches")
    def match_saved_searches_command() -> None:
        """Match published pilots still waiting in the outbox against the saved searches (for cron: the
        publishing request normally does this itself; this catches up after a crash or a burst)."""
        set_write_intent(True)
        steps = saved_search_matching.drain()
        click.echo(f"Opgeslagen zoekopdrachten bijgewerkt: {steps} stappen.")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--organisation", "organisation_ref", required=True, help="Code (GM0363, vng) or name.")
    @click.option("--role", type=click.Choice(["member", "vng_staff", "admin"]), default="member")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    def create_user_command(email: str, name: str, organisation_ref: str, role: str, password_stdin: bool) -> None:
        """Create a verified account (for example the first admin)."""
        set_write_intent(True)
        org = find_organisation(organisation_ref)
        if org is None:
            raise click.ClickException(f"Onbekende organisatie: {organisation_ref} (draaide 'flask init' al?)")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
        try:
            create_account(email, name, password, org, role=role, verified=True)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo(f"Account {email} ({role}, {org.name}) is aangemaakt.")

    from .demo_cli import register_demo_cli  # here: demo_cli uses quiet_setup from this module

    register_demo_cli(app)

    @app.cli.command("send-mail")
    @click.option("--loop", is_flag=True, help="Keep running: send new mail as it is queued (Ctrl-C stops).")
    def send_mail_command(loop: bool) -> None:
        """Send the mail outbox: due mails and digests, with retries; without --loop once, then exit."""
        if loop:
            stop = threading.Event()
            click.echo(f"Mail wordt verstuurd; elke {app.config['MAIL_WORKER_INTERVAL']} s gekeken (Ctrl-C stopt).")
            try:
                run_loop(app, stop)
            except KeyboardInterrupt:
                stop.set()
            return
        report = mail_outbox.drain()
        click.echo(
            f"E-mail: {report.sent} verstuurd, {report.retrying} later opnieuw, {report.failed} mislukt, "
            f"{report.digests} samenvattingen aangemaakt."
        )
