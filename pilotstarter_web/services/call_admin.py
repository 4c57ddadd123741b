"""Calls as staff write them: title, description, dates, co-funding minimum, budget, criteria with weights, and
the selection committee. Opening, closing and publishing are steps of the state machine (challenges.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import CallCriterion, ChallengeCall, CommitteeMember, User
from . import audit
from .accounts import user_by_email
from .challenges import (
    MAX_COMMITTEE,
    MAX_CRITERIA,
    MAX_DESCRIPTION,
    MAX_WEIGHT,
    InvalidTransition,
    amount_field,
    percent_field,
    require_manager,
    text_field,
)
from .errors import InvalidInput
from .permissions import can_write
from .slugs import slugify
from .text_input import clean_line

DEFAULT_CRITERIA = (
    ("Onderscheidend vermogen", 1),
    ("Missie", 1),
    ("Effectiviteit", 1),
    ("Transparantie", 1),
    ("Toekomstplannen", 1),
)


@dataclass
class CallData:
    """What staff type for a call; criteria as (name, weight) pairs."""

    title: str
    description: str = ""
    opens_on: date | None = None
    closes_on: date | None = None
    min_cofunding: int = 20
    budget: int | str | None = None  # whole euros, or as typed ("250.000")
    criteria: list[tuple[str, int]] = field(default_factory=lambda: list(DEFAULT_CRITERIA))


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """Criteria typed one per line as ``Naam: gewicht`` (the weight a positive whole number, default 1)."""
    found: list[tuple[str, int]] = []
    for line in (text or "")[: MAX_CRITERIA * 400].splitlines():
        if not line.strip():
            continue
        name, _sep, weight = line.rpartition(":") if ":" in line else (line, "", "1")
        name = clean_line(name)
        try:
            number = int(weight.strip())
        except ValueError:
            number = 0
        if not name or len(name) > 200 or not 1 <= number <= MAX_WEIGHT:
            message = _("Schrijf per regel een criterium en een gewicht van 1 tot en met %(n)d, zoals “Missie: 2”.", n=MAX_WEIGHT)  # fmt: skip
            raise InvalidInput(message, {"criteria": [message]})
        found.append((name, number))
    if not found or len(found) > MAX_CRITERIA:
        message = _("Geef 1 tot en met %(n)d criteria.", n=MAX_CRITERIA)
        raise InvalidInput(message, {"criteria": [message]})
    return found


def criteria_text(call: ChallengeCall | None) -> str:
    """The criteria as the form shows them (the defaults for a new call)."""
    pairs = [(c.name, c.weight) for c in call.criteria] if call else list(DEFAULT_CRITERIA)
    return "\n".join(f"{name}: {weight}" for name, weight in pairs)


def _apply(call: ChallengeCall, data: CallData) -> None:
    """Check and copy the typed fields onto the call."""
    call.title = clean_line(text_field(data.title, "title", _("Geef de oproep een titel."), 200))
    call.description = text_field(data.description, "description", "", MAX_DESCRIPTION, required=False)
    if data.opens_on is None or data.closes_on is None or data.closes_on < data.opens_on:
        message = _("Kies een openingsdatum en een sluitingsdatum die daar niet vóór ligt.")
        raise InvalidInput(message, {"closes_on": [message]})
    call.opens_on, call.closes_on = data.opens_on, data.closes_on
    call.min_cofunding = percent_field(data.min_cofunding, "min_cofunding")
    call.budget = amount_field(data.budget, "budget")
    if call.state == "concept":  # criteria and weights are fixed once the call is open: everyone is judged alike
        call.criteria.clear()
        db.session.flush()
        for position, (name, weight) in enumerate(data.criteria, start=1):
            call.criteria.append(CallCriterion(position=position, name=name, weight=weight))


def create_call(user: User | None, data: CallData) -> ChallengeCall:
    """A new call in ``concept``, visible to staff only until it is opened."""
    user = require_manager(user)
    call = ChallengeCall(created_by_id=user.id, slug="", state="concept")
    _apply(call, data)
    base, n = slugify(call.title)[:100] or "oproep", 1
    call.slug = base
    while db.session.scalar(select(ChallengeCall.id).where(ChallengeCall.slug == call.slug)) is not None:
        n += 1
        call.slug = f"{base}-{n}"
    db.session.add(call)
    db.session.flush()
    audit.record("call.created", user, "call", call.slug)
    return call


def edit_call(user: User | None, call: ChallengeCall, data: CallData) -> ChallengeCall:
    """Staff edit a call until it closes; criteria only while it is a concept."""
    user = require_manager(user)
    if call.state not in ("concept", "open"):
        raise InvalidTransition(_("Een gesloten oproep kan niet meer worden gewijzigd."))
    _apply(call, data)
    audit.record("call.edited", user, "call", call.slug)
    db.session.flush()
    return call


def add_committee_member(user: User | None, call: ChallengeCall, email: str) -> CommitteeMember:
    """Staff put a verified account on the call's committee (until the selection is published)."""
    user = require_manager(user)
    if call.state == "selectie_gepubliceerd":
        raise InvalidTransition(_("De selectie is gepubliceerd: de commissie ligt vast."))
    member = user_by_email((email or "")[:254])
    if member is None or not can_write(member):
        message = _("Er is geen geverifieerd account met dit e-mailadres.")
        raise InvalidInput(message, {"email": [message]})
    if any(m.user_id == member.id for m in call.committee):
        message = _("%(name)s zit al in de commissie.", name=member.name)
        raise InvalidInput(message, {"email": [message]})
    if len(call.committee) >= MAX_COMMITTEE:
        raise InvalidInput(_("Een commissie heeft hoogstens %(n)d leden.", n=MAX_COMMITTEE))
    row = CommitteeMember(call_id=call.id, user_id=member.id, user=member)
    call.committee.append(row)
    audit.record("call.committee_added", user, "call", call.slug, member=member.id)
    db.session.flush()
    return row


def remove_committee_member(user: User | None, call: ChallengeCall, member_id: int) -> None:
    """Staff take a member off the committee, until the selection is published."""
    user = require_manager(user)
    if call.state == "selectie_gepubliceerd":
        raise InvalidTransition(_("De selectie is gepubliceerd: de commissie ligt vast."))
    for row in list(call.committee):
        if row.user_id == member_id:
            call.committee.remove(row)
            audit.record("call.committee_removed", user, "call", call.slug, member=member_id)
    db.session.flush()
