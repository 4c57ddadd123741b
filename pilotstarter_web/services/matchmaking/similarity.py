"""Matchmaking: similar pilots and partner organisations, from the TF-IDF model in search_index.

The model is derived data, like the search index. A fit writes ``model-<ns>.joblib`` and then swaps
``CURRENT.json`` (file name plus the last change-log id it saw) atomically. Every worker loads the
current model, notices a newer one, and applies the change-log rows after the model's id to its copy in
memory (upsert/remove: transformed with the model's vocabulary), so a new or edited pilot is matchable at
once everywhere. When enough has changed, a refit runs in a background thread, never in a request.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from search_index.matchmaking import Match, PartnerMatch, SimilarityModel
from search_index.sync_state import SyncState

from ...database import set_write_intent
from ...extensions import db
from ...models import Organisation, Participation, Pilot
from ..change_log import fetch_changes, newest_change_id
from ..pilot_documents import documents_in_bulk

log = logging.getLogger("pilotstarter.similarity")
REFIT_MIN_CHANGES = 50
REFIT_FRACTION = 0.1


@dataclass
class Loaded:
    model: SimilarityModel
    name: str
    state: SyncState
    orgs: dict[int, tuple[str, ...]]
    types: dict[int, str]  # entry type per live pilot, to filter matches by type (entry_types.py)


class SimilarityService:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.root = Path(app.config["DATA_DIR"]) / "similarity"
        self._loaded: Loaded | None = None
        self._lock = threading.RLock()
        self._refit_thread: threading.Thread | None = None

    # -- the current model ----------------------------------------------------------------------------
    def _pointer(self) -> dict | None:
        try:
            return json.loads((self.root / "CURRENT.json").read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def up_to_date(self) -> bool:
        """A fitted model is on disk and was fitted at the newest change-log row (``flask reindex --if-needed``)."""
        pointer = self._pointer()
        if pointer is None or not (self.root / str(pointer.get("file", ""))).is_file():
            return False
        return pointer.get("last_change_id") == newest_change_id()

    def model(self) -> Loaded | None:
        """The current model with every change applied; None while the first one is being fitted.

        Reads in sessions of its own, as reads: called after a write in a request (matches for a pilot just
        published), a writing transaction here would wait for the request's own write lock on SQLite."""
        token = set_write_intent(False)
        try:
            return self._model()
        finally:
            set_write_intent(token)

    def _model(self) -> Loaded | None:
        with self._lock:
            pointer = self._pointer()
            if pointer is None:
                self.start_refit()
                pointer = self._pointer()
                if pointer is None:
                    return None
            if self._loaded is None or self._loaded.name != pointer["file"]:
                try:
                    model = SimilarityModel.load(self.root / pointer["file"])
                except Exception:  # a damaged file: fit again, answer without matches meanwhile
                    log.exception("similarity model will not load; refitting")
                    self.start_refit(force=True)
                    return None
                orgs, types = _all_orgs()
                self._loaded = Loaded(model, pointer["file"], SyncState(int(pointer["last_change_id"])), orgs, types)
            self._catch_up(self._loaded)
            model = self._loaded.model
            if model.changed_since_fit >= max(REFIT_MIN_CHANGES, REFIT_FRACTION * max(len(model), 1)):
                self.start_refit()
            return self._loaded

    def _catch_up(self, loaded: Loaded) -> None:
        """Apply the change-log rows after the model's position. Once per GET request: a page asks for the
        model twice (similar pilots, partners) and cannot have written in between; a request that writes
        catches up at every ask, so what it just saved is matched at once."""
        if has_request_context() and request.method in ("GET", "HEAD"):
            if g.get("similarity_caught_up"):
                return
            g.similarity_caught_up = True
        token = set_write_intent(False)
        try:
            while True:
                upserts, deletes, applied = fetch_changes(loaded.state)
                if not applied:
                    return
                for doc in upserts:
                    loaded.model.upsert(doc)
                    loaded.orgs[doc.id] = doc.organisations
                    loaded.types[doc.id] = doc.entry_type
                for pilot_id in deletes:
                    loaded.model.remove(pilot_id)
                    loaded.orgs.pop(pilot_id, None)
                    loaded.types.pop(pilot_id, None)
                loaded.state = loaded.state.advance(applied)
        finally:
            set_write_intent(token)

    # -- fitting --------------------------------------------------------------------------------------
    def refit(self) -> int:
        """Fit on every live pilot and swap the model in. Returns the number of pilots."""
        token = set_write_intent(False)
        try:
            newest = newest_change_id()
            with Session(db.engine) as session:
                ids = list(session.scalars(select(Pilot.id).where(Pilot.deleted_at.is_(None)).order_by(Pilot.id)))
                docs = list(documents_in_bulk(ids, session))
            model = SimilarityModel.fit(docs)
            self.root.mkdir(parents=True, exist_ok=True)
            name = f"model-{time.time_ns()}.joblib"
            model.save(self.root / name)
            tmp = self.root / f"CURRENT.json.tmp{os.getpid()}"
            tmp.write_text(json.dumps({"file": name, "last_change_id": newest}), "utf-8")
            os.replace(tmp, self.root / "CURRENT.json")
            for old in self.root.glob("model-*.joblib"):
                if old.name != name:
                    with contextlib.suppress(OSError):
                        old.unlink()
            log.info("similarity model fitted on %d pilots", len(docs))
            return len(docs)
        finally:
            set_write_intent(token)

    def start_refit(self, force: bool = False) -> None:
        """Refit in the background (inline in tests), one process at a time."""
        with self._lock:
            if self._refit_thread is not None and self._refit_thread.is_alive():
                return
            if self.app.config.get("SEARCH_REBUILD_INLINE"):
                self._refit_locked()
                return
            self._refit_thread = threading.Thread(target=self._refit_in_app, name="similarity-refit", daemon=True)
            self._refit_thread.start()

    def _refit_in_app(self) -> None:
        with self.app.app_context():
            try:
                self._refit_locked()
            except Exception:
                log.exception("similarity refit failed")
            finally:
                db.session.remove()

    def _refit_locked(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "refit.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            self.refit()
        finally:
            os.close(fd)

    def drop(self) -> None:
        """Forget the model (tests; a fresh database)."""
        if self._refit_thread is not None:
            self._refit_thread.join(60)
        with self._lock:
            self._loaded = None
            with contextlib.suppress(FileNotFoundError):
                (self.root / "CURRENT.json").unlink()

    # -- answering ------------------------------------------------------------------------------------
    def similar(self, pilot: Pilot, limit: int = 5, types: Collection[str] | None = None) -> list[tuple[Pilot, Match]]:
        """The most similar pilots; with ``types`` only entries of those types (the others are left out before
        ranking, so the best of each type are found however many of another type score higher)."""
        loaded = self.model()
        if loaded is None:
            return []
        if pilot.id not in loaded.model:
            return []
        return _with_pilots(loaded.model.similar(pilot.id, limit=limit, exclude=_other_types(loaded, types)))

    def similar_to_text(
        self, title: str, summary: str, body: str, limit: int = 5, types: Collection[str] | None = None
    ) -> list[tuple[Pilot, Match]]:
        loaded = self.model()
        if loaded is None:
            return []
        exclude = _other_types(loaded, types)
        return _with_pilots(loaded.model.similar_to_text(title, summary, body, limit=limit, exclude=exclude))

    def partners(self, pilot: Pilot, limit: int = 5) -> list[tuple[Organisation, PartnerMatch, list[Pilot]]]:
        loaded = self.model()
        if loaded is None:
            return []
        if pilot.id not in loaded.model:
            return []
        taking_part = {p.organisation.code for p in pilot.participations} | {pilot.owner.code}
        found = loaded.model.partners(pilot.id, loaded.orgs, exclude_orgs=taking_part, limit=limit)
        orgs = {
            o.code: o
            for o in db.session.scalars(select(Organisation).where(Organisation.code.in_([m.code for m in found])))
        }
        pilot_ids = {i for m in found for i in m.pilots}
        pilots = {p.id: p for p in db.session.scalars(select(Pilot).where(Pilot.id.in_(pilot_ids)))}
        return [(orgs[m.code], m, [pilots[i] for i in m.pilots if i in pilots]) for m in found if m.code in orgs]


def _other_types(loaded: Loaded, types: Collection[str] | None) -> set[int]:
    """Ids of the pilots whose type is not in ``types`` (none when ``types`` is None): one pass over a dict
    the model keeps anyway, the same size as the model."""
    if types is None:
        return set()
    return {pilot_id for pilot_id, entry_type in loaded.types.items() if entry_type not in types}


def _with_pilots(matches: list[Match]) -> list[tuple[Pilot, Match]]:
    """Matches with their pilots, dropping any deleted since (the model follows within a request)."""
    by_id = {p.id: p for p in db.session.scalars(select(Pilot).where(Pilot.id.in_([m.id for m in matches])))}
    return [(by_id[m.id], m) for m in matches if m.id in by_id and by_id[m.id].deleted_at is None]


def _all_orgs() -> tuple[dict[int, tuple[str, ...]], dict[int, str]]:
    """Organisation codes per live pilot (owner first, then participants), and each live pilot's type."""
    # A read on its own connection: in a POST request (write intent) a BEGIN IMMEDIATE here would wait for
    # the request's own transaction and fail with "database is locked" on SQLite.
    token = set_write_intent(False)
    try:
        return _read_all_orgs()
    finally:
        set_write_intent(token)


def _read_all_orgs() -> tuple[dict[int, tuple[str, ...]], dict[int, str]]:
    with Session(db.engine) as session:
        rows = session.execute(
            select(Pilot.id, Organisation.code, Pilot.entry_type)
            .join(Organisation, Organisation.id == Pilot.owner_id)
            .where(Pilot.deleted_at.is_(None))
        ).all()
        orgs: dict[int, list[str]] = {pid: [code] for pid, code, _type in rows}
        types = {pid: entry_type for pid, _code, entry_type in rows}
        for pid, code in session.execute(
            select(Participation.pilot_id, Organisation.code).join(
                Organisation, Organisation.id == Participation.organisation_id
            )
        ):
            if pid in orgs and code not in orgs[pid]:
                orgs[pid].append(code)
    return {pid: tuple(codes) for pid, codes in orgs.items()}, types


def similarity_service() -> SimilarityService:
    return current_app.extensions["pilotstarter_similarity"]


def init_app(app: Flask) -> None:
    app.extensions["pilotstarter_similarity"] = SimilarityService(app)
