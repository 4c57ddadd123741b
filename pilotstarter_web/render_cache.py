"""Rendered HTML of saved revisions, kept in process (an LRU bounded by entries and by HTML bytes).

Why: Markdown rendering is ~10 ms of a ~25 ms pilot page, and a saved revision never changes. What can
change is where its [[wiki links]] point (a page that starts existing turns a red link blue), so an entry
remembers the targets it looked up and their slugs; a hit looks them up again (the one batch query the
render would make anyway) and renders afresh when any differs. Previews are never cached: unsaved text.
The key also holds the body's digest and the locale: ids of deleted rows can come back on SQLite, and the
rendered HTML holds a translated label (external images).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale

from .markdown import Rendered, WikiResolver, render
from .models import Revision
from .services.pilot_queries import resolve_wiki_titles

MAX_ENTRIES = 256
MAX_HTML_BYTES = 32 * 1024 * 1024  # a pilot's HTML is at most a few MB (200,000 characters of Markdown)


@dataclass(frozen=True)
class _Entry:
    rendered: Rendered  # shared between requests: read only
    targets: tuple[str, ...]  # the wiki-link targets the render looked up, and what they resolved to
    slugs: Mapping[str, str]
    size: int


class RenderCache:
    """A thread-safe LRU of `Rendered` per (revision id, body digest, locale)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_HTML_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def rendered(self, key: tuple, body: str, resolve: WikiResolver) -> Rendered:
        """The cached rendering if its wiki links still resolve the same; otherwise render and remember."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None and (not entry.targets or dict(resolve(entry.targets)) == entry.slugs):
            return entry.rendered
        looked_up: list[tuple[tuple[str, ...], dict[str, str]]] = []

        def recording(targets: Sequence[str]) -> Mapping[str, str]:
            slugs = dict(resolve(targets))
            looked_up.append((tuple(targets), slugs))
            return slugs

        rendered = render(body, recording)
        targets, slugs = looked_up[0] if looked_up else ((), {})
        self._put(key, _Entry(rendered, targets, slugs, len(rendered.html.encode())))
        return rendered

    def _put(self, key: tuple, entry: _Entry) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes += entry.size - (old.size if old else 0)
            self._entries[key] = entry
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def __len__(self) -> int:
        return len(self._entries)


def render_revision(rev: Revision) -> Rendered:
    """A saved revision's HTML, table of contents and links, from this process's cache when still valid."""
    cache = current_app.extensions.setdefault("pilotstarter_render_cache", RenderCache())
    key = (rev.id, hashlib.blake2b(rev.body.encode(), digest_size=16).digest(), str(get_locale()))
    return cache.rendered(key, rev.body, resolve_wiki_titles)
