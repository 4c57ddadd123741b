"""Which change-log rows an index has applied (the last id, plus gaps that may still fill), and the lock
that lets one process at a time apply them.

Ids from a sequence can commit out of order (id 11 visible before id 10), so a missing id below the
last one applied is remembered as a gap and asked for again, until it shows up or is old enough to be a
rolled-back transaction that never will.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

GAP_MAX_AGE_S = 600.0


class SyncStateError(ValueError):
    """sync.json cannot be read or does not hold a state: treat the index as broken and rebuild it."""


@dataclass
class SyncState:
    last_id: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id -> first time seen missing (epoch s)

    def advance(self, applied_ids: list[int], now: float | None = None) -> SyncState:
        """The state after applying rows ``applied_ids`` (new rows and filled gaps)."""
        now = time.time() if now is None else now
        applied = set(applied_ids)
        gaps = {i: t for i, t in self.gaps.items() if i not in applied and now - t < GAP_MAX_AGE_S}
        new_last = max([self.last_id, *applied])
        for missing in range(self.last_id + 1, new_last):
            if missing not in applied:
                gaps.setdefault(missing, now)
        return SyncState(new_last, gaps)

    def behind(self, newest_id: int) -> bool:
        return newest_id > self.last_id

    def to_json(self) -> str:
        return json.dumps({"last_id": self.last_id, "gaps": {str(k): v for k, v in self.gaps.items()}})

    @classmethod
    def from_json(cls, text: str) -> SyncState:
        """:raise SyncStateError: unless ``text`` is exactly what to_json writes (ids >= 0, finite times)."""
        try:
            data = json.loads(text)
            last_id, gaps = data["last_id"], data.get("gaps", {})
            if not (_is_id(last_id) and isinstance(gaps, dict)):
                raise TypeError("last_id must be an id and gaps an object")
            state = cls(last_id, {int(k): float(v) for k, v in gaps.items()})
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise SyncStateError(f"not a sync state: {exc}") from exc
        if not all(i >= 0 and math.isfinite(t) for i, t in state.gaps.items()):
            raise SyncStateError("gaps must be ids with finite times")
        return state

    def save(self, path: Path) -> None:
        """Atomically and durably: temporary file, fsync, rename, fsync of the folder. A crash leaves the
        old state (the next sync re-applies idempotent rows), never a half-written file."""
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(self.to_json())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself survives a power cut
        finally:
            os.close(folder)

    @classmethod
    def load(cls, path: Path, missing_ok: bool = True) -> SyncState:
        """The saved state (the empty one when there is no file and ``missing_ok``).

        :raise SyncStateError: when the file is unreadable or holds no state.
        """
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError as exc:
            if missing_ok:
                return cls()
            raise SyncStateError(f"{path}: missing") from exc
        except (OSError, UnicodeDecodeError) as exc:  # a directory in its place, binary garbage, an I/O error
            raise SyncStateError(f"{path}: {exc!r}") from exc
        return cls.from_json(text)


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@contextlib.contextmanager
def sync_lock(root: Path, timeout: float) -> Iterator[bool]:
    """``root/sync.lock`` (fcntl: released by the kernel if the process dies), waiting up to ``timeout``
    seconds; yields whether it was taken. One process at a time applies change-log rows."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / "sync.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.02)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
