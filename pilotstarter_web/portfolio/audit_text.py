"""The audit log in words for people: one sentence per kind of event, with the people, organisations, pilots and
meetings named (and linked), instead of event codes, ids and ``key=value`` data.

One registry (:data:`SENTENCES`) maps an event's action to its sentence; a feature that records a new action
registers its sentence here with :func:`register`, so the log never shows a bare code when it can say more.
The raw event stays available beside it (the page shows it folded away) for whoever needs the details.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, Organisation, Pilot, PortfolioMeeting, User
from ..services.scaleup import STATE_LABELS
from ..services.themes import ROLE_LABELS

# action -> (short name for the filter, sentence). Placeholders: actor, subject (the user acted upon), pilot,
# main, other (pilots), organisation, meeting, role, state (from → to), reason, email, path, count, number, left.
SENTENCES: dict[str, tuple[Any, Any]] = {
    "2fa.code_failed": (
        _l("Verkeerde inlogcode"),
        _l("%(actor)s voerde een verkeerde code voor inloggen in twee stappen in"),
    ),
    "2fa.disabled": (_l("Twee stappen uit"), _l("%(subject)s zette inloggen in twee stappen uit")),
    "2fa.enabled": (_l("Twee stappen aan"), _l("%(subject)s zette inloggen in twee stappen aan")),
    "2fa.passed": (_l("Inlogcode goed"), _l("%(actor)s logde in met een code uit de app")),
    "2fa.recovery_code_used": (
        _l("Herstelcode gebruikt"),
        _l("%(actor)s logde in met een herstelcode (nog %(left)s over)"),
    ),
    "2fa.recovery_codes_renewed": (_l("Nieuwe herstelcodes"), _l("%(actor)s maakte nieuwe herstelcodes")),
    "api_token.created": (_l("API-token gemaakt"), _l("%(actor)s maakte een API-token")),
    "api_token.revoked": (_l("API-token ingetrokken"), _l("%(actor)s trok een API-token in")),
    "api_token.rejected": (_l("API-token geweigerd"), _l("Een API-token van %(actor)s werd geweigerd")),
    "api_token.insufficient_scope": (
        _l("API-token mag niet schrijven"),
        _l("%(actor)s probeerde te schrijven met een API-token dat alleen mag lezen (%(path)s)"),
    ),
    "account.created": (_l("Account aangemaakt"), _l("Account aangemaakt voor %(subject)s: %(role)s, %(verified)s")),
    "account.logout": (_l("Uitgelogd"), _l("%(actor)s logde uit")),
    "account.password_change_refused": (
        _l("Wachtwoord wijzigen geweigerd"),
        _l("%(subject)s probeerde het wachtwoord te wijzigen met een onjuist huidig wachtwoord"),
    ),
    "account.password_changed": (_l("Wachtwoord gewijzigd"), _l("%(subject)s wijzigde het wachtwoord")),
    "account.profile_changed": (_l("Profiel gewijzigd"), _l("%(subject)s wijzigde het profiel")),
    "account.register_existing": (
        _l("Dubbele registratie"),
        _l("Iemand probeerde zich opnieuw te registreren met het adres van %(subject)s"),
    ),
    "account.rejected": (_l("Aanvraag afgewezen"), _l("%(actor)s wees de accountaanvraag van %(subject)s af")),
    "account.verified": (_l("Account geverifieerd"), _l("%(actor)s verifieerde het account van %(subject)s")),
    "attachment.deleted": (_l("Document verwijderd"), _l("%(actor)s verwijderde een document bij %(pilot)s")),
    "attachment.refused": (
        _l("Bestand geweigerd"),
        _l("%(actor)s probeerde bij %(pilot)s een bestand te uploaden dat werd geweigerd"),
    ),
    "attachment.uploaded": (_l("Document toegevoegd"), _l("%(actor)s voegde een document toe aan %(pilot)s")),
    "attachment.version_added": (
        _l("Nieuwe documentversie"),
        _l("%(actor)s uploadde een nieuwe versie van een document bij %(pilot)s"),
    ),
    "calendar_link.created": (_l("Agendalink gemaakt"), _l("%(actor)s maakte een agendalink voor de overleggen")),
    "calendar_link.revoked": (_l("Agendalink ingetrokken"), _l("%(actor)s trok de agendalink voor de overleggen in")),
    "cluster.introduced": (
        _l("Pilots in contact gebracht"),
        _l("%(actor)s bracht deze pilots met elkaar in contact: %(pilots)s"),
    ),
    "comment.post": (_l("Reactie geplaatst"), _l("%(actor)s plaatste een reactie bij %(pilot)s")),
    "comment.edit": (_l("Reactie bewerkt"), _l("%(actor)s bewerkte een reactie bij %(pilot)s")),
    "comment.delete": (_l("Reactie verwijderd"), _l("%(actor)s verwijderde een reactie bij %(pilot)s")),
    "comment.report": (_l("Reactie gemeld"), _l("%(actor)s meldde een reactie bij %(pilot)s")),
    "comment.hide": (_l("Reactie verborgen"), _l("%(actor)s verborg een reactie bij %(pilot)s")),
    "comment.restore": (_l("Reactie teruggezet"), _l("%(actor)s zette een verborgen reactie bij %(pilot)s terug")),
    "csrf.failed": (_l("Formulier verlopen"), _l("Een verlopen of ongeldig formulier werd geweigerd (%(path)s)")),
    "permission.denied": (_l("Geen toegang"), _l("%(actor)s kreeg geen toegang tot %(path)s")),
    "invitation.accepted": (
        _l("Uitnodiging aangenomen"),
        _l("%(actor)s nam namens %(organisation)s de uitnodiging voor %(pilot)s aan"),
    ),
    "invitation.declined": (
        _l("Uitnodiging afgeslagen"),
        _l("%(actor)s sloeg namens %(organisation)s de uitnodiging voor %(pilot)s af"),
    ),
    "login.failed": (_l("Inloggen mislukt"), _l("Mislukte inlogpoging met %(email)s")),
    "login.succeeded": (_l("Ingelogd"), _l("%(actor)s logde in")),
    "login.throttled": (
        _l("Inloggen tijdelijk geblokkeerd"),
        _l("Te veel inlogpogingen met %(email)s: even geblokkeerd"),
    ),
    "mail.preferences_changed": (_l("E-mailinstellingen gewijzigd"), _l("%(actor)s wijzigde de e-mailinstellingen")),
    "mail.retried": (
        _l("E-mail opnieuw verstuurd"),
        _l("%(actor)s liet mislukte e-mails opnieuw versturen (%(count)s)"),
    ),
    "mail.unsubscribed": (_l("Afgemeld voor e-mail"), _l("%(actor)s meldde zich af voor een soort e-mail")),
    "password_reset.requested": (_l("Nieuw wachtwoord aangevraagd"), _l("Nieuw wachtwoord aangevraagd voor %(email)s")),
    "pilot.created": (_l("Pilot gestart"), _l("%(actor)s startte de pilot %(pilot)s")),
    "pilot.deleted": (_l("Pilot verwijderd"), _l("%(actor)s verwijderde de pilot %(pilot)s")),
    "pilot.restored": (_l("Pilot teruggezet"), _l("%(actor)s zette de verwijderde pilot %(pilot)s terug")),
    "pilot.reverted": (_l("Oude versie teruggezet"), _l("%(actor)s zette %(pilot)s terug naar versie %(number)s")),
    "pilot.duplicate_marked": (_l("Dubbel gemarkeerd"), _l("%(actor)s markeerde %(pilot)s als dubbel van %(main)s")),
    "pilot.duplicate_unmarked": (
        _l("Markering dubbel weggehaald"),
        _l("%(actor)s haalde de markering ‘dubbel van %(main)s’ van %(pilot)s weg"),
    ),
    "pilot.merged": (_l("Pilots samengevoegd"), _l("%(actor)s voegde %(pilot)s samen met %(main)s")),
    "pilot.not_duplicate": (_l("Geen dubbel"), _l("%(actor)s gaf aan dat %(pilot)s en %(other)s geen dubbel zijn")),
    "pilot.not_duplicate_undone": (
        _l("‘Geen dubbel’ ingetrokken"),
        _l("%(actor)s trok ‘geen dubbel’ voor %(pilot)s en %(other)s in"),
    ),
    "pilot.invited": (
        _l("Organisatie uitgenodigd"),
        _l("%(actor)s nodigde %(organisation)s uit voor de pilot %(pilot)s"),
    ),
    "pilot.joined": (
        _l("Organisatie doet mee"),
        _l("%(actor)s meldde %(organisation)s aan bij %(pilot)s als %(role)s"),
    ),
    "pilot.left": (_l("Organisatie gestopt"), _l("%(actor)s meldde %(organisation)s af bij %(pilot)s")),
    "pilot.participant_removed": (
        _l("Deelnemer verwijderd"),
        _l("%(actor)s haalde %(organisation)s (%(role)s) van de deelnemers aan %(pilot)s"),
    ),
    "portfolio.agenda_moved": (
        _l("Agenda gewijzigd"),
        _l("%(actor)s verplaatste %(pilot)s op de agenda van %(meeting)s"),
    ),
    "portfolio.meeting_created": (_l("Overleg gepland"), _l("%(actor)s plande het overleg %(meeting)s")),
    "portfolio.minutes_saved": (_l("Verslag opgeslagen"), _l("%(actor)s sloeg het verslag van %(meeting)s op")),
    "session.ended": (_l("Sessie beëindigd"), _l("Een sessie van %(subject)s is beëindigd")),
    "session.ended_all": (_l("Alle sessies beëindigd"), _l("%(actor)s beëindigde %(count)s sessies van %(subject)s")),
}
# Scale-up steps share one sentence: the step's name and the state it moved the pilot from and to.
SCALEUP_STEPS: dict[str, Any] = {
    "nominate": _l("voorgedragen"), "flag": _l("opschaalbaar verklaard"), "send_back": _l("teruggestuurd"),
    "schedule": _l("geagendeerd"), "unschedule": _l("van de agenda gehaald"), "decide": _l("besluit genomen"),
}  # fmt: skip
USER_ROLES: dict[str, Any] = {"member": _l("Lid"), "vng_staff": _l("VNG-medewerker"), "admin": _l("Beheerder")}
SCALEUP_SENTENCE = _l("%(actor)s: opschaling van %(pilot)s %(step)s (%(state)s)")
FALLBACK = _l("%(actor)s: %(action)s")
# Done by no one: the content import when Pilotstarter started.
WITHOUT_ACTOR: dict[str, Any] = {
    "pilot.created": _l("De pilot %(pilot)s is toegevoegd bij de start van Pilotstarter"),
    "api_token.rejected": _l("Een onbekend API-token werd geweigerd"),
}


def register(action: str, name: Any, sentence: Any) -> None:
    """Add the words for an action recorded elsewhere (both wrapped in lazy_gettext)."""
    SENTENCES[action] = (name, sentence)


def action_name(action: str) -> str:
    """The short name of an action, for the filter's choices."""
    if action in SENTENCES:
        return str(SENTENCES[action][0])
    if action.startswith("scaleup.") and action.removeprefix("scaleup.") in SCALEUP_STEPS:
        return _("Opschaling: %(step)s", step=SCALEUP_STEPS[action.removeprefix("scaleup.")])
    return action


