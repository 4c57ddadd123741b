"""Demo content for the scale-up route: demo pilots at every stage and a past meeting with decisions, so a
newcomer sees the route working. Goes through the real services (audit, timeline, notifications).

Idempotent: a pilot that was ever routed is left alone, meetings are found by title.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import click
from sqlalchemy import select

from ..database import set_write_intent
from ..extensions import db
from ..models import Pilot, PortfolioMeeting, ScaleUpReview, User
from ..services import portfolio, scaleup
from ..services.accounts import user_by_email
from . import bp

PAST_TITLE = "Portfolio-overleg – vorige ronde"
NEXT_TITLE = "Portfolio-overleg – volgende ronde"
STAFF = "vng@pilotstarter.example"


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


def load_demo() -> list[str]:
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


@bp.cli.command("demo-scaleup")
def demo_scaleup_command() -> None:
    """Put demo pilots at every stage of the scale-up route, with a past meeting and its decisions."""
    set_write_intent(True)
    done = load_demo()
    db.session.commit()
    click.echo("Opschaling (demo): " + (f"{len(done)} pilots op de route gezet." if done else "al aanwezig."))
    for line in done:
        click.echo(line)
