"""Everything below Whoosh's public API lives in this package, behind one version guard and one switch.

The rebuild's segment writer (``writer.py``, ``block_writer.py``, ``pool.py``) and the numpy reader of
posting blocks and BM25F's parameters (``postings.py``, ``scoring.py``) use Whoosh's private state: the
posting writer's block fields, the leaf matcher's block loop, ``MpWriter``'s sub-writer tasks, ``BM25F``'s
per-field B, the per-document length column. They are verified — written and read exactly as Whoosh's own
code writes and reads them (tests/search_index/test_segments.py, test_vectors.py, test_posting_blocks.py,
test_fast_vs_stock.py) — for one Whoosh version only: :data:`VERIFIED_VERSION`.

:func:`fast_paths` decides per index handle: on (the default) only on that version, and only while the
setting ``SEARCH_FAST_PATHS`` (constructor argument, else the environment variable) is not ``0``. Off,
Whoosh's own writer, searcher and facet grouping answer, and the modules of this package that touch private
state are never imported (they may not even import on another version): the rest of the engine imports them
at the point of use, behind this switch.
"""

from __future__ import annotations

import logging
import os

import whoosh

VERIFIED_VERSION = "2.7.5"  # Whoosh-Reloaded; any other version: stock Whoosh only
SETTING = "SEARCH_FAST_PATHS"
OFF_VALUES = frozenset({"0", "false", "no", "off"})

log = logging.getLogger("search_index")
_warned: set[str] = set()  # versions already logged: once per process, not once per index handle


def whoosh_version() -> str:
    """The Whoosh version in use, as Whoosh reports it (read on each call, so a test can fake it)."""
    return whoosh.versionstring()


def version_supported() -> bool:
    """Whoosh is the version the fast paths were verified against; else logs (once) that they are off."""
    found = whoosh_version()
    if found == VERIFIED_VERSION:
        return True
    if found not in _warned:
        _warned.add(found)
        log.warning(
            "Whoosh %s is not %s, the version search_index's fast paths are verified for: "
            "using Whoosh's own writer and searcher (slower rebuilds and broad searches)",
            found,
            VERIFIED_VERSION,
        )
    return False


def setting_on(setting: bool | str | None = None) -> bool:
    """The switch as asked: ``setting`` if given (a bool, or text as in the environment), else the
    environment variable ``SEARCH_FAST_PATHS``; unset means on."""
    if setting is None:
        setting = os.environ.get(SETTING, "1")
    if isinstance(setting, str):
        return setting.strip().lower() not in OFF_VALUES
    return bool(setting)


def fast_paths(setting: bool | str | None = None) -> bool:
    """Use the fast writer and the numpy evaluator: switched on and verified for this Whoosh version."""
    return setting_on(setting) and version_supported()
