"""Command line: init, import-content, export, reindex, match-saved-searches, create-user, demo-accounts,
demo-scaleup, demo-adoptions, demo-calls, demo-documents, send-mail.

Idempotent, non-zero on failure.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
import yaml
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from .database import set_write_intent
from .extensions import db
from .mail_worker import run_loop
from .models import Pilot, PortfolioMeeting, ScaleUpReview, User
from .services import attachments, mail_outbox, portfolio, saved_search_matching, scaleup, two_factor
from .services.accounts import create_account, user_by_email
from .services.content_export import export_content
from .services.content_format import ORGANISATIONS_FILE
from .services.content_import import import_content
from .services.errors import ServiceError
from .services.fulltext_search import search_service
from .services.matchmaking.similarity import similarity_service
from .services.organisations import find_organisation, load_reference_organisations, read_reference_rows

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


# The scale-up route's demo (`flask demo-scaleup`): demo pilots at every stage and a past meeting with decisions,
# so a newcomer sees the route working. Goes through the real services (audit, timeline, notifications).
# Idempotent: a pilot that was ever routed is left alone, meetings are found by title.
PAST_TITLE = "Portfolio-overleg – vorige ronde"
NEXT_TITLE = "Portfolio-overleg – volgende ronde"
STAFF = "vng@pilotstarter.example"  # the demo account that routes the pilots


def _meeting(staff: User, title: str, day: date) -> PortfolioMeeting:
    found = db.session.scalar(select(PortfolioMeeting).where(PortfolioMeeting.title == title))
    return found or portfolio.create_meeting(staff, day, title)


def _backdate(review: ScaleUpReview, day: date) -> None:
    """A decision of the past meeting carries that meeting's date, as if recorded on the day, and the steps
    before it a week apart before that, so the timeline reads in the order it happened."""
    moment = datetime.combine(day, time(15, 0))
    review.decided_at = moment
    steps = scaleup.timeline(review.pilot)
    for back, step in enumerate(reversed(steps)):
        step.created_at = moment - timedelta(days=7 * back)
    earliest = steps[0].created_at if steps else moment
    if review.nominated_at is not None:
        review.nominated_at = earliest
    if review.flagged_at is not None:
        review.flagged_at = max(earliest, moment - timedelta(days=7 * max(len(steps) - 2, 0)))


def load_scaleup_demo() -> list[str]:
    """Route the demo pilots; returns one line per pilot that changed."""
    staff = user_by_email(STAFF)
    utrecht, rotterdam = user_by_email("utrecht@pilotstarter.example"), user_by_email("rotterdam@pilotstarter.example")
    if staff is None or utrecht is None or rotterdam is None:
        raise click.ClickException("De demo-accounts ontbreken: draai eerst 'flask demo-accounts'.")
    past = _meeting(staff, PAST_TITLE, date.today() - timedelta(days=42))
    upcoming = _meeting(staff, NEXT_TITLE, date.today() + timedelta(days=21))

    def decided(decision: str, rationale: str, follow_up: str = "", questions: str = "") -> Callable[[Pilot], None]:
        def run(p: Pilot) -> None:
            scaleup.schedule(staff, p, past.id)
            _backdate(scaleup.decide(staff, p, decision, rationale, follow_up, questions), past.date)

        return run

    routes: dict[str, list[Callable[[Pilot], object]]] = {
        # wordt opgeschaald: flagged from the suggestions, decided at the past meeting
        "digitale-aangifte-toeristenbelasting-texel": [
            lambda p: scaleup.flag(staff, p, "Vier Waddengemeenten gebruiken het al; veel vraag van kustgemeenten."),
            decided(
                "opschalen",
                "Bewezen in vier gemeenten, open standaarden, lage beheerkosten.",
                "VNG Realisatie maakt er een bouwblok van (Q1)\nTexel levert broncode en DPIA aan",
            ),
        ],
        "parkeervergunning-online-aanvragen": [
            lambda p: scaleup.flag(staff, p, "Drie gemeenten, afgerond, goed geëvalueerd."),
            decided(
                "opschalen", "Elke gemeente met parkeervergunningen heeft hier baat bij.", "Aanbesteding voorbereiden"
            ),
        ],
        # niet nu
        "slimme-ondergrondse-containers": [
            lambda p: scaleup.flag(staff, p, "Interessant voor afvalinzameling in de regio."),
            decided("niet_nu", "De pilot is gestopt; eerst de evaluatie afwachten."),
        ],
        # meer informatie: back to Rotterdam with questions; can be nominated again
        "big-data-pleegzorg-matching": [
            lambda p: scaleup.nominate(
                rotterdam, p, "Minder breakdowns bij plaatsingen in drie gemeenten.", costs="0,5 fte"
            ),
            lambda p: scaleup.flag(staff, p, "Grote maatschappelijke waarde."),
            decided(
                "meer_informatie",
                "Veelbelovend, maar de privacy-onderbouwing ontbreekt.",
                questions="Is er een DPIA? Welke gegevens worden gedeeld en op welke grondslag?",
            ),
        ],
        # geagendeerd for the next meeting
        "voorspellend-onderhoud-bruggen-kademuren": [
            lambda p: scaleup.nominate(
                rotterdam, p, "Sensordata voorspellen onderhoud; Amsterdam en Rotterdam doen mee."
            ),
            lambda p: scaleup.flag(staff, p, "Veel gemeenten met kademuren en bruggen."),
            lambda p: scaleup.schedule(staff, p, upcoming.id),
        ],
        # opschaalbaar, not yet on an agenda
        "rioolsensoren-gericht-onderhoud": [
            lambda p: scaleup.flag(staff, p, "Afgerond met goede resultaten; past bij elke rioolbeheerder."),
        ],
        # teruggestuurd with questions
        "phishing-oefeningen-bewustwording": [
            lambda p: scaleup.flag(staff, p, "Drie gemeenten, afgerond."),
            lambda p: scaleup.send_back(staff, p, "Wat kost een oefenronde per medewerker, en wie voert hem uit?"),
        ],
        # genomineerd: waiting in VNG's queue
        "begrijpelijke-vergunningcheck-dakkapellen": [
            lambda p: scaleup.nominate(
                utrecht, p, "Minder onnodige aanvragen; werkt met het DSO.", "Elke gemeente met een omgevingsloket"
            ),
        ],
    }
    done = []
    for slug, steps in routes.items():
        pilot = db.session.scalar(select(Pilot).where(Pilot.slug == slug, Pilot.deleted_at.is_(None)))
        if pilot is None or pilot.scale_up_state != "geen" or scaleup.current_review(pilot) is not None:
            continue
        for step in steps:
            step(pilot)
        done.append(f"  {slug}: {scaleup.STATE_LABELS[pilot.scale_up_state]}")
    return done


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


def load_demo_documents(directory: Path) -> list[str]:
    """Each manifest item whose pilot exists and lacks the document: (slug, title) added, as "slug: title"."""
    items = yaml.safe_load((directory / "manifest.yaml").read_text("utf-8")) or []
    done = []
    for item in items:
        pilot = db.session.scalar(select(Pilot).where(Pilot.slug == item["pilot"], Pilot.deleted_at.is_(None)))
        path = directory / Path(item["file"]).name  # a name in this folder, never a path from the manifest
        if pilot is not None and attachments.import_document(
            pilot, item["kind"], item["title"], path, item.get("note", "")
        ):
            done.append(f"{pilot.slug}: {item['title']}")
    return done


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

    @app.cli.command("demo-accounts")
    @quiet_setup
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

    @app.cli.command("demo-scaleup")
    @quiet_setup
    def demo_scaleup_command() -> None:
        """Put demo pilots at every stage of the scale-up route, with a past meeting and its decisions."""
        set_write_intent(True)
        done = load_scaleup_demo()
        db.session.commit()
        click.echo("Opschaling (demo): " + (f"{len(done)} pilots op de route gezet." if done else "al aanwezig."))
        for line in done:
            click.echo(line)

    @app.cli.command("demo-adoptions")
    @quiet_setup
    def demo_adoptions_command() -> None:
        """Give the scaled-up demo pilots adopting municipalities at every stage (run after demo-scaleup)."""
        from .demo_adoptions import load_adoption_demo

        set_write_intent(True)
        try:
            done = load_adoption_demo(DEMO_PASSWORD)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        click.echo("Overnames (demo): " + (f"{len(done)} gemeld." if done else "al aanwezig of niets opgeschaald."))
        for line in done:
            click.echo(line)

    @app.cli.command("demo-calls")
    @quiet_setup
    def demo_calls_command() -> None:
        """An open challenge call with submissions and a closed one with its published selection and proposals."""
        from .calls.demo import load_calls_demo

        set_write_intent(True)
        done = load_calls_demo()
        db.session.commit()
        click.echo("Oproepen (demo): " + ("; ".join(done) if done else "al aanwezig."))

    @app.cli.command("demo-documents")
    @click.argument(
        "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), default=CONTENT_DIR / "documents"
    )
    @quiet_setup
    def demo_documents_command(directory: Path) -> None:
        """Put the demo documents of DIRECTORY/manifest.yaml on their demo pilots (once)."""
        set_write_intent(True)
        try:
            done = load_demo_documents(directory)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo("Documenten (demo): " + (f"{len(done)} toegevoegd." if done else "al aanwezig."))

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
