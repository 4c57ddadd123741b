"""Atom 1.0 feeds (RFC 4287): the platform's activity, one pilot's, one theme's, and a search's newest pilots.

Written with a Jinja template (autoescaped, as every .xml template) rather than a feed library: the markup is
twenty lines we control, entry ids and dates are ours to keep stable, and no dependency (feedgen's last
release is from 2023 and brings lxml) is needed. Text that XML 1.0 cannot hold (control characters) is
dropped before it reaches the template. Feeds are public: they show only what the public pages show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import problem
from ..extensions import db
from ..models import Pilot
from ..search.requests import search_request_from_args
from ..services.activity import KINDS, ActivityFilters, ActivityItem, recent_activity
from ..services.entry_types import titled
from ..services.errors import NotFound
from ..services.fulltext_search import search_service
from ..services.pilot_queries import get_pilot
from ..services.themes import THEMES
from . import bp
from .headlines import headline
from .routes import feed_args, filters_from_args

FEED_ITEMS = 30
SEARCH_FEED_ITEMS = 20
ID_YEAR = "2026"  # the tag: URIs' date (RFC 4151): fixed for good, so ids never change
EMPTY_FEED_UPDATED = datetime(2026, 1, 1)  # an empty feed still needs an <updated>; a constant keeps it cacheable
CACHE_SECONDS = 300
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """The text without the characters XML 1.0 forbids (a pasted control character must not break a feed)."""
    return _NOT_XML.sub("", value)


@dataclass
class Entry:
    id: str
    title: str
    updated: datetime
    author: str
    url: str
    category: str
    category_label: str
    summary: str = ""


@dataclass
class Feed:
    id: str
    title: str
    self_url: str
    page_url: str
    entries: list[Entry] = field(default_factory=list)
    subtitle: str = ""

    @property
    def updated(self) -> datetime:
        return max((e.updated for e in self.entries), default=EMPTY_FEED_UPDATED)


def tag_uri(specific: str) -> str:
    """A stable id: ``tag:<host>,2026:<specific>``; FEED_ID_AUTHORITY fixes the host behind proxies."""
    authority = current_app.config.get("FEED_ID_AUTHORITY") or request.host.split(":")[0]
    return f"tag:{authority},{ID_YEAR}:{specific}"


def _activity_entry(item: ActivityItem) -> Entry:
    if item.kind == "edit":
        url = url_for(
            "pilots.diff", slug=item.pilot_slug, _external=True, **{"from": item.diff_from, "to": item.diff_to}
        )
    elif item.kind == "comment":
        url = url_for("pilots.view", slug=item.pilot_slug, _external=True, _anchor=f"reactie-{item.id}")
    else:
        url = url_for("pilots.view", slug=item.pilot_slug, _external=True)
    summary = " · ".join(item.summaries) if item.kind == "edit" else item.reason
    ident = item.first_id if item.kind == "edit" else item.id  # a run of edits keeps its entry as it grows
    return Entry(
        id=tag_uri(f"{item.kind}/{ident}"), title=xml_text(f"{_entry_title(item.entry_type, item.pilot_title)}: {headline(item)}"),
        updated=item.at, author=xml_text(item.actor or "Pilotstarter"), url=url, category=item.kind,
        category_label=str(KINDS[item.kind]), summary=xml_text(summary),
    )  # fmt: skip


def _entry_title(entry_type: str, title: str) -> str:
    """A pilot by its title (as always); a best practice or challenge named as such (entry_types.titled)."""
    return title if entry_type == "pilot" else titled(entry_type, title)


def atom_response(feed: Feed) -> Response:
    """The feed as application/atom+xml, cacheable: an ETag of the body, Last-Modified and a short max-age."""
    body = render_template(
        "activity/atom.xml", feed=feed, lang=str(get_locale() or "nl"), home=url_for("main.home", _external=True)
    )
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    response.last_modified = feed.updated
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.add_etag()
    return response.make_conditional(request)


def canonical_url(**args: object) -> str:
    """This feed's own address with only the arguments that shape it, in one order: its self link and id."""
    return url_for(
        request.endpoint, _external=True, **(request.view_args or {}), **{k: v for k, v in args.items() if v}
    )


