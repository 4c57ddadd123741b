"""Which change-log rows an index has applied: the last id, plus gaps that may still fill.

Ids from a sequence can commit out of order (id 11 visible before id 10), so a missing id below the
last one applied is remembered as a gap and asked for again, until it shows up or is old enough to be a
rolled-back transaction that never will.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

GAP_MAX_AGE_S = 600.0


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
        data = json.loads(text)
        return cls(int(data.get("last_id", 0)), {int(k): float(v) for k, v in data.get("gaps", {}).items()})

    def save(self, path: Path) -> None:
        """Atomically: a crash leaves the old state, and the next sync re-applies (idempotent) rows."""
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(self.to_json(), "utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> SyncState:
        return cls.from_json(path.read_text("utf-8")) if path.exists() else cls()
