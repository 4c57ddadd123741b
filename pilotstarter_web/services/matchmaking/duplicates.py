"""Duplicate pilots: the warning while writing, "geen dubbel", "dubbel van …" and merging.

The similarity model only *suggests* duplicates. People correct it here, and every page and the API read
the corrected view through :func:`similar_pilots` and :func:`similar_to_text`:

- a pair marked "geen dubbel" stays similar but moves to the "verwant" tier (it is still useful to know);
- VNG staff mark a pilot "dubbel van <main>" (both pages link to each other) and then merge it: the
  duplicate's organisations join the main pilot and the duplicate is soft-deleted with ``merged_at`` set,
  so lists, search and similarity drop it by the same change-log path as a delete, while its page
  redirects to the main pilot and its history stays readable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from flask_babel import gettext as _
from sqlalchemy import or_, select

from search_index.matchmaking import Match, Tier

from ...extensions import db
from ...models import DuplicateDismissal, Organisation, Participation, Pilot, User, utcnow
from .. import audit, derived_data, entry_types, permissions
from ..change_log import record_change
from ..errors import InvalidInput, NotFound, ServiceError
from ..notifications import notify, pilot_audience
from ..permissions import can_write, require_writer
from ..pilot_news import announce_similar_published
from ..pilots import PilotText, _revision_for_token, create_pilot, validate_text
from .similarity import similarity_service

MAX_REASON = 300
# The writing warning needs some text to compare; fewer words give noise, not matches.
MIN_WORDS = 3
# Below this score a match shares common words rather than the idea: not worth interrupting the author.
WARNING_MIN_SCORE = 0.2
ROLE_RANK = {"interested": 0, "supplier": 1, "partner": 1, "initiator": 2}

Similar = list[tuple[Pilot, Match]]


class DuplicatesFound(ServiceError):
    """A new pilot looks like existing ones the author has not looked at yet; nothing was saved."""

    status = 409

    def __init__(self, similar: Similar) -> None:
        super().__init__(_("Er bestaan al pilots die erg op de uwe lijken. Bekijk ze voordat u publiceert."))
        self.similar = similar

    @property
    def duplicate_slugs(self) -> list[str]:
        return [p.slug for p, m in self.similar if m.duplicate]


# -- reading: similarity as corrected by people ------------------------------------------------------


def _pair(a: Pilot, b: Pilot) -> tuple[int, int]:
    return (a.id, b.id) if a.id < b.id else (b.id, a.id)


def get_dismissal(a: Pilot, b: Pilot) -> DuplicateDismissal | None:
    low, high = _pair(a, b)
    return db.session.scalar(
        select(DuplicateDismissal).where(
            DuplicateDismissal.pilot_low_id == low, DuplicateDismissal.pilot_high_id == high
        )
    )


def dismissals(pilot: Pilot) -> dict[int, DuplicateDismissal]:
    """The "geen dubbel" marks involving this pilot, by the other pilot's id."""
    rows = db.session.scalars(
        select(DuplicateDismissal).where(
            or_(DuplicateDismissal.pilot_low_id == pilot.id, DuplicateDismissal.pilot_high_id == pilot.id)
        )
    )
    return {(d.pilot_high_id if d.pilot_low_id == pilot.id else d.pilot_low_id): d for d in rows}


def _corrected(pairs: Similar, pilot: Pilot | None, entry_type: str | None = None) -> Similar:
    """Demote to the related tier: entries of another type (entry_types.can_be_duplicates: the one place of the
    type rule, so pages, API, the writing panel and the publish check agree), dismissed pairs and pilots already
    linked as "dubbel van". ``entry_type``: of the text (a new one has no ``pilot`` yet)."""
    entry_type = pilot.entry_type if pilot is not None else (entry_type or entry_types.DEFAULT_TYPE)
    dismissed = set(dismissals(pilot)) if pilot is not None else set()
    out = []
    for other, match in pairs:
        linked = pilot is not None and (other.id == pilot.duplicate_of_id or other.duplicate_of_id == pilot.id)
        other_kind = not entry_types.can_be_duplicates(entry_type, other.entry_type)
        if match.duplicate and (other.id in dismissed or linked or other_kind):
            match = dataclasses.replace(match, duplicate=False, tier=Tier.RELATED)
        out.append((other, match))
    return out


