"""The demo commands: demo-accounts, demo-scaleup, demo-adoptions, demo-calls, demo-documents.

They fill a fresh install through the real services (audit, timelines, notifications) so `scripts/run.sh` shows
every route working; each is idempotent. Kept apart from cli.py, which holds the commands an operator runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
import yaml
from flask import Flask
from sqlalchemy import select

from .cli import CONTENT_DIR, quiet_setup
from .database import set_write_intent
from .extensions import db
from .models import Pilot, PortfolioMeeting, ScaleUpReview, User
from .services import attachments, portfolio, scaleup, two_factor
from .services.accounts import create_account, user_by_email
from .services.errors import ServiceError
from .services.organisations import find_organisation

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


def register_demo_cli(app: Flask) -> None:
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
