"""The write API (/api/v1, personal token with the write scope): pilots, taking part, following, comments,
"geen dubbel", and GET /me. Each endpoint parses JSON and calls the service the pages call, so every rule
(permissions, consent, merge, limits) is the pages' own; service errors become problem+json (errors.py)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import problem
from ..extensions import db
from ..json_body import TEXT_FIELDS, Expect, json_object
from ..models import Revision
from ..rate_limits import configured, limiter
from ..services import entry_types, follows
from ..services.comments import get_comment, post_comment
from ..services.errors import InvalidInput, NotFound
from ..services.matchmaking.duplicates import DuplicatesFound, dismiss_duplicate, publish_new_pilot
from ..services.organisations import get_organisation, resolve_partners
from ..services.participation import join_pilot, leave_pilot
from ..services.pilot_queries import get_pilot, get_revision
from ..services.pilots import EditConflict, PilotText, edit_pilot
from ..services.textmerge import Agreed
from . import bp
from .auth import require_api_user, writes
from .comment_routes import comment_json
from .serializers import organisation_json, pilot_detail_json

PILOT_FIELDS = {
    **TEXT_FIELDS, "themes": Expect.TEXT_LIST, "tags": Expect.TEXT_LIST, "status": Expect.TEXT,
    "edit_summary": Expect.TEXT,
}  # fmt: skip
MAX_IDEMPOTENCY_KEY = 200
JOIN_ROLES = ("partner", "supplier", "interested")  # partner and supplier: "Doe mee" (the service picks which)


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, {field: [message]})


def _body(fields: dict[str, Expect]) -> dict[str, Any]:
    """The JSON object, or nothing for an empty body (joining or following needs no fields)."""
    if not request.content_length and not request.is_json:
        return {}
    return json_object(fields)


def _idempotency_token() -> str | None:
    """The Idempotency-Key header as the edit token the pages use (Revision.submission_token): a retried request
    with the same key returns the first result. Hashed with the account, so keys of two people never meet."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_IDEMPOTENCY_KEY:
        raise _invalid("Idempotency-Key", _("Idempotency-Key heeft 1 tot %(n)d tekens.", n=MAX_IDEMPOTENCY_KEY))
    return "api:" + hashlib.sha256(f"{current_user.id}:{key}".encode()).hexdigest()[:56]


def _pilot_text(data: dict[str, Any], base: Revision | None = None) -> PilotText:
    """The text sent; a field left out keeps the base revision's value (an edit changes only what it names).
    A new entry's type is sent once ("type", default pilot); an edit keeps the entry's type (services/pilots)."""
    pick = data.get
    entry_type = pick("type") or entry_types.DEFAULT_TYPE
    default_status = base.status if base else entry_types.default_status(entry_type)  # unknown type: refused later
    return PilotText(
        title=pick("title", base.title if base else ""), summary=pick("summary", base.summary if base else ""),
        body=pick("body", base.body if base else ""), themes=pick("themes", base.theme_keys if base else []),
        tags=pick("tags", base.tag_values if base else []), status=pick("status", default_status),
        edit_summary=data.get("edit_summary", ""), entry_type=entry_type,
    )  # fmt: skip


@bp.get("/me")
def me():
    """Who the request is: the account, and the token's scopes (or "session")."""
    user = require_api_user()
    token = g.get("api_token")
    return jsonify(
        {
            "name": user.name,
            "email": user.email,
            "organisation": organisation_json(user.organisation),
            "role": user.role,
            "verified": user.verified,
            "authenticated_by": "token" if token else "session",
            "scopes": token.scopes if token else ["read", "write"],
            "token": {
                "name": token.name,
                "prefix": token.prefix,
                "expires_at": token.expires_at.isoformat(timespec="seconds") + "Z" if token.expires_at else None,
            }
            if token
            else None,
        }
    )


@bp.post("/pilots")
@writes
def create_pilot():
    """Publish a pilot, after the same duplicate check as the form (409 lists them; resend with "reviewed")."""
    data = json_object(
        {**PILOT_FIELDS, "type": Expect.TEXT, "partners": Expect.TEXT_LIST, "reviewed": Expect.TEXT_LIST}
    )
    partners = resolve_partners({f"partners.{i}": ref for i, ref in enumerate(data.get("partners", []))})
    try:
        pilot = publish_new_pilot(
            current_user, _pilot_text(data), partners, _idempotency_token(), data.get("reviewed", [])
        )
    except DuplicatesFound as exc:
        db.session.rollback()
        duplicates = [{"slug": p.slug, "title": p.title, "tier": m.tier.value} for p, m in exc.similar if m.duplicate]
        return problem(409, exc.message, duplicates=duplicates)
    response = jsonify(pilot_detail_json(pilot))
    response.status_code = 201
    response.headers["Location"] = url_for("api.pilot", slug=pilot.slug, _external=True)
    return response


@bp.route("/pilots/<slug>", methods=["PUT", "PATCH"])
@writes
def edit_pilot_view(slug: str):
    """Save an edit made on ``base_revision``; a stale base merges like the page, overlaps answer 409."""
    pilot = get_pilot(slug, current_user)
    data = json_object({**PILOT_FIELDS, "base_revision": Expect.INT})
    number = data.get("base_revision")
    if number is None or not 1 <= number <= pilot.current_revision.number:
        raise _invalid("base_revision", _("Geef base_revision: het revisienummer waarop u uw wijziging maakte."))
    base = get_revision(pilot, number)
    try:
        outcome = edit_pilot(current_user, pilot, _pilot_text(data, base), number, token=_idempotency_token())
    except EditConflict as exc:
        db.session.rollback()
        return _conflict(exc)
    return jsonify(
        {
            "saved": outcome.revision is not None,
            "auto_merged": outcome.merged,
            "pilot": pilot_detail_json(outcome.pilot),
        }
    )


