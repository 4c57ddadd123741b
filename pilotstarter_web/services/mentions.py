"""@mentions in comments: one unambiguous syntax, resolved to links and to the people to notify.

The autocomplete inserts ``@[Naam](user:12)`` for a person and ``@[Gemeente X](org:GM0344)`` for an
organisation. The id or code decides who is meant, never the label: two people called "Jan de Vries" stay
two, and a renamed person is shown by their current name. A mention that resolves to nobody (an unknown id, a
pending organisation, an inactive or unverified account) reads as plain ``@label``. Before rendering, each
mention becomes an ordinary Markdown link with its label escaped, so it goes through the same renderer and
sanitizer as every other text. The pattern is linear (bounded classes, no nesting) and at most
:data:`MAX_MENTIONS` distinct mentions per text are resolved and notified; later ones read as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Organisation, User
from .markdown_escape import escape_markdown
from .notifications import verified_members

MENTION_RE = re.compile(r"@\[([^\[\]\n]{1,120})\]\((user|org):([A-Za-z0-9_.-]{1,64})\)")
MAX_MENTIONS = 20  # distinct people and organisations per comment
MAX_QUERY = 50  # characters of an autocomplete query
SUGGESTIONS = 8  # answers of the autocomplete, people and organisations together


@dataclass
class Resolved:
    """The mentions of one text that point at someone: users by id, organisations by code."""

    users: dict[int, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)

    def recipients(self) -> list[User]:
        """Who hears of the mention: the people, and the verified members of the organisations."""
        seen = dict(self.users)
        for user in verified_members(o.id for o in self.organisations.values()):
            seen.setdefault(user.id, user)
        return list(seen.values())


def parse(text: str) -> list[tuple[str, str]]:
    """The distinct (kind, key) pairs mentioned, in order, at most :data:`MAX_MENTIONS`."""
    found: dict[tuple[str, str], None] = {}
    for m in MENTION_RE.finditer(text or ""):
        key = (m.group(2), m.group(3))
        if key not in found:
            if len(found) >= MAX_MENTIONS:
                break
            found[key] = None
    return list(found)


def resolve(text: str) -> Resolved:
    """Look the text's mentions up: two queries at most, whatever the text."""
    pairs = parse(text)
    user_ids = [int(key) for kind, key in pairs if kind == "user" and key.isdigit() and len(key) < 10]
    codes = [key for kind, key in pairs if kind == "org"]
    resolved = Resolved()
    if user_ids:
        users = db.session.scalars(
            select(User).where(User.id.in_(user_ids), User.active.is_(True), User.verified_at.is_not(None))
        )
        resolved.users = {u.id: u for u in users}
    if codes:
        orgs = db.session.scalars(
            select(Organisation).where(Organisation.code.in_(codes), Organisation.pending.is_(False))
        )
        resolved.organisations = {o.code: o for o in orgs}
    return resolved


def person_url(user: User) -> str:
    """A person has no page of their own: their entry in their organisation's member list."""
    return f"/organisations/{quote(user.organisation.code)}#lid-{user.id}"


def organisation_url(organisation: Organisation) -> str:
    return f"/organisations/{quote(organisation.code)}"


def to_markdown(text: str, resolved: Resolved) -> str:
    """The text with every mention as a Markdown link (the current name, escaped) or as plain ``@label``."""
    allowed = set(parse(text))

    def link(m: re.Match) -> str:
        kind, key = m.group(2), m.group(3)
        target = None
        if (kind, key) in allowed:
            if kind == "user" and key.isdigit() and len(key) < 10:
                user = resolved.users.get(int(key))
                target = (user.name, person_url(user)) if user else None
            elif kind == "org":
                org = resolved.organisations.get(key)
                target = (org.display_name, organisation_url(org)) if org else None
        if target is None:
            return "@" + escape_markdown(m.group(1))
        return f"[@{escape_markdown(target[0])}]({target[1]})"

    return MENTION_RE.sub(link, text or "")


def token(kind: str, key: str | int, label: str) -> str:
    """What the autocomplete inserts; brackets in a name would end the label early, so they become parentheses."""
    clean = " ".join(label.replace("[", "(").replace("]", ")").split())[:120] or "?"
    return f"@[{clean}]({kind}:{key})"


def _like(q: str) -> str:
    """A LIKE pattern for "contains q" with q's own wildcards taken literally."""
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def suggest(q: str, limit: int = SUGGESTIONS) -> list[dict[str, str]]:
    """People (active, verified) and organisations (not pending) whose name contains ``q``; people first.

    Bounded: the query is cut to :data:`MAX_QUERY` characters and asks for ``limit`` rows of each kind.
    """
    q = " ".join((q or "").split())[:MAX_QUERY]
    if len(q) < 2:
        return []
    pattern = _like(q)
    users = db.session.scalars(
        select(User)
        .where(func.lower(User.name).like(pattern, escape="\\"), User.active.is_(True), User.verified_at.is_not(None))
        .order_by(User.name, User.id)
        .limit(limit)
    ).all()
    orgs = db.session.scalars(
        select(Organisation)
        .where(
            or_(func.lower(Organisation.name).like(pattern, escape="\\"), func.lower(Organisation.code) == q.lower()),
            Organisation.pending.is_(False),
        )
        .order_by(Organisation.name)
        .limit(limit)
    ).all()
    items = [
        {"label": u.name, "detail": u.organisation.display_name, "kind": "user", "token": token("user", u.id, u.name)}
        for u in users
    ] + [
        {"label": o.display_name, "detail": o.code, "kind": "org", "token": token("org", o.code, o.display_name)}
        for o in orgs
    ]
    return items[:limit]