def _activity_feed(filters: ActivityFilters, title: str, page_url: str) -> Response:
    items = recent_activity(filters).items
    self_url = canonical_url(**feed_args(filters)) if request.endpoint == "activity.activity_feed" else canonical_url()
    feed = Feed(
        id=self_url, title=xml_text(title), self_url=self_url, page_url=page_url,
        entries=[_activity_entry(item) for item in items],
    )  # fmt: skip
    return atom_response(feed)


@bp.get("/activiteit/feed.atom")
def activity_feed():
    """The activity page as a feed, with the same filters."""
    filters = filters_from_args(FEED_ITEMS)
    filters.before = None
    if filters.pilot:
        try:
            get_pilot(filters.pilot)
        except NotFound as exc:
            return problem(404, str(exc))
    page_url = url_for("activity.index", _external=True, **feed_args(filters))
    return _activity_feed(filters, _("Activiteit op Pilotstarter"), page_url)


@bp.get("/pilots/<slug>/feed.atom")
def pilot_feed(slug: str):
    """One pilot's activity. :raise 404: (problem+json) for a deleted or unknown pilot."""
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == slug, Pilot.deleted_at.is_(None)))
    if pilot is None:
        return problem(404, _("Deze pilot bestaat niet (meer)."))
    return _activity_feed(
        ActivityFilters(pilot=slug, limit=FEED_ITEMS), _("Activiteit van %(title)s", title=pilot.title),
        url_for("pilots.view", slug=slug, _external=True),
    )  # fmt: skip


@bp.get("/themas/<key>/feed.atom")
def theme_feed(key: str):
    """The activity on one theme's pilots. :raise 404: (problem+json) for an unknown theme key."""
    if key not in THEMES:
        return problem(404, _("Dit thema bestaat niet."))
    return _activity_feed(
        ActivityFilters(theme=key, limit=FEED_ITEMS), _("Activiteit in het thema %(theme)s", theme=THEMES[key]),
        url_for("activity.index", theme=key, _external=True),
    )  # fmt: skip


@bp.get("/search/feed.atom")
def search_feed():
    """The most recently changed pilots matching a search (q and the search page's filters, bounded alike)."""
    search = search_request_from_args(request.args)
    search.sort, search.page, search.per_page = "changed", 1, SEARCH_FEED_ITEMS
    result, _from_index = search_service().search(search)
    ids = [hit.id for hit in result.hits]
    pilots = {p.id: p for p in db.session.scalars(select(Pilot).where(Pilot.id.in_(ids), Pilot.deleted_at.is_(None)))}
    entries = [
        Entry(
            id=tag_uri(f"pilot-page/{p.id}"),
            title=xml_text(_entry_title(p.entry_type, p.title)),
            updated=p.updated_at,
            author=xml_text(p.owner.display_name),
            url=url_for("pilots.view", slug=p.slug, _external=True),
            category="pilot",
            category_label=str(KINDS["pilot"]),
            summary=xml_text(p.summary),
        )
        for p in (pilots[i] for i in ids if i in pilots)
    ]
    title = _("Pilots over “%(q)s”", q=search.query) if search.query else _("Pilots op Pilotstarter")
    args: dict[str, object] = {"q": search.query} | {name: list(values) for name, values in search.filters.items()}
    self_url = canonical_url(**args)
    feed = Feed(
        id=self_url, title=xml_text(title), self_url=self_url,
        page_url=url_for("search.index", _external=True, **{k: v for k, v in args.items() if v}), entries=entries,
    )  # fmt: skip
    return atom_response(feed)