def similar_pilots(pilot: Pilot, limit: int = 5, types: Collection[str] | None = None) -> Similar:
    """Similar entries for a pilot page or the API (of ``types`` only, when given), with people's corrections
    applied."""
    if pilot.is_deleted:
        return []
    return _corrected(similarity_service().similar(pilot, limit=limit, types=types), pilot)


def enough_text(title: str, summary: str, body: str) -> bool:
    return len(f"{title} {summary} {body}".split()) >= MIN_WORDS


def similar_to_text(
    title: str, summary: str, body: str, limit: int = 5, pilot: Pilot | None = None, entry_type: str | None = None
) -> Similar:
    """Existing pilots like an unsaved text, for the writing panel and ``POST /api/v1/similar``.

    With `pilot` (the text is an edit of it) never itself, and its "geen dubbel" and "dubbel van" corrections
    applied; a new text has no pairs yet, only the type rule (``entry_type``, pilot when not given).
    """
    pairs = similarity_service().similar_to_text(title, summary, body, limit=limit + (pilot is not None))
    if pilot is not None:
        pairs = [(p, m) for p, m in pairs if p.id != pilot.id][:limit]
    return _corrected(pairs, pilot, entry_type)


def writing_warning(
    title: str, summary: str, body: str, pilot: Pilot | None = None, entry_type: str | None = None
) -> Similar:
    """What the "Lijkt op bestaande pilots" panel lists for a text being written (not for a few words)."""
    if not enough_text(title, summary, body):
        return []
    return [
        (p, m)
        for p, m in similar_to_text(title, summary, body, pilot=pilot, entry_type=entry_type)
        if m.duplicate or m.score >= WARNING_MIN_SCORE
    ]


def contribution_body(current_body: str, organisation: str, title: str, summary: str, body: str) -> str:
    """A pilot's body with a text written as a new pilot added as a contribution section: what "Doe mee" offers
    the writer of a duplicate, so the text is kept (the writer saves it, edits it or leaves it)."""
    heading = _("Bijdrage van %(org)s", org=organisation) + (f": {title.strip()}" if title.strip() else "")
    written = "\n\n".join(part.strip() for part in (summary, body) if part.strip())
    return f"{current_body.rstrip()}\n\n## {heading}\n\n{written}\n"


def taking_part(user: User | None, pilots: Iterable[Pilot]) -> set[int]:
    """Ids of these pilots the user's organisation already takes part in (no "Doe mee" for those)."""
    ids = [p.id for p in pilots]
    if user is None or not user.is_authenticated or not ids:
        return set()
    return set(
        db.session.scalars(
            select(Participation.pilot_id).where(
                Participation.pilot_id.in_(ids), Participation.organisation_id == user.organisation_id
            )
        )
    )


def check_before_publish(text: PilotText, reviewed: Iterable[str]) -> Similar:
    """The check step: likely duplicates not yet looked at stop the publication.

    `reviewed` holds the slugs the author saw and chose to pass (the "toch publiceren" button, or the
    JavaScript warning's dismissal), so a duplicate that appears later is still shown.
    :raise DuplicatesFound: carrying every similar pilot for the panel.
    """
    seen = {s.strip() for value in reviewed for s in value.split(",") if s.strip()}
    similar = writing_warning(text.title, text.summary, text.body, entry_type=text.entry_type)
    if any(m.duplicate and p.slug not in seen for p, m in similar):
        raise DuplicatesFound(similar)
    return similar


def publish_new_pilot(
    user: User, text: PilotText, partners: list[Organisation], token: str | None, reviewed: Iterable[str]
) -> Pilot:
    """Create a pilot after the duplicate check. A repeated token returns the first pilot, unchecked.

    Once the request has committed it, organisations with the most similar pilots hear of it
    (pilot_news.announce_similar_published: it reads the similarity model, which follows committed changes).

    :raise DuplicatesFound: when likely duplicates were not reviewed (nothing is saved).
    """
    require_writer(user)
    if _revision_for_token(token) is None:
        check_before_publish(validate_text(text), reviewed)
    pilot = create_pilot(user, text, partners, token=token)
    derived_data.after_commit(lambda: announce_similar_published(pilot, user))
    return pilot


# -- "geen dubbel" -----------------------------------------------------------------------------------


