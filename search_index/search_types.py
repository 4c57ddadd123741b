"""What a search is asked and answers (see fulltext.FulltextIndex.search), and its one error."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from datetime import datetime


class IndexUnavailable(Exception):
    """The index is missing or will not open (crash, corruption, deleted folder): rebuild it."""

    @classmethod
    def caused_by(cls, message: str, exc: BaseException) -> IndexUnavailable:
        """The error for a failure inside Whoosh. Whoosh's frames that failed to open a damaged file keep
        their own exception (a reference cycle), and with it the file, open until the cycle collector
        runs; clearing those finished frames closes the files now."""
        traceback.clear_frames(exc.__traceback__)
        return cls(message)


@dataclass
class SearchRequest:
    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet -> accepted values (OR)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class Hit:
    id: int
    slug: str
    title: str
    snippet: str  # HTML: escaped text with <mark>
    score: float
    status: str
    themes: tuple[str, ...]
    organisations: tuple[str, ...]
    updated_at: datetime
    entry_type: str = "pilot"
    in_documents: bool = False  # the snippet comes from the entry's documents: only they show the match


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None
    broadened: bool = False  # no page had all words, so these match some of them
    plain_words: bool = False  # the query syntax was malformed and was searched as plain words
