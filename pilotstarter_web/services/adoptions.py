"""Adoption after scale-up — "wij nemen dit over": build once, use many times.

A government organisation declares that it reuses a scaled-up pilot or a best practice, at a stage (planned, in
progress, in use), with a contact. The rules live here so the page, the API and the demo share them:
:func:`can_be_adopted` decides which entries qualify, :data:`TRANSITIONS` which stage moves are allowed, and
:func:`_step` applies one move with its history row, audit event and notifications in the same transaction
(the shape of services/scaleup.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Adoption, AdoptionStep, Participation, Pilot, User, utcnow
from ..models.adoptions import ADOPTION_STAGES
from . import audit, notifications, permissions
from .change_log import record_change
from .errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from .organisations import is_government
from .participation import PARTICIPANT_ROLES
from .permissions import can_write, require_writer
from .text_input import clean_line, clean_name

STAGE_LABELS: dict[str, Any] = {
    "gepland": _l("Gepland"),
    "in_uitvoering": _l("In uitvoering"),
    "in_gebruik": _l("In gebruik"),
}
ADOPTABLE_TYPES = frozenset({"best_practice"})  # adoptable as they are; pilots only once decided "opschalen"
SCALED_UP_STATE = "wordt_opgeschaald"  # services/scaleup.py STATE_LABELS

# The table: (from, to) moves an adoption may make. None is "no adoption": declaring starts one at any stage,
# withdrawing ends one. Stages move forward or back (a rollout can stall and start again).
TRANSITIONS: frozenset[tuple[str | None, str | None]] = frozenset(
    {(None, s) for s in ADOPTION_STAGES}
    | {(a, b) for a in ADOPTION_STAGES for b in ADOPTION_STAGES if a != b}
    | {(s, None) for s in ADOPTION_STAGES}
)

MAX_NAME = 120
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_NOTE = 1000
EARLIEST = date(2000, 1, 1)  # a stage date before this is a typing error
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,}$")

notifications.register(
    "adoption.declared",
    _l("%(organisation)s neemt %(pilot)s over"),
    label=_l("Een organisatie neemt uw pilot of goede praktijk over"),
    mail="immediately",  # the team may want to help a newcomer while it still plans
)
notifications.register(
    "adoption.in_use",
    _l("%(organisation)s gebruikt %(pilot)s nu"),
    label=_l("Een organisatie gebruikt uw pilot of goede praktijk nu"),
)  # good news, no answer needed: the daily digest


class NotAdoptable(ServiceError):
    """The entry cannot be adopted (yet): a pilot before its scale-up decision, or a challenge."""

    status = 409


class AlreadyAdopted(ServiceError):
    """The organisation already declared an adoption of this entry: it changes that one instead."""

    status = 409


@dataclass
class AdoptionInput:
    """What the form and the API send; checked by :func:`_clean`."""

    stage: str
    contact_name: str
    contact_email: str = ""
    contact_phone: str = ""
    note: str = ""
    since: date | None = None  # the day the stage began; None: today


# --- who and what ------------------------------------------------------------------------------------------


def can_be_adopted(entry: Pilot) -> bool:
    """The one rule: a live best practice, or a pilot the portfolio consultation decided to scale up."""
    if entry.is_deleted:
        return False
    if entry.entry_type in ADOPTABLE_TYPES:
        return True
    return entry.entry_type == "pilot" and entry.scale_up_state == SCALED_UP_STATE


def is_initiator(user: User, entry: Pilot) -> bool:
    """The entry's own organisation: it cannot adopt what it built."""
    if user.organisation_id == entry.owner_id:
        return True
    return any(p.organisation_id == user.organisation_id and p.role == "initiator" for p in entry.participations)


def adoption_of(entry: Pilot, organisation_id: int) -> Adoption | None:
    return db.session.scalar(
        select(Adoption).where(Adoption.pilot_id == entry.id, Adoption.organisation_id == organisation_id)
    )


def refusal(user: User | None, entry: Pilot) -> ServiceError | None:
    """Why this user may not declare an adoption of this entry, or None when they may."""
    if not can_be_adopted(entry):
        return NotAdoptable(_("Dit kan alleen bij een pilot die wordt opgeschaald of bij een goede praktijk."))
    try:
        require_writer(user)
    except PermissionDenied as exc:
        return exc
    if not is_government(user.organisation):
        return PermissionDenied(_("Alleen gemeenten en andere overheden kunnen melden dat zij dit overnemen."))
    if is_initiator(user, entry):
        return PermissionDenied(_("Uw organisatie heeft dit zelf opgezet; overnemen is voor andere organisaties."))
    if adoption_of(entry, user.organisation_id) is not None:
        return AlreadyAdopted(_("Uw organisatie neemt dit al over. Werk de bestaande melding bij."))
    return None


