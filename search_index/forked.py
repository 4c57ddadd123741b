"""Work on a list of documents in forked processes that inherit it: nothing is pickled on the way in.

A rebuild and a refit read every pilot; pickling 100 000 of them to worker processes costs more than the
work it spreads. A forked process sees the parent's memory, so the documents are put where it looks
(:func:`inherited`) before the fork and only the results travel back.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any

_DOCS: Sequence = ()  # the documents forked processes read (set only while they run)


def fork_available() -> bool:
    """Forked pools can run here (``multiprocessing.get_context("fork")``)."""
    return "fork" in multiprocessing.get_all_start_methods()


def forks_by_default() -> bool:
    """Processes started without a context fork (what Whoosh's multi-process writer relies on)."""
    return multiprocessing.get_start_method(allow_none=False) == "fork"


def inherited() -> Sequence:
    return _DOCS


@contextlib.contextmanager
def sharing(docs: Sequence) -> Iterator[None]:
    """``docs`` readable by processes forked meanwhile; the collector leaves what they inherit alone."""
    global _DOCS
    _DOCS = docs
    gc.freeze()
    try:
        yield
    finally:
        _DOCS = ()
        gc.unfreeze()


def _run(job: tuple[Callable, int, int, tuple]) -> Any:
    func, start, end, args = job
    return func(_DOCS[start:end], *args)


def map_slices(func: Callable, docs: Sequence, processes: int, *args: Any) -> list:
    """``[func(part, *args) for part in docs split in `processes` parts]``, one forked process per part;
    ``func`` must be a module-level function (it is named, not pickled, to the processes)."""
    step = -(-len(docs) // processes)
    jobs = [(func, k, min(k + step, len(docs)), args) for k in range(0, len(docs), step)]
    with sharing(docs), multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
        return pool.map(_run, jobs)
