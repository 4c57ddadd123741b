"""The adoption demo (`flask demo-adoptions`, run after `flask demo-scaleup`): the scaled-up Texel pilot gets
four municipalities reusing it at different stages, and the parking permit pilot one. It goes through the real
service (history rows, audit, notifications), then dates each step as if it happened over the past weeks.

Idempotent: an organisation that already adopts an entry is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from .extensions import db
from .models import Adoption, Pilot, User
from .services import adoptions
from .services.accounts import create_account, user_by_email
from .services.adoptions import AdoptionInput
from .services.organisations import find_organisation

# slug -> (account e-mail, name, organisation code, [(stage, days ago), …], contact e-mail, phone)
DEMO: dict[str, list[tuple[str, str, str, list[tuple[str, int]], str, str]]] = {
    "digitale-aangifte-toeristenbelasting-texel": [
        ("denhelder@pilotstarter.example", "Lotte Visser", "GM0400",
         [("gepland", 35), ("in_uitvoering", 21), ("in_gebruik", 5)], "belastingen@denhelder.example", ""),
        ("vlieland@pilotstarter.example", "Jan Bos", "GM0096",
         [("gepland", 30), ("in_uitvoering", 12)], "", "0562 45 27 00"),
        ("zandvoort@pilotstarter.example", "Fatima Yilmaz", "GM0473", [("gepland", 8)], "toerisme@zandvoort.example", ""),
        ("rotterdam@pilotstarter.example", "Mohamed El Amrani", "GM0599", [("gepland", 3)],
         "belastingen@rotterdam.example", ""),
    ],
    "parkeervergunning-online-aanvragen": [
        ("utrecht@pilotstarter.example", "Sanne Jansen", "GM0344", [("gepland", 28), ("in_uitvoering", 9)],
         "parkeren@utrecht.example", "030 286 00 00"),
    ],
}  # fmt: skip
NOTES = {
    "in_gebruik": "Sinds de zomer live voor alle verhuurders.",
    "in_uitvoering": "Koppeling met de belastingapplicatie.",
}


def _account(email: str, name: str, code: str, password: str) -> User:
    user = user_by_email(email)
    if user is None:
        org = find_organisation(code)
        if org is None:
            raise LookupError(f"Organisatie {code} ontbreekt: draai eerst 'flask init'.")
        user = create_account(email, name, password, org, role="member", verified=True)
    return user


def load_adoption_demo(password: str) -> list[str]:
    """Declare and move the demo adoptions; one line per adoption made. Accounts that are missing are made
    with ``password`` (the demo password)."""
    done = []
    for slug, adopters in DEMO.items():
        entry = db.session.scalar(select(Pilot).where(Pilot.slug == slug, Pilot.deleted_at.is_(None)))
        if entry is None or not adoptions.can_be_adopted(entry):
            continue  # demo-scaleup has not run, or the pilot was changed
        for email, name, code, stages, contact_email, phone in adopters:
            user = _account(email, name, code, password)
            if adoptions.adoption_of(entry, user.organisation_id) is not None:
                continue
            adoption: Adoption | None = None
            for stage, days_ago in stages:
                day = date.today() - timedelta(days=days_ago)
                data = AdoptionInput(stage, name, contact_email, phone, NOTES.get(stage, ""), day)
                adoption = (
                    adoptions.declare(user, entry, data) if adoption is None else adoptions.update(user, adoption, data)
                )
                adoption.steps[-1].created_at = datetime.combine(day, time(10, 0))
            adoption.created_at = adoption.steps[0].created_at
            done.append(f"  {entry.slug}: {user.organisation.name} ({adoptions.STAGE_LABELS[adoption.stage]})")
    return done