@dataclass
class AuditLine:
    event: AuditEvent
    sentence: Markup  # named objects escaped and linked
    details: str  # the raw event, for whoever needs it: action code, object, data


class _Named(dict):
    """Placeholder values; one the event lacks reads as a dash rather than breaking the sentence."""

    def __missing__(self, key: str) -> str:
        return "—"


def _link(href: str, text: str) -> Markup:
    return Markup('<a class="utrecht-link" href="{}">{}</a>').format(href, text)


class _Lookup:
    """The pilots, organisations, people and meetings one page of events names, each kind in one query."""

    def __init__(self, events: list[AuditEvent]) -> None:
        slugs, codes, user_ids, meeting_ids = set(), set(), set(), set()
        for e in events:
            data = e.data or {}
            if e.object_type == "pilot" and e.object_id:
                slugs.add(e.object_id)
            if e.object_type == "cluster" and e.object_id:
                slugs.update(e.object_id.split("+"))
            slugs.update(str(data[k]) for k in ("pilot", "main", "other") if data.get(k))
            if data.get("organisation"):
                codes.add(str(data["organisation"]))
            if e.object_type == "user" and str(e.object_id or "").isdigit():
                user_ids.add(int(e.object_id))
            if data.get("user_id"):
                user_ids.add(int(data["user_id"]))
            if e.object_type == "meeting" and str(e.object_id or "").isdigit():
                meeting_ids.add(int(e.object_id))
        self.pilots = {p.slug: p for p in db.session.scalars(select(Pilot).where(Pilot.slug.in_(slugs)))}
        self.orgs = {o.code: o for o in db.session.scalars(select(Organisation).where(Organisation.code.in_(codes)))}
        self.users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
        self.meetings = {
            m.id: m for m in db.session.scalars(select(PortfolioMeeting).where(PortfolioMeeting.id.in_(meeting_ids)))
        }

    def pilot(self, slug: str) -> Markup:
        found = self.pilots.get(slug)
        return _link(url_for("pilots.view", slug=slug), found.title if found else slug)

    def organisation(self, code: str) -> Markup | str:
        found = self.orgs.get(code)
        return _link(url_for("organisations.view", code=code), found.display_name) if found else code

    def person(self, user: User | None) -> str:
        return _("%(name)s (%(email)s)", name=user.name, email=user.email) if user else _("het systeem")

    def meeting(self, meeting_id: int) -> Markup | str:
        found = self.meetings.get(meeting_id)
        if found is None:
            return _("een overleg dat niet meer bestaat")
        return _link(url_for("portfolio.meeting", meeting_id=meeting_id), found.title)


