"""Entry types — pilot, best practice, challenge: the one place that says what differs between them.

All three share the wiki machinery (revisions, history, merge, search, matchmaking, comments, follows); what
differs is here: the Dutch labels, the statuses, the outline a new entry starts from (pilot_template.py reads
it), and which features apply. VNG uses "best practice" and "challenge" in Dutch too, so those are the labels.

The type is chosen when an entry is created and never changes: statuses, outline and history belong to a type
(a revert would bring back a status the other type does not have). A pilot that became common practice is
described as a best practice of its own that links to it with ``[[title]]``. Which types can be adopted
("wij nemen dit over") is decided in services/adoptions.py (``can_be_adopted``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models.pilots import ENTRY_TYPES, STATUSES

DEFAULT_TYPE = "pilot"

# (singular, plural) per type, for badges, titles, filters and headings.
TYPE_LABELS: dict[str, tuple[str, str]] = {
    "pilot": (_l("Pilot"), _l("Pilots")),
    "best_practice": (_l("Best practice"), _l("Best practices")),
    "challenge": (_l("Challenge"), _l("Challenges")),
}

# Each type's statuses in the order a form offers them; the first is a new entry's default. A pilot is tried
# and ends; a best practice is in use somewhere and spreads; a challenge is a question that gets answered.
STATUSES_BY_TYPE: dict[str, tuple[str, ...]] = {
    "pilot": STATUSES,
    "best_practice": ("in_gebruik", "wordt_uitgerold", "uitgefaseerd"),
    "challenge": ("open", "oplossing_gezocht", "in_selectie", "opgelost", "gesloten"),
}

# The new-entry form's heading and publish button per type.
NEW_TITLES: dict[str, str] = {
    "pilot": _l("Nieuwe pilot"),
    "best_practice": _l("Nieuwe best practice"),
    "challenge": _l("Nieuwe challenge"),
}
PUBLISH_LABELS: dict[str, str] = {
    "pilot": _l("Pilot publiceren"),
    "best_practice": _l("Best practice publiceren"),
    "challenge": _l("Challenge publiceren"),
}

# The pilot page's two matchmaking panels: similar entries of its own group, and the other group's (a challenge's
# answers; the challenges a pilot or best practice may answer). Headings and what an empty panel says.
SIMILAR_PANEL: dict[str, tuple[str, str]] = {
    "answers": (_l("Vergelijkbare pilots en best practices"), _l("Geen vergelijkbare pilots gevonden.")),
    "questions": (_l("Vergelijkbare challenges"), _l("Geen vergelijkbare challenges gevonden.")),
}
CROSS_PANEL: dict[str, tuple[str, str]] = {
    "answers": (
        _l("Challenges waar dit een antwoord op kan zijn"),
        _l("Geen challenges gevonden waar dit een antwoord op kan zijn."),
    ),
    "questions": (
        _l("Pilots en best practices die hier al antwoord op geven"),
        _l("Nog geen pilots of best practices gevonden die hier antwoord op geven."),
    ),
}

# Every status of every type (keys are unique across types), so a status alone always has one label.
STATUS_LABELS: dict[str, str] = {
    "idee": _l("Idee"),
    "partners_gezocht": _l("Partners gezocht"),
    "lopend": _l("Lopend"),
    "afgerond": _l("Afgerond"),
    "gestopt": _l("Gestopt"),
    "in_gebruik": _l("In gebruik"),
    "wordt_uitgerold": _l("Wordt uitgerold"),
    "uitgefaseerd": _l("Uitgefaseerd"),
    "open": _l("Open"),
    "oplossing_gezocht": _l("Oplossing gezocht"),
    "in_selectie": _l("In selectie"),
    "opgelost": _l("Opgelost"),
    "gesloten": _l("Gesloten"),
}

# Entries that answer a question (pilots and best practices) and entries that ask one (challenges): the pilot
# page's similar panel stays within a group, the cross panel shows the other group.
ANSWERS = ("pilot", "best_practice")
QUESTIONS = ("challenge",)


def is_entry_type(value: str | None) -> bool:
    return value in ENTRY_TYPES


def type_label(entry_type: str) -> str:
    """The singular label ("Best practice"); an unknown key as itself."""
    return str(TYPE_LABELS[entry_type][0]) if entry_type in TYPE_LABELS else entry_type


def type_plural(entry_type: str) -> str:
    """The plural label ("Best practices"), for headings and filters."""
    return str(TYPE_LABELS[entry_type][1]) if entry_type in TYPE_LABELS else entry_type


def statuses(entry_type: str) -> tuple[str, ...]:
    """The statuses an entry of this type may have (a pilot's for an unknown type)."""
    return STATUSES_BY_TYPE.get(entry_type, STATUSES)


def default_status(entry_type: str) -> str:
    return statuses(entry_type)[0]


def valid_status(entry_type: str, status: str) -> bool:
    """Whether ``status`` belongs to ``entry_type``: the one check forms, import and API go through."""
    return entry_type in STATUSES_BY_TYPE and status in STATUSES_BY_TYPE[entry_type]


def status_choices(entry_type: str) -> list[tuple[str, str]]:
    """(key, label) of the type's statuses, in order, for a form's select."""
    return [(key, str(STATUS_LABELS[key])) for key in statuses(entry_type)]


def titled(entry_type: str, title: str) -> str:
    """ "Best practice: Title" — how page titles, feeds and activity name an entry."""
    return f"{type_label(entry_type)}: {title}"


def answer_group(entry_type: str) -> tuple[str, ...]:
    """The types shown beside this one as similar entries (its own group)."""
    return QUESTIONS if entry_type in QUESTIONS else ANSWERS


def other_group(entry_type: str) -> tuple[str, ...]:
    """The types of the cross panel: challenges for a pilot or best practice, the answers for a challenge."""
    return ANSWERS if entry_type in QUESTIONS else QUESTIONS


def group_key(entry_type: str) -> str:
    """ "questions" for a challenge, "answers" for a pilot or best practice: the key of the panel texts."""
    return "questions" if entry_type in QUESTIONS else "answers"


def can_be_duplicates(type_a: str, type_b: str) -> bool:
    """A duplicate is the same entry written twice, so only within one type: a pilot that answers a challenge,
    or a best practice grown from a pilot, is related to it, never its duplicate."""
    return type_a == type_b


def has_scale_up_route(entry) -> bool:
    """Only pilots go to the portfolio consultation: a best practice is already in use, a challenge is a
    question."""
    return entry.entry_type == "pilot"
