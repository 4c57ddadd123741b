"""Full-text search over pilots with Whoosh, behind our own small interface.

Layout under ``root``: ``CURRENT`` names the live index folder (``index-<ns>``); a rebuild fills a new
folder and swaps ``CURRENT`` atomically, so readers never see a half-built index. Each folder holds the
Whoosh segments, ``lexicon.txt`` (compound parts, see analysis.py), ``format.txt`` (:data:`FORMAT`) and ``sync.json`` (the change-log
rows applied). ``sync.lock`` (fcntl, released by the kernel if a process dies) lets one process at a
time apply changes; the others carry on without waiting.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.reading import ReaderClosed
from whoosh.scoring import BM25F

from .analysis import BASE_LEXICON, DutchAnalyzer, build_lexicon, surface_forms
from .documents import PilotDocument
from .facets import FacetCounter
from .matching import Matches, Page, vector_matches, whoosh_matches
from .postings import Leaves, SegmentStore
from .queries import MAX_QUERY_CHARS, QueryBuilder
from .schema import document_fields, make_schema
from .search_types import Hit, IndexUnavailable, SearchRequest, SearchResult
from .segments import count_words, write_documents
from .snippets import WordMatches, best_source, snippet
from .suggest import Suggester
from .sync_state import SyncState, SyncStateError, sync_lock
from .vectors import Unsupported
from .whoosh_analyzer import analyzer_for, register_lexicon
from .whoosh_fast import fast_paths as fast_paths_on

FACETS = ("type", "theme", "status", "province", "organisation", "scale_up")
RESULT_CACHE_SIZE = 512  # searches; results are small (one page) and dropped when the index changes
PARALLEL_FROM = 5_000  # documents; below this a second writer process costs more than it saves
SORTS = ("relevance", "changed")
# What a generation's files mean (schema and stored fields). A folder written with another format does not
# open (IndexUnavailable), so the app rebuilds it from the database. 2: the discussion's text (comments);
# 3: the entry type (pilot, best practice, challenge) as the ``type`` facet; 4: the documents' text (documents).
FORMAT = "4"
Helpers = tuple[QueryBuilder, FacetCounter, Suggester]  # built with each opened searcher, used with it
T = TypeVar("T")


class FulltextIndex:
    """One process's handle on the index folder: a kept-open searcher, refreshed when the index changes.

    ``fast_paths``: the rebuild's fast writer and the numpy evaluator (``whoosh_fast``); None reads the
    environment variable ``SEARCH_FAST_PATHS`` (on unless ``0``). On another Whoosh version they stay off."""

    def __init__(self, root: Path | str, fast_paths: bool | str | None = None) -> None:
        self.root = Path(root)
        self.fast = fast_paths_on(fast_paths)
        self._lock = threading.RLock()
        self._ix = None
        self._dirname: str | None = None
        self._searcher = None
        self._helpers: Helpers | None = None
        self._cache_owner = None
        self._cache: OrderedDict = OrderedDict()
        self._store = SegmentStore()  # per-segment postings and columns as numpy arrays (see vectors.py)
        self._leaves: Leaves | None = None

    # -- layout ---------------------------------------------------------------------------------------
    def _current_name(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text("utf-8").strip() or None
        except FileNotFoundError:
            return None

    def exists(self) -> bool:
        name = self._current_name()
        return bool(name) and (self.root / name).is_dir()

    @property
    def directory(self) -> Path | None:
        name = self._current_name()
        return self.root / name if name else None

    def _open(self) -> None:
        """(Re)open the live folder; :raise IndexUnavailable: when it is missing or broken."""
        name = self._current_name()
        if not name:
            raise IndexUnavailable("no index yet")
        path = self.root / name
        try:
            found = (path / "format.txt").read_text("utf-8").strip() if (path / "format.txt").exists() else "1"
            if found != FORMAT:
                raise ValueError(f"index format {found}, this code reads {FORMAT}")
            lexicon = (path / "lexicon.txt").read_text("utf-8").split()
            analyzer = DutchAnalyzer(lexicon)
            register_lexicon(name, analyzer)
            ix = whoosh_index.open_dir(str(path))
            searcher = ix.searcher(weighting=_weighting())
            surface_file = path / "surface.json"
            surface = json.loads(surface_file.read_text("utf-8")) if surface_file.exists() else {}
            vocabulary_file = path / "words.txt"
            vocabulary = (
                frozenset(vocabulary_file.read_text("utf-8").split()) if vocabulary_file.exists() else frozenset()
            )
            if not isinstance(surface, dict):
                raise ValueError("surface.json holds no object")
        except Exception as exc:  # any failure to open means: rebuild
            raise IndexUnavailable.caused_by(f"{path}: {exc!r}", exc) from exc
        self.close()
        self._ix, self._dirname, self._searcher = ix, name, searcher
        self._helpers = (QueryBuilder(ix.schema, analyzer), FacetCounter(FACETS), Suggester(surface, vocabulary))

    def _searcher_now(self):
        """The kept-open searcher, refreshed if another process committed or a rebuild swapped in."""
        with self._lock:
            if self._searcher is None or self._current_name() != self._dirname:
                self._open()
            elif not self._searcher.up_to_date():
                # A new searcher, not Searcher.refresh(): refresh() reuses the reader of every segment whose id
                # is unchanged, with that segment's old deletions, so deleted and replaced pilots would stay found.
                try:
                    fresh = self._ix.searcher(weighting=_weighting())
                except Exception as exc:
                    self.close()
                    raise IndexUnavailable.caused_by(repr(exc), exc) from exc
                with contextlib.suppress(Exception):
                    self._searcher.close()
                self._searcher = fresh
            return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                with contextlib.suppress(Exception):
                    self._searcher.close()
            self._searcher = self._ix = self._dirname = self._helpers = None

    @property
    def analyzer(self) -> DutchAnalyzer:
        return analyzer_for(self._dirname or "")

    # -- writing --------------------------------------------------------------------------------------
    def rebuild(
        self,
        documents: Iterable[PilotDocument],
        state: SyncState,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Build a complete index aside from ``documents``, then swap it in. Returns the document count.

        ``state`` must be read *before* the documents, so changes made meanwhile are applied again later.
        """
        docs = list(documents)
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"index-{time.time_ns()}-{os.getpid()}"
        path = self.root / name
        path.mkdir()
        try:
            self._build(docs, path, name, progress)
        except BaseException:  # the live index stays as it was; nothing half-built is left behind
            shutil.rmtree(path, ignore_errors=True)
            raise
        state.save(path / "sync.json")
        with self._sync_lock(timeout=30.0) as locked:
            if not locked:
                raise TimeoutError("another process kept the sync lock for 30 s")
            tmp = self.root / f"CURRENT.tmp{os.getpid()}"
            tmp.write_text(name, "utf-8")
            os.replace(tmp, self.root / "CURRENT")
        self._remove_old(keep=name)
        return len(docs)

    def _build(self, docs: list[PilotDocument], path: Path, name: str, progress) -> None:
        """Lexicon files and segments of a new index generation in ``path``."""
        # Two processes (forked: they inherit the documents and the registered lexicon) count the words and
        # then each write a segment.
        procs = 2 if len(docs) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 else 1
        counts = count_words(docs, procs)
        lexicon = build_lexicon(counts=counts, base=BASE_LEXICON)
        (path / "lexicon.txt").write_text("\n".join(sorted(lexicon)), "utf-8")
        (path / "surface.json").write_text(json.dumps(surface_forms(counts), ensure_ascii=False), "utf-8")
        (path / "words.txt").write_text("\n".join(sorted(counts)), "utf-8")
        (path / "format.txt").write_text(FORMAT, "utf-8")
        register_lexicon(name, DutchAnalyzer(lexicon))
        ix = whoosh_index.create_in(str(path), make_schema(name))
        write_documents(ix, docs, document_fields, procs=procs, progress=progress, fast=self.fast)
        ix.close()
        if progress:
            progress(len(docs))

    def _remove_old(self, keep: str) -> None:
        """Old folders go; a process still reading one keeps its open files (POSIX unlink)."""
        for old in self.root.glob("index-*"):
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)

    def _sync_lock(self, timeout: float) -> contextlib.AbstractContextManager[bool]:
        return sync_lock(self.root, timeout)

    def state(self) -> SyncState:
        """The live index's sync state. :raise IndexUnavailable: when its sync.json is missing or broken."""
        path = self.directory
        if path is None:
            return SyncState()
        try:
            return _load_state(path)
        except IndexUnavailable:
            if self.directory == path:
                raise
            return self.state()  # a rebuild swapped folders (and removed this one) meanwhile: read the new one

    def sync(
        self,
        fetch: Callable[[SyncState], tuple[list[PilotDocument], list[int], list[int]]],
        timeout: float = 0.0,
    ) -> bool | None:
        """Apply what ``fetch(state)`` returns — (documents to upsert, pilot ids to delete, change-log ids
        applied) — under the sync lock. Returns False when another process holds the lock (it is
        applying), None when there was nothing to do, True when changes were committed.
        """
        with self._sync_lock(timeout) as locked:
            if not locked:
                return False
            self._searcher_now()  # opens (or raises IndexUnavailable) and follows a swap
            path = self.root / self._dirname
            state = _load_state(path)
            upserts, deletes, applied = fetch(state)
            new_state = state.advance(applied)
            if not applied:
                if new_state.gaps != state.gaps:  # old gaps aged out
                    new_state.save(path / "sync.json")
                return None
            writer = self._ix.writer(timeout=10.0, delay=0.05)
            try:
                for pilot_id in deletes:
                    writer.delete_by_term("id", str(pilot_id))
                for doc in upserts:
                    writer.update_document(**document_fields(doc))
                writer.commit()
            except BaseException:
                _give_up(writer)  # a failed commit too: else its write lock makes every later write wait 10 s
                raise
            new_state.save(path / "sync.json")
            return True

    # -- reading --------------------------------------------------------------------------------------
    def doc_count(self) -> int:
        return self._searcher_now().doc_count()

    def _reading(self, read: Callable[[Any, Helpers], T]) -> T:
        """``read(searcher, helpers)`` on a consistent pair; once more on fresh ones if another thread closed
        them meanwhile (a rebuild swapping in a new folder does). Twice: the index cannot answer."""
        for attempt in range(2):
            with self._lock:
                searcher, helpers = self._searcher_now(), self._helpers
            try:
                return read(searcher, helpers)
            except ReaderClosed as exc:
                if attempt:
                    raise IndexUnavailable("the index was closed while reading") from exc
        raise AssertionError("unreachable")

    def search(self, request: SearchRequest) -> SearchResult:
        return self._reading(lambda searcher, helpers: self._cached_search(searcher, helpers, request))

    def _cached_search(self, searcher, helpers: Helpers, request: SearchRequest) -> SearchResult:
        """Answers from a small cache while the index is unchanged (a new searcher empties it)."""
        key = (request.query, tuple(sorted(request.filters.items())), request.sort, request.page, request.per_page)
        with self._lock:
            if self._cache_owner is not searcher:
                self._cache_owner, self._cache = searcher, OrderedDict()
            if (cached := self._cache.get(key)) is not None:
                self._cache.move_to_end(key)
                return cached
        result = self._search(searcher, helpers, request)
        with self._lock:
            if self._cache_owner is searcher:
                self._cache[key] = result
                if len(self._cache) > RESULT_CACHE_SIZE:
                    self._cache.popitem(last=False)
        return result

    def matches(self, request: SearchRequest) -> Matches:
        """What :meth:`search` shows before snippets and suggestions: the total, the page's stored fields
        with unrounded scores, and the facet counts (uncached)."""

        def read(searcher, helpers: Helpers) -> Matches:
            return self._matches(searcher, helpers, request, helpers[0].parse(_query_text(request)))

        return self._reading(read)

    def _matches(self, searcher, helpers: Helpers, request: SearchRequest, parsed) -> Matches:
        """All matches of ``parsed`` (broadened when none): numpy evaluation with the fast paths on, else
        (and for query shapes it does not evaluate) Whoosh's own search."""
        builder, facets, _suggester = helpers
        per_page = max(1, min(request.per_page, 100))
        text = _query_text(request)
        if not parsed.plain_words and ":" in text:

            def values(field: str) -> list[str]:
                return [v.decode() if isinstance(v, bytes) else v for v in searcher.reader().lexicon(field)]

            parsed.query = builder.with_index_values(parsed.query, values)
            if parsed.broader is not None:
                parsed.broader = builder.with_index_values(parsed.broader, values)
        by_change = request.sort == "changed" or parsed.empty
        start = (max(1, request.page) - 1) * per_page
        page_of = Page(parsed, builder.filter_query(request.filters), by_change, start, per_page)
        if not self.fast:  # Whoosh's own searcher: totals, page and facet counts (its groupedby)
            return whoosh_matches(searcher, FACETS, page_of)
        try:
            return vector_matches(searcher, self._leaves_for(searcher), facets, page_of)
        except Unsupported:  # a query shape vectors.py does not evaluate: Whoosh's own (slower) search
            return whoosh_matches(searcher, FACETS, page_of, facets)

    def _search(self, searcher, helpers: Helpers, request: SearchRequest) -> SearchResult:
        builder, _facets, suggester = helpers
        per_page = max(1, min(request.per_page, 100))
        page = max(1, request.page)
        text = _query_text(request)  # bounds the work of highlighting and suggesting
        parsed = builder.parse(text)
        by_change = request.sort == "changed" or parsed.empty
        found = self._matches(searcher, helpers, request, parsed)
        stems = set(builder.highlight_stems(text))
        analyzer = builder.analyzer
        memo, seen = WordMatches(stems, analyzer), WordMatches(stems, analyzer, folded=True)  # shared by the page
        hits = [
            Hit(
                id=int(hit["id"]),
                slug=hit["slug"],
                title=hit["title"],
                snippet=snippet(shown.text, stems, analyzer, memo=memo),
                in_documents=shown.in_documents,
                score=0.0 if by_change else round(float(score or 0.0), 4),
                status=hit["status"],
                entry_type=hit.get("type", "pilot"),
                themes=tuple(t for t in hit.get("theme", "").split(",") if t),
                organisations=tuple(o for o in hit.get("organisation", "").split(",") if o),
                updated_at=datetime.fromtimestamp(hit["updated_at"]),
            )
            for hit, score in found.page
            for shown in (best_source(hit, stems, analyzer, seen),)
        ]
        suggestion = None
        # Asked for every query, not only when few pilots match: a typo in a compound still matches through
        # its parts ("parkeervergunnig"). Words the index has as typed cost one set lookup each.
        if text:
            suggestion = suggester.suggest(searcher, text)
        return SearchResult(
            total=found.total, page=page, per_page=per_page, hits=hits, facets=found.facets,
            suggestion=suggestion, broadened=found.broadened, plain_words=parsed.plain_words,
        )  # fmt: skip

    def _leaves_for(self, searcher) -> Leaves:
        with self._lock:
            if self._leaves is None or self._leaves.searcher is not searcher:
                self._leaves = Leaves(searcher, self._store)
                self._store.forget(self._leaves.segments())
            return self._leaves

    def autocomplete(self, prefix: str, limit: int = 8) -> list[tuple[str, str]]:
        """(slug, title) of pilots whose title has a word starting with each typed word."""

        def read(searcher, helpers: Helpers) -> list[tuple[str, str]]:
            query = helpers[0].autocomplete_query(prefix)
            return [] if query is None else [(h["slug"], h["title"]) for h in searcher.search(query, limit=limit)]

        return self._reading(read)


def _load_state(folder: Path) -> SyncState:
    """An index folder's sync.json; every generation is written with one. :raise IndexUnavailable: when it
    is missing or unreadable (a damaged folder: the caller rebuilds, as for any other damage)."""
    try:
        return SyncState.load(folder / "sync.json", missing_ok=False)
    except SyncStateError as exc:
        raise IndexUnavailable(str(exc)) from exc


def _query_text(request: SearchRequest) -> str:
    return (request.query or "").strip()[:MAX_QUERY_CHARS]


def _weighting() -> BM25F:
    """BM25F with per-field length normalisation: short titles should not be punished like bodies."""
    return BM25F(B=0.75, K1=1.2, title_B=0.3)


def _give_up(writer) -> None:
    """Cancel a writer whose work or commit failed, and in any case release its write lock.

    A commit that fails half-way (the contract test met one: an assertion in Whoosh's compound-file step)
    leaves the writer unable to cancel; its lock, still held, made each later write wait the full timeout
    and fail, so the index stopped following saves until the process restarted.
    """
    try:
        writer.cancel()
    except Exception:
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            lock.release()
