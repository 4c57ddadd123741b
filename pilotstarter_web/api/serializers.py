"""Plain JSON shapes of pilots and organisations, shared by every API endpoint."""

from __future__ import annotations

from flask import url_for

from search_index.fulltext import Hit

from ..models import Notification, Organisation, Pilot
from ..render_cache import render_revision
from ..services.adoptions import public_adoptions
from ..services.notifications import message
from ..services.scaleup import scale_up_json


def organisation_json(org: Organisation) -> dict:
    return {
        "code": org.code,
        "name": org.name,
        "display_name": org.display_name,
        "kind": org.kind,
        "province": org.province,
        "country": org.country,
        "url": url_for("organisations.view", code=org.code, _external=True),
    }


def pilot_summary_json(pilot: Pilot) -> dict:
    return {
        "slug": pilot.slug,
        "title": pilot.title,
        "type": pilot.entry_type,  # pilot, best_practice or challenge (services/entry_types.py)
        "summary": pilot.summary,
        "status": pilot.status,
        "themes": pilot.theme_keys,
        "tags": pilot.tag_values,
        "owner": {"code": pilot.owner.code, "name": pilot.owner.name},
        "scale_up": scale_up_json(pilot),  # state and the latest decision of the portfolio consultation
        # "Dubbel van": the main pilot's slug; merged duplicates forward there (their history stays readable).
        "duplicate_of": pilot.duplicate_of.slug if pilot.duplicate_of is not None else None,
        "merged": pilot.is_merged,
        "created_at": pilot.created_at.isoformat() + "Z",
        "updated_at": pilot.updated_at.isoformat() + "Z",
        "url": url_for("pilots.view", slug=pilot.slug, _external=True),
    }


def pilot_detail_json(pilot: Pilot) -> dict:
    rev = pilot.current_revision
    return {
        **pilot_summary_json(pilot),
        "revision": rev.number,
        "body_markdown": rev.body,
        "body_html": render_revision(rev).html,
        "last_editor": rev.author.name if rev.author else None,
        "participants": [
            {"code": p.organisation.code, "name": p.organisation.name, "role": p.role} for p in pilot.participations
        ],
        # "Wij nemen dit over": who reuses a scaled-up pilot or best practice (public fields, never the contact).
        "adoptions": public_adoptions(pilot),
    }


def search_hit_json(hit: Hit) -> dict:
    return {
        "slug": hit.slug,
        "title": hit.title,
        "type": hit.entry_type,
        "snippet": hit.snippet,
        "in_documents": hit.in_documents,
        "score": hit.score,
        "status": hit.status,
        "themes": list(hit.themes),
        "organisations": list(hit.organisations),
        "updated_at": hit.updated_at.isoformat(timespec="seconds") + "Z",
        "url": url_for("pilots.view", slug=hit.slug),
    }


def notification_json(n: Notification) -> dict:
    """The text is rendered in the requester's language, like on the notifications page."""
    return {
        "id": n.id,
        "kind": n.kind,
        "text": message(n),
        "pilot": n.pilot.slug if n.pilot is not None else None,
        "created_at": n.created_at.isoformat(timespec="seconds") + "Z",
        "read": n.is_read,
        "url": url_for("notifications.open_one", notification_id=n.id, _external=True),
    }
