"""`flask demo-calls`: an open call with a submitted and a concept challenge, and a closed call whose selection
is published, with proposals for the selected challenge and one accepted. Goes through the real services
(timeline, audit, notifications). Idempotent: a call that exists (by slug) is left alone."""

from __future__ import annotations

from datetime import date, timedelta

import click
from sqlalchemy import select

from ..extensions import db
from ..models import ChallengeCall, User
from ..services import call_admin, call_proposals, call_scoring, call_submissions, challenges
from ..services.accounts import create_account, user_by_email
from ..services.call_admin import CallData
from ..services.organisations import find_organisation
from ..services.pilots import PilotText

OPEN_CALL = "Oproep challenges 2027: dienstverlening die meebeweegt"
CLOSED_CALL = "Oproep challenges 2026: grip op data"
RESEARCHER = ("onderzoek@innovatielab.example", "Noor Visser", "hogeschool-innovatielab")
CRITERIA = [
    ("Onderscheidend vermogen", 2),
    ("Missie", 1),
    ("Effectiviteit", 2),
    ("Transparantie", 1),
    ("Toekomstplannen", 1),
]

OPEN_TEXT = """De dienstverlening van gemeenten moet meebewegen met wat inwoners nodig hebben. Met deze oproep zoeken
we vragen die meerdere overheden delen en die ze samen willen oplossen.

- Dien in met **minstens twee overheden**, één als penvoerder.
- De indieners betalen samen minstens een vijfde van de kosten.
- Geselecteerde challenges gaan naar een uitvraag waarop bedrijven en onderzoekers voorstellen doen.
"""
CLOSED_TEXT = """Veel gemeenten verzamelen gegevens, maar gebruiken ze nog weinig om eerder te helpen. Deze oproep zocht
challenges die met data problemen eerder zichtbaar maken, zonder de privacy van inwoners uit het oog te verliezen.
"""


def _challenge(title: str, summary: str, problem: str) -> PilotText:
    """A short challenge text in the shape of the wiki pages."""
    body = f"## Het probleem\n\n{problem}\n\n## Wat we zoeken\n\nEen oplossing die in meerdere gemeenten past.\n"
    return PilotText(title, summary, body)


def _two_governments(lead: User, partner: User, call: ChallengeCall, text: PilotText, pledges=(12, 10), submit=True):
    """A submission led by ``lead`` with ``partner`` invited, confirmed and submitted (or left a concept)."""
    submission = call_submissions.start_submission(lead, call, pledges[0], text=text)
    call_submissions.invite(lead, submission, partner.organisation)
    if submit:
        call_submissions.confirm(partner, submission, pledges[1])
        call_submissions.submit(lead, submission)
    return submission


def load_calls_demo() -> list[str]:
    """Make the two demo calls when missing; returns one line per call made."""
    staff, admin = user_by_email("vng@pilotstarter.example"), user_by_email("admin@pilotstarter.example")
    utrecht, rotterdam = user_by_email("utrecht@pilotstarter.example"), user_by_email("rotterdam@pilotstarter.example")
    supplier = user_by_email("leverancier@pilotstarter.example")
    if None in (staff, admin, utrecht, rotterdam, supplier):
        raise click.ClickException("De demo-accounts ontbreken: draai eerst 'flask demo-accounts'.")
    existing = set(db.session.scalars(select(ChallengeCall.title)))
    done = []
    today = date.today()
    if OPEN_CALL not in existing:
        call = call_admin.create_call(
            staff, CallData(OPEN_CALL, OPEN_TEXT, today - timedelta(days=14), today + timedelta(days=45), 20, 2_000_000, CRITERIA)
        )  # fmt: skip
        for member in (admin, staff):
            call_admin.add_committee_member(staff, call, member.email)
        challenges.open_call(staff, call)
        _two_governments(
            utrecht, rotterdam, call,
            _challenge("Eén loket voor mantelzorgondersteuning", "Mantelzorgers vinden hulp nu op tien plekken.",
                       "Mantelzorgers zoeken hun weg langs wijkteams, zorgverzekeraars en vrijwilligers. Ze haken af."),
        )  # fmt: skip
        _two_governments(
            rotterdam, utrecht, call,
            _challenge("Afvalscheiding uitleggen aan nieuwkomers", "Regels voor afval zijn lastig zonder Nederlands.",
                       "Nieuwe inwoners kennen de regels voor afvalscheiding niet; boetes helpen niet."),
            submit=False,
        )  # fmt: skip
        done.append(f"{OPEN_CALL}: open, één challenge ingediend en één concept")
    if CLOSED_CALL not in existing:
        researcher = user_by_email(RESEARCHER[0]) or create_account(
            RESEARCHER[0], RESEARCHER[1], "pilotstarter-demo", find_organisation(RESEARCHER[2]), verified=True
        )
        call = call_admin.create_call(
            staff, CallData(CLOSED_CALL, CLOSED_TEXT, today, today + timedelta(days=1), 20, 1_500_000, CRITERIA)
        )
        for member in (admin, staff):
            call_admin.add_committee_member(staff, call, member.email)
        challenges.open_call(staff, call)
        energy = _two_governments(
            utrecht, rotterdam, call,
            _challenge("Energiearmoede eerder zien", "Huishoudens met hoge energiekosten eerder bereiken.",
                       "Huishoudens met betalingsachterstanden op energie melden zich pas als het te laat is."),
            pledges=(15, 10),
        )  # fmt: skip
        inspraak = _two_governments(
            rotterdam, utrecht, call,
            _challenge("Inspraak bij omgevingsplannen voor iedereen", "Meer en andere inwoners laten meepraten.",
                       "Bij omgevingsplannen praten steeds dezelfde inwoners mee; jongeren ontbreken."),
        )  # fmt: skip
        call_admin.edit_call(  # the call ran a season ago
            staff, call, CallData(CLOSED_CALL, CLOSED_TEXT, today - timedelta(days=120), today - timedelta(days=60), 20, 1_500_000, CRITERIA)
        )  # fmt: skip
        challenges.close_call(staff, call)
        for judge, scores in ((admin, {energy.id: 5, inspraak.id: 3}), (staff, {energy.id: 4, inspraak.id: 3})):
            for submission in (energy, inspraak):
                values = {
                    c.id: (scores[submission.id], "Afgewogen tegen de andere inzendingen.") for c in call.criteria
                }
                call_scoring.save_scores(judge, submission, values)
        call_scoring.publish(
            staff, call, {
                energy.id: (True, "Urgent, in veel gemeenten herkenbaar en met een duidelijk plan voor daarna."),
                inspraak.id: (False, "Sympathiek, maar de aanpak is nog te weinig onderscheidend."),
            },
        )  # fmt: skip
        call_proposals.submit_proposal(
            researcher, energy, "Signaleren met betaalgegevens, privacy voorop",
            "We koppelen **geaggregeerde** signalen van energieleveranciers aan het schuldhulpproces, met een DPIA vooraf.",
            "60000", "9 maanden",
        )  # fmt: skip
        accepted = call_proposals.submit_proposal(
            supplier, energy, "Energiecoach-app met vroegsignalering",
            "Een app waarmee wijkteams huishoudens met hoge energielasten vinden en begeleiden.", "85000", "6 maanden",
        )  # fmt: skip
        call_proposals.accept(utrecht, accepted, "Snel in te voeren en sluit aan op onze wijkteams.")
        done.append(f"{CLOSED_CALL}: gesloten, selectie gepubliceerd, voorstel aanvaard")
    return done
