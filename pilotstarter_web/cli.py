"""Command line: init, import-content, reindex, create-user, demo-accounts. Idempotent, non-zero on failure."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask_migrate import upgrade

from .database import set_write_intent
from .extensions import db
from .services import two_factor
from .services.accounts import create_account, user_by_email
from .services.content_import import import_content
from .services.errors import ServiceError
from .services.fulltext_search import search_service
from .services.matchmaking.similarity import similarity_service
from .services.organisations import find_organisation, load_reference_organisations

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

DEMO_ACCOUNTS = [
    # email, name, organisation, role
    ("admin@pilotstarter.example", "Beheerder Pilotstarter", "vng", "admin"),
    ("vng@pilotstarter.example", "Vera de Vries (VNG)", "vng", "vng_staff"),
    ("utrecht@pilotstarter.example", "Sanne Jansen", "GM0344", "member"),
    ("rotterdam@pilotstarter.example", "Mohamed El Amrani", "GM0599", "member"),
    ("leverancier@pilotstarter.example", "Pieter Bakker", "datalab-noord", "member"),
]
DEMO_PASSWORD = "pilotstarter-demo"  # noqa: S105 -- public demo accounts, printed by the command
# Two-factor secrets of the demo accounts whose role requires it (TWO_FACTOR_REQUIRED_ROLES): public, printed
# by the command, so the demo staff can log in with any authenticator app (or pyotp) on a fresh install.
DEMO_TOTP_SECRETS = {
    "admin@pilotstarter.example": "PILOTSTARTERDEMOBEHEERDERTOTP234",
    "vng@pilotstarter.example": "PILOTSTARTERDEMOVNGSTAFTOTP23456",
}


def register_cli(app: Flask) -> None:
    @app.cli.command("init")
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
    def import_content_command(directory: Path) -> None:
        """Upsert every *.md pilot under DIRECTORY by slug; report errors per file and line."""
        set_write_intent(True)
        report = import_content(directory)
        db.session.commit()
        click.echo(
            f"Pilots: {len(report.created)} nieuw, {len(report.updated)} bijgewerkt, "
            f"{len(report.unchanged)} ongewijzigd, {len(report.errors)} met fouten."
        )
        for err in report.errors:
            click.echo(f"FOUT {err.path}:{err.line}: {err.message}", err=True)
        service = search_service()
        service.sync(timeout=30.0) if service.index.exists() else service.rebuild()
        if report.errors:
            sys.exit(1)

    @app.cli.command("reindex")
    def reindex_command() -> None:
        """Rebuild the search index from the database in a fresh folder and swap it in atomically."""
        service = search_service()
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
        fitted = similarity_service().refit()
        click.echo(f"Vergelijkingsmodel opnieuw berekend: {fitted} pilots.")

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

    @app.cli.command("demo-accounts")
    def demo_accounts_command() -> None:
        """Create the demo accounts (if missing) and print how to log in with them."""
        set_write_intent(True)
        for email, name, code, role in DEMO_ACCOUNTS:
            if user_by_email(email) is None:
                org = find_organisation(code)
                if org is None:
                    raise click.ClickException(f"Organisatie {code} ontbreekt: draai eerst 'flask init'.")
                create_account(email, name, DEMO_PASSWORD, org, role=role, verified=True)
            user = user_by_email(email)
            if two_factor.must_enrol(user) and email in DEMO_TOTP_SECRETS:
                two_factor.enrol_with_secret(user, DEMO_TOTP_SECRETS[email])
        db.session.commit()
        click.echo(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for email, name, code, role in DEMO_ACCOUNTS:
            click.echo(f"  {email:36} {role:10} {name} ({code})")
        enrolled = [(email, key) for email, key in DEMO_TOTP_SECRETS.items() if user_by_email(email).totp_secret == key]
        if enrolled:
            click.echo("Tweestapsverificatie: zet de sleutel in een authenticator-app (tijdgebaseerd, 6 cijfers), of")
            click.echo("  maak een code met: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SLEUTEL').now())\"")
            for email, key in enrolled:
                click.echo(f"  {email:36} sleutel {key}")