def _distinct_live(pilot: Pilot, other: Pilot) -> None:
    if pilot.id == other.id:
        raise InvalidInput(_("Kies een andere pilot."))
    if pilot.is_deleted or other.is_deleted:
        raise InvalidInput(_("Deze pilot is verwijderd."))


def dismiss_duplicate(user: User, pilot: Pilot, other: Pilot, reason: str = "") -> DuplicateDismissal:
    """Any verified member who knows both pilots says they are not duplicates; remembered for the pair."""
    require_writer(user)
    _distinct_live(pilot, other)
    if (found := get_dismissal(pilot, other)) is not None:
        return found
    low, high = _pair(pilot, other)
    reason = " ".join(reason.split())[:MAX_REASON]
    dismissal = DuplicateDismissal(pilot_low_id=low, pilot_high_id=high, created_by_id=user.id, reason=reason)
    db.session.add(dismissal)
    db.session.flush()
    audit.record("pilot.not_duplicate", user, "pilot", pilot.slug, other=other.slug, reason=reason)
    return dismissal


def undo_dismissal(user: User, pilot: Pilot, other: Pilot) -> None:
    """VNG staff take a "geen dubbel" mark back. :raise PermissionDenied: for anyone else."""
    require_curator(user)
    if (found := get_dismissal(pilot, other)) is None:
        raise NotFound(_("Dit paar is niet als 'geen dubbel' gemarkeerd."))
    db.session.delete(found)
    audit.record("pilot.not_duplicate_undone", user, "pilot", pilot.slug, other=other.slug)


# -- "dubbel van …" and merging (VNG staff and admins) ------------------------------------------------


def can_curate(user: User | None) -> bool:
    """Only VNG staff and admins mark duplicates and merge: it changes other organisations' pages."""
    return permissions.is_curator(user)


def require_curator(user: User | None) -> User:
    """:raise PermissionDenied: for anyone but a curator (:func:`permissions.is_curator`)."""
    return permissions.require_curator(user, _("Alleen VNG-medewerkers en beheerders kunnen dubbele pilots markeren."))


def _notify_both(kind: str, user: User, pilot: Pilot, *others: Pilot, **data: str) -> None:
    audience = {u.id: u for p in (pilot, *others) for u in pilot_audience(p)}
    notify(audience.values(), kind, actor=user, pilot=pilot, **data)


def mark_duplicate(user: User, pilot: Pilot, main: Pilot) -> None:
    """Mark `pilot` as "dubbel van" `main`: both pages link to each other until staff merge or undo it."""
    require_curator(user)
    _distinct_live(pilot, main)
    if not entry_types.can_be_duplicates(pilot.entry_type, main.entry_type):
        raise InvalidInput(_("Alleen een pilot, best practice of challenge van dezelfde soort kan een dubbel zijn."))
    if main.duplicate_of_id is not None:
        raise InvalidInput(_("%(main)s is zelf als dubbel gemarkeerd; kies de hoofdpilot.", main=main.title))
    if db.session.scalar(select(Pilot.id).where(Pilot.duplicate_of_id == pilot.id, Pilot.deleted_at.is_(None))):
        raise InvalidInput(_("Andere pilots zijn als dubbel van deze pilot gemarkeerd; markeer die eerst anders."))
    if pilot.duplicate_of_id == main.id:
        return
    pilot.duplicate_of = main
    audit.record("pilot.duplicate_marked", user, "pilot", pilot.slug, main=main.slug)
    _notify_both("pilot.duplicate_marked", user, pilot, main, main_pilot=main.title)


def unmark_duplicate(user: User, pilot: Pilot) -> None:
    """Take back "dubbel van" before a merge. :raise InvalidInput: once merged."""
    require_curator(user)
    if pilot.is_merged:
        raise InvalidInput(_("Deze pilot is al samengevoegd; dat kan niet ongedaan worden gemaakt."))
    if pilot.duplicate_of is None:
        return
    audit.record("pilot.duplicate_unmarked", user, "pilot", pilot.slug, main=pilot.duplicate_of.slug)
    pilot.duplicate_of = None