def can_declare(user: User | None, entry: Pilot) -> bool:
    return refusal(user, entry) is None


def require_declare(user: User | None, entry: Pilot) -> User:
    """:raise ServiceError: the precise refusal (403 who, 409 what)."""
    if (error := refusal(user, entry)) is not None:
        raise error
    return user


def can_manage(user: User | None, adoption: Adoption) -> bool:
    """The adopting organisation's verified members keep their adoption up to date; staff correct any."""
    return can_write(user) and (user.organisation_id == adoption.organisation_id or permissions.is_curator(user))


def require_manage(user: User | None, adoption: Adoption) -> User:
    require_writer(user)
    if not can_manage(user, adoption):
        raise PermissionDenied(_("Alleen de organisatie die dit overneemt en VNG-medewerkers kunnen dit wijzigen."))
    return user


def get_adoption(entry: Pilot, adoption_id: int | str | None) -> Adoption:
    """:raise NotFound: for an unknown id, or one of another entry."""
    try:
        adoption = db.session.get(Adoption, int(adoption_id or 0))
    except (TypeError, ValueError, OverflowError):
        adoption = None
    if adoption is None or adoption.pilot_id != entry.id:
        raise NotFound(_("Deze melding van overname bestaat niet (meer)."))
    return adoption


# --- input -------------------------------------------------------------------------------------------------


def _refuse(field: str, message: str) -> None:
    raise InvalidInput(message, {field: [message]})


def _bounded(value: str, field: str, limit: int) -> str:
    if len(value) > limit:
        _refuse(field, _("Gebruik hoogstens %(n)d tekens.", n=limit))
    return value


def day_from_text(text: str | None) -> date | None:
    """The form's ``since`` (YYYY-MM-DD, empty for today). :raise InvalidInput: for anything else."""
    text = (text or "").strip()[:20]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _refuse("since", _("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-03-01."))
    return None  # not reached: _refuse raises


def _clean(data: AdoptionInput) -> AdoptionInput:
    """The input checked and normalised. :raise InvalidInput: with the field that is wrong."""
    if data.stage not in ADOPTION_STAGES:
        _refuse("stage", _("Kies een fase: gepland, in uitvoering of in gebruik."))
    name = _bounded(clean_name((data.contact_name or "")[: MAX_NAME * 4], "contact_name"), "contact_name", MAX_NAME)
    if not name:
        _refuse("contact_name", _("Vul de naam van een contactpersoon in."))
    email = _bounded(clean_line((data.contact_email or "")[: MAX_EMAIL * 4]), "contact_email", MAX_EMAIL)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            _refuse("contact_email", _("Dit is geen geldig e-mailadres."))
    phone = _bounded(clean_line((data.contact_phone or "")[: MAX_PHONE * 4]), "contact_phone", MAX_PHONE)
    if phone and not PHONE.match(phone):
        _refuse("contact_phone", _("Een telefoonnummer bestaat uit cijfers, eventueel met +, spaties of streepjes."))
    if not email and not phone:
        _refuse("contact_email", _("Vul een e-mailadres of een telefoonnummer in."))
    note = _bounded((data.note or "").strip()[: MAX_NOTE * 4], "note", MAX_NOTE)
    since = data.since or date.today()
    if since > date.today() or since < EARLIEST:
        _refuse("since", _("Kies een datum tussen 1 januari 2000 en vandaag."))
    return AdoptionInput(data.stage, name, email, phone, note, since)


# --- the moves ---------------------------------------------------------------------------------------------


def _team(entry: Pilot) -> list[User]:
    """The original team: verified members of the organisations taking part (initiator, partners, suppliers)."""
    org_ids = db.session.scalars(
        select(Participation.organisation_id).where(
            Participation.pilot_id == entry.id, Participation.role.in_(PARTICIPANT_ROLES)
        )
    )
    return notifications.verified_members(org_ids)


def _step(user: User, adoption: Adoption, before: str | None, after: str | None, action: str) -> None:
    """Apply one checked move: the stage's history row, the audit event and the team's notification."""
    if (before, after) not in TRANSITIONS and before != after:
        raise InvalidInput(_("Deze stap is niet mogelijk."))
    entry = adoption.pilot
    record_change(entry)  # derived data and caches keyed on the change log (exports' ETag, statistics) move on
    if after is not None and after != before:
        adoption.steps.append(AdoptionStep(stage=after, since=adoption.since, actor_id=user.id))
    audit.record(
        action, user, "pilot", entry.slug, organisation=adoption.organisation.code, from_stage=before,
        to_stage=after,
    )  # fmt: skip
    if before is None:
        kind = "adoption.declared"
    elif after == "in_gebruik" and before != after:
        kind = "adoption.in_use"
    else:
        return
    notifications.notify(_team(entry), kind, actor=user, pilot=entry, organisation=adoption.organisation)