def _values(event: AuditEvent, actor: User | None, look: _Lookup) -> _Named:
    data = event.data or {}
    values = _Named(actor=look.person(actor), action=event.action)
    subject_id = data.get("user_id") or (event.object_id if event.object_type == "user" else None)
    if subject_id is not None and str(subject_id).isdigit():
        values["subject"] = look.person(look.users.get(int(subject_id)))
    if event.object_type == "pilot" and event.object_id:
        values["pilot"] = look.pilot(event.object_id)
    for key in ("pilot", "main", "other"):
        if data.get(key):
            values[key] = look.pilot(str(data[key]))
    if event.object_type == "cluster" and event.object_id:
        values["pilots"] = Markup(", ").join(look.pilot(s) for s in event.object_id.split("+"))
    if event.object_type == "meeting" and str(event.object_id or "").isdigit():
        values["meeting"] = look.meeting(int(event.object_id))
    elif data.get("meeting"):
        values["meeting"] = str(data["meeting"])
    if data.get("organisation"):
        values["organisation"] = look.organisation(str(data["organisation"]))
    if data.get("role"):
        role = data["role"]
        values["role"] = str(ROLE_LABELS.get(role, USER_ROLES.get(role, role))).lower()
    values["verified"] = _("geverifieerd") if data.get("verified") else _("nog niet geverifieerd")
    if event.object_type in ("email", "path"):
        values["email" if event.object_type == "email" else "path"] = event.object_id or "—"
    if data.get("from_state") or data.get("to_state"):
        states = [str(STATE_LABELS.get(data.get(k), data.get(k) or "—")) for k in ("from_state", "to_state")]
        values["state"] = " → ".join(states)
    for key in ("count", "left"):
        if data.get(key) is not None:
            values[key] = data[key]
    if data.get("to_revision") is not None:
        values["number"] = data["to_revision"]
    return values


