"""A segment's posting lists, field lengths and deletions as numpy arrays, read from Whoosh's own storage.

Whoosh's public matcher API hands out one posting per method call; a broad query at 100 000 pilots reads
tens of thousands. Here a Whoosh 3 leaf matcher is walked block by block through its private block loop
(``_atend``, ``_read_data``, ``_data``, ``_byteids``, ``_blocklength``, ``_next_block``), the field lengths
come from the per-document reader's length column (``_perdoc``, ``_cached_reader``, ``_lenfield``) and the
deletions from ``deleted_docs_set``: the same numbers Whoosh's scorer uses, a block or a column at a time
(Whoosh-Reloaded 2.7.5, see the package's guard). Any other reader is read through the public API.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

_LENGTHS = np.array([byte_to_length(b) if b else 0 for b in range(256)], dtype=np.float64)  # length bytes


def term_arrays(reader, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Segment-local document numbers (int32, deleted ones included) and weights (float32) of one term."""
    m = reader.postings(field, btext)
    while not hasattr(m, "_read_data") and hasattr(m, "child"):  # unwrap the deletions filter
        m = m.child
    if not hasattr(m, "_read_data"):  # not a Whoosh 3 posting list: the slow, general way
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32)
    id_parts, weight_parts = [], []
    while not m._atend:
        m._read_data()
        id_parts.append(_ids_array(m._data[0], m._byteids))
        weight_parts.append(_weights_array(m._data[1], m._blocklength))
        m._next_block()
    if not id_parts:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    # Kept compact: int32 numbers, float32 weights (Whoosh stores weights as float32: no precision lost)
    return np.concatenate(id_parts).astype(np.int32), np.concatenate(weight_parts).astype(np.float32)


def _ids_array(ids, byteids) -> np.ndarray:
    arr = np.asarray(ids, dtype=np.int64)
    return arr if byteids else np.cumsum(arr)  # stored as differences


def _weights_array(weights, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n, dtype=np.float32)
    if isinstance(weights, float):
        return np.full(n, weights, dtype=np.float32)
    return np.asarray(weights, dtype=np.float32)


def field_lengths(reader, field: str) -> np.ndarray:
    """Every document's length of ``field`` as Whoosh's scorer decodes it (float64; 0 where empty)."""
    n = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    col = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN) if hasattr(perdoc, "_cached_reader") else None
    if col is not None:
        return _LENGTHS[np.fromiter(col, np.uint8, count=n)]
    # another codec: ask document by document (1 when a field has no lengths)
    return np.array([reader.doc_field_length(d, field, 1) or 0 for d in range(n)], dtype=np.float64)


def deleted_docs(reader) -> Iterable[int]:
    """The segment-local numbers of the deleted documents (``reader.has_deletions()`` is true)."""
    found = getattr(reader, "deleted_docs_set", None)
    if found is not None:
        return iter(found)
    return (d for d in range(reader.doc_count_all()) if reader.is_deleted(d))