def _conflict(exc: EditConflict):
    """409 with what the client needs to resolve: the description as segments, agreed text once and each
    conflict as yours/theirs (and their common base), the other fields as merged, and the revision to build on."""
    if exc.body is not None:
        segments = [
            {"agreed": s.text} if isinstance(s, Agreed) else {"yours": s.mine, "theirs": s.theirs, "base": s.base}
            for s in exc.body.segments
        ]
    else:
        segments = [{"agreed": exc.text.body}] if exc.text.body else []
    text = exc.text
    return problem(
        409, exc.message, current_revision=exc.current.number, base_revision=exc.base_number,
        merged_text={"segments": segments, "conflicts": exc.text_conflicts},
        field_conflicts={name: {"yours": mine, "theirs": theirs} for name, (mine, theirs) in exc.fields.items()},
        merged={"title": text.title, "summary": text.summary, "status": text.status, "themes": text.themes,
                "tags": text.tags},
    )  # fmt: skip


def _participation_json(pilot, role: str | None) -> dict:
    return {"pilot": pilot.slug, "organisation": current_user.organisation.code, "role": role}


@bp.post("/pilots/<slug>/participation")
@writes
def join(slug: str):
    """ "Doe mee" (role partner or supplier: the service picks by organisation kind) or "interested"."""
    pilot = get_pilot(slug, current_user)
    data = _body({"role": Expect.TEXT, "organisation": Expect.TEXT})
    role = data.get("role", "partner")
    if role not in JOIN_ROLES:
        raise _invalid("role", _("Kies partner, supplier of interested."))
    code = data.get("organisation")
    if code is not None and code.upper() != current_user.organisation.code.upper():
        raise _invalid(
            "organisation",
            _("U doet alleen mee namens uw eigen organisatie (%(code)s).", code=current_user.organisation.code),
        )
    part = join_pilot(current_user, pilot, interest_only=role == "interested")
    return jsonify(_participation_json(pilot, part.role))


@bp.delete("/pilots/<slug>/participation")
@writes
def leave(slug: str):
    """Take one's organisation off the pilot; ``role`` is null when it was not taking part."""
    pilot = get_pilot(slug, current_user)
    left = leave_pilot(current_user, pilot)
    return jsonify({**_participation_json(pilot, None), "left": left})


def _following(changed: bool, following: bool):
    return jsonify({"following": following, "changed": changed})


@bp.post("/pilots/<slug>/follow")
@writes
def follow_pilot(slug: str):
    return _following(follows.follow(current_user, get_pilot(slug, current_user)), True)


@bp.delete("/pilots/<slug>/follow")
@writes
def unfollow_pilot(slug: str):
    return _following(follows.unfollow(current_user, get_pilot(slug, current_user)), False)


@bp.post("/themes/<key>/follow")
@writes
def follow_theme(key: str):
    return _following(follows.follow_theme(current_user, key), True)


@bp.delete("/themes/<key>/follow")
@writes
def unfollow_theme(key: str):
    return _following(follows.unfollow_theme(current_user, follows.require_theme(key)), False)


@bp.post("/organisations/<code>/follow")
@writes
def follow_organisation(code: str):
    return _following(follows.follow_organisation(current_user, get_organisation(code)), True)


@bp.delete("/organisations/<code>/follow")
@writes
def unfollow_organisation(code: str):
    return _following(follows.unfollow_organisation(current_user, get_organisation(code)), False)


@bp.post("/pilots/<slug>/comments")
@limiter.limit(configured("RATELIMIT_COMMENTS"))  # the discussion page's limit, per token or account
@writes
def post_pilot_comment(slug: str):
    """A comment, or a reply with ``parent`` (any comment of the thread); Markdown, sanitized like the page's."""
    pilot = get_pilot(slug, current_user)
    data = json_object({"body": Expect.TEXT, "parent": Expect.INT})
    parent = None
    if "parent" in data:
        try:
            parent = get_comment(data["parent"], current_user)
        except NotFound:
            raise _invalid("parent", _("Deze reactie bestaat niet (meer).")) from None
    comment = post_comment(current_user, pilot, data.get("body", ""), reply_to=parent)
    response = jsonify(comment_json(comment, 0))
    response.status_code = 201
    return response


@bp.post("/pilots/<slug>/not-duplicate")
@writes
def not_duplicate(slug: str):
    """ "Geen dubbel": this pair is not one pilot invented twice (any verified member; remembered per pair)."""
    pilot = get_pilot(slug, current_user)
    data = json_object({"other": Expect.TEXT, "reason": Expect.TEXT})
    try:
        other = get_pilot(data.get("other", ""), current_user)
    except NotFound:
        raise _invalid("other", _("Deze pilot bestaat niet (meer).")) from None
    dismissal = dismiss_duplicate(current_user, pilot, other, data.get("reason", ""))
    return jsonify({"pilot": pilot.slug, "other": other.slug, "reason": dismissal.reason, "duplicate": False})