def _sentence(event: AuditEvent) -> Any:
    if event.actor_id is None and event.action in WITHOUT_ACTOR:
        return WITHOUT_ACTOR[event.action]
    if event.action in SENTENCES:
        return SENTENCES[event.action][1]
    if event.action.startswith("scaleup."):
        return SCALEUP_SENTENCE
    return FALLBACK


def details(event: AuditEvent) -> str:
    """The raw event in one line: its code, object and data, as recorded."""
    data = ", ".join(f"{k}={v}" for k, v in (event.data or {}).items() if v not in (None, ""))
    parts = [event.action, f"{event.object_type or ''} {event.object_id or ''}".strip(), data]
    return " · ".join(p for p in parts if p)


def describe(rows: list[tuple[AuditEvent, User | None]]) -> list[AuditLine]:
    """One page of events as sentences (escaped, with links), each with its raw details."""
    look = _Lookup([e for e, _actor in rows])
    lines = []
    for event, actor in rows:
        values = _values(event, actor, look)
        if event.action.startswith("scaleup."):
            step = event.action.removeprefix("scaleup.")
            values["step"] = str(SCALEUP_STEPS.get(step, step))
        sentence = escape(str(_sentence(event))) % values  # escape() gives Markup: the values are escaped too
        reason = (event.data or {}).get("reason")
        if reason and event.action not in ("session.ended", "session.ended_all"):
            sentence += Markup(": ‘{}’").format(str(reason)[:200])
        lines.append(AuditLine(event, sentence, details(event)))
    return lines