def merge_duplicate(user: User, pilot: Pilot) -> Pilot:
    """Merge a pilot marked "dubbel van" into its main pilot; returns the main pilot.

    Its organisations join the main pilot (the initiator as partner, a supplier as supplier, never twice,
    an existing role only ever raised); it leaves lists, search and similarity like a deleted pilot, while
    its revisions stay readable.
    """
    require_curator(user)
    main = pilot.duplicate_of
    if main is None:
        raise InvalidInput(_("Markeer de pilot eerst als dubbel van een hoofdpilot."))
    if pilot.is_merged:
        return main
    if main.is_deleted:
        raise InvalidInput(_("De hoofdpilot is verwijderd."))
    audience = {u.id: u for p in (pilot, main) for u in pilot_audience(p)}  # before the organisations move
    existing = {p.organisation_id: p for p in main.participations}
    moved = []
    for part in pilot.participations:
        role = part.role
        if role == "initiator":
            role = "supplier" if part.organisation.kind == "supplier" else "partner"
        have = existing.get(part.organisation_id)
        if have is None:
            new = Participation(pilot=main, organisation=part.organisation, role=role, created_by_id=user.id)
            db.session.add(new)
            existing[part.organisation_id] = new
            moved.append(part.organisation.code)
        elif ROLE_RANK[role] > ROLE_RANK[have.role]:
            have.role = role
            moved.append(part.organisation.code)
    now = utcnow()
    pilot.merged_at, pilot.merged_by_id = now, user.id
    pilot.deleted_at, pilot.deleted_by_id = now, user.id  # hidden everywhere a deleted pilot is
    main.updated_at = now
    record_change(pilot, "delete")
    record_change(main)
    audit.record("pilot.merged", user, "pilot", pilot.slug, main=main.slug, organisations=moved)
    notify(audience.values(), "pilot.merged", actor=user, pilot=main, duplicate_pilot=pilot.title)
    return main


def duplicates_of(main: Pilot) -> tuple[list[Pilot], list[Pilot]]:
    """Pilots marked "dubbel van" this one: (still open, already merged)."""
    rows = list(db.session.scalars(select(Pilot).where(Pilot.duplicate_of_id == main.id).order_by(Pilot.title)))
    return [p for p in rows if not p.is_merged and not p.is_deleted], [p for p in rows if p.is_merged]


def merged_target(pilot: Pilot) -> Pilot | None:
    """Where a merged pilot's page goes now: its main pilot, following later merges of that one too."""
    seen = {pilot.id}
    target = pilot.duplicate_of if pilot.is_merged else None
    while target is not None and target.is_merged and target.duplicate_of is not None and target.id not in seen:
        seen.add(target.id)
        target = target.duplicate_of
    return target


def find_main_candidate(pilot: Pilot, slug: str) -> Pilot:
    """The main pilot a curator chose by slug (from the list or typed). :raise NotFound:"""
    slug = slug.strip().rstrip("/").rsplit("/", 1)[-1]
    main = db.session.scalar(select(Pilot).where(Pilot.slug == slug, Pilot.deleted_at.is_(None)))
    if main is None:
        raise NotFound(_("Er is geen pilot met het adres '%(slug)s'.", slug=slug))
    return main


@dataclasses.dataclass
class DuplicatePage:
    """Everything the pilot page shows about duplicates, computed once per request."""

    similar: Similar
    dismissed: dict[int, DuplicateDismissal]
    open_duplicates: list[Pilot]
    merged_duplicates: list[Pilot]
    merged_into: Pilot | None
    can_dismiss: bool
    can_curate: bool
    # The other group of entry types (entry_types.other_group): a challenge's possible answers, or the challenges
    # a pilot or best practice may answer. ``similar`` holds the page's own group.
    cross: Similar = dataclasses.field(default_factory=list)


def duplicate_page(pilot: Pilot, user: User | None) -> DuplicatePage:
    """The corrected similar pilots, the "dubbel van" links both ways and what this user may do."""
    target = merged_target(pilot)
    if target is not None:
        return DuplicatePage([], {}, [], [], target, False, False)
    open_, merged = duplicates_of(pilot)
    return DuplicatePage(
        similar=similar_pilots(pilot, types=entry_types.answer_group(pilot.entry_type)),
        cross=similar_pilots(pilot, types=entry_types.other_group(pilot.entry_type)),
        dismissed=dismissals(pilot),
        open_duplicates=open_,
        merged_duplicates=merged,
        merged_into=None,
        can_dismiss=can_write(user) and not pilot.is_deleted,
        can_curate=can_curate(user) and not pilot.is_deleted,
    )
