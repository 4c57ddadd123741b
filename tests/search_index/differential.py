"""Fast against stock: the same documents and changes indexed twice, once with the fast paths (whoosh_fast)
and once with Whoosh's own writer and searcher, must answer every search alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from search_index.documents import PilotDocument
from search_index.fulltext import FulltextIndex, SearchRequest
from search_index.matching import Matches
from search_index.sync_state import SyncState


@dataclass(frozen=True)
class Change:
    """One sync: documents added or replaced, pilot ids deleted."""

    upserts: tuple[PilotDocument, ...]
    deletes: tuple[int, ...] = ()


def build(path: Path, fast: bool, docs: Sequence[PilotDocument], changes: Iterable[Change]) -> FulltextIndex:
    """A rebuild of ``docs``, then each change as the site applies it after a save (new segments)."""
    index = FulltextIndex(path, fast_paths=fast)
    assert index.fast is fast, "the fast paths are off on this Whoosh version"
    index.rebuild(docs, SyncState())
    for change in changes:
        assert index.sync(lambda state, c=change: (list(c.upserts), list(c.deletes), [state.last_id + 1])) is True
    return index


def _seen(found: Matches) -> tuple:
    """What a user sees of the matches: total, broadening, the page in order, facets in order, and the
    scores to 9 decimals (None when sorted by change)."""
    page = [(hit["id"], None if score is None else round(score, 9)) for hit, score in found.page]
    facets = {name: list(counts.items()) for name, counts in found.facets.items()}
    return found.total, found.broadened, page, facets


def same_answers(fast: FulltextIndex, stock: FulltextIndex, requests: Iterable[SearchRequest]) -> int:
    """Asserts equal matches and equal first pages as the site shows them (snippets, suggestion); returns the
    number of requests that matched something (so a caller can check its queries are not all empty)."""
    nonempty = 0
    for request in requests:
        a, b = fast.matches(request), stock.matches(request)
        seen_a, seen_b = _seen(a), _seen(b)
        if any(score is None for _hit, score in a.page):  # sorted by change: no relevance scores to compare
            seen_b = (*seen_b[:2], [(i, None) for i, _s in seen_b[2]], seen_b[3])
        assert seen_a == seen_b, request
        if request.page == 1:  # snippets and suggestions; later pages differ only in the matches compared above
            assert fast.search(request) == stock.search(request), request
        nonempty += a.total > 0
    return nonempty


def requests(queries: Iterable[str], variants: Sequence[dict]) -> list[SearchRequest]:
    return [SearchRequest(query, **variant) for query in queries for variant in variants]