def declare(user: User | None, entry: Pilot, data: AdoptionInput) -> Adoption:
    """ "Wij nemen dit over": the user's organisation adopts the entry at a stage."""
    user = require_declare(user, entry)
    clean = _clean(data)
    adoption = Adoption(
        pilot=entry, organisation=user.organisation, stage=clean.stage, since=clean.since,
        contact_name=clean.contact_name, contact_email=clean.contact_email, contact_phone=clean.contact_phone,
        note=clean.note, declared_by=user,
    )  # fmt: skip
    try:
        with db.session.begin_nested():  # a double click in two requests: the unique pair decides
            db.session.add(adoption)
    except IntegrityError:
        raise AlreadyAdopted(_("Uw organisatie neemt dit al over. Werk de bestaande melding bij.")) from None
    _step(user, adoption, None, clean.stage, "adoption.declared")
    return adoption


def update(user: User | None, adoption: Adoption, data: AdoptionInput) -> Adoption:
    """Move the stage (forward or back) and keep the contact up to date; staff corrections are audited as such."""
    user = require_manage(user, adoption)
    clean = _clean(data)
    before = adoption.stage
    if clean.stage != before or data.since is not None:
        adoption.since = clean.since  # a new stage starts today unless a day is given
        if clean.stage == before and adoption.steps:
            adoption.steps[-1].since = clean.since  # a corrected day of the same stage: its history row too
    adoption.stage = clean.stage
    adoption.contact_name, adoption.contact_email = clean.contact_name, clean.contact_email
    adoption.contact_phone, adoption.note = clean.contact_phone, clean.note
    adoption.updated_at = utcnow()
    staff = user.organisation_id != adoption.organisation_id
    if staff:
        action = "adoption.corrected"
    else:
        action = "adoption.stage_changed" if clean.stage != before else "adoption.updated"
    _step(user, adoption, before, clean.stage, action)
    return adoption


def withdraw(user: User | None, adoption: Adoption) -> None:
    """The organisation stops (or staff remove a wrong declaration): the row and its contact details go."""
    user = require_manage(user, adoption)
    staff = user.organisation_id != adoption.organisation_id
    _step(user, adoption, adoption.stage, None, "adoption.removed" if staff else "adoption.withdrawn")
    db.session.delete(adoption)
    db.session.flush()


# --- reading -----------------------------------------------------------------------------------------------

_STAGE_ORDER = case({s: i for i, s in enumerate(ADOPTION_STAGES)}, value=Adoption.stage)


def adoptions_of(entry: Pilot) -> list[Adoption]:
    """The entry's adoptions, furthest stage first, then longest in it."""
    return list(
        db.session.scalars(
            select(Adoption)
            .where(Adoption.pilot_id == entry.id)
            .order_by(_STAGE_ORDER.desc(), Adoption.since, Adoption.id)
        )
    )


def public_adoptions(entry: Pilot) -> list[dict[str, Any]]:
    """The API's ``adoptions``: organisation, stage and since — never the contact. Empty when not adoptable."""
    return public_adoptions_of([entry]).get(entry.id, [])


def public_adoptions_of(entries: Iterable[Pilot]) -> dict[int, list[dict[str, Any]]]:
    """:func:`public_adoptions` of many entries in one query (the open-data export's batches), by entry id."""
    ids = [e.id for e in entries if can_be_adopted(e)]
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.session.scalars(
        select(Adoption)
        .where(Adoption.pilot_id.in_(ids))
        .options(selectinload(Adoption.organisation))
        .order_by(Adoption.pilot_id, _STAGE_ORDER.desc(), Adoption.since, Adoption.id)
    )
    for a in rows:
        found[a.pilot_id].append(
            {"organisation": {"code": a.organisation.code, "name": a.organisation.name}, "stage": a.stage,
             "since": a.since.isoformat()}
        )  # fmt: skip
    return found


def panel(entry: Pilot, user: User | None) -> dict[str, Any]:
    """What the entry page's "Wie neemt dit over" section shows, in one call."""
    adoptions = adoptions_of(entry) if can_be_adopted(entry) else []
    org_id = getattr(user, "organisation_id", None)
    own = next((a for a in adoptions if a.organisation_id == org_id), None)
    return {
        "adoptable": can_be_adopted(entry),
        "by_stage": {s: [a for a in adoptions if a.stage == s] for s in reversed(ADOPTION_STAGES)},
        "total": len(adoptions),
        "own": own if own is not None and can_manage(user, own) else None,
        "can_declare": can_declare(user, entry),
        "can_correct": permissions.is_curator(user),
        "show_contact": user is not None and user.is_authenticated,
    }
