"""Whoosh 3 posting blocks written a term at a time: the block writing of ``W3PostingsWriter``, given each
term's whole list at once instead of one ``add_posting`` call per posting (see writer.py).

Every name with a leading underscore touched here is the posting writer's or the per-document reader's
private state in Whoosh-Reloaded 2.7.5 (checked by the package's version guard): the block fields that
``add_posting`` fills (``_ids``, ``_weights``, ``_values``, ``_maxweight``, ``_minlength``, ``_maxlength``),
the block counter and file, and the length column of a new segment. The blocks are byte for byte what
Whoosh would read back as the same postings (tests/search_index/test_segments.py, test_posting_blocks.py).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from itertools import chain
from operator import sub

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3FieldWriter, _lenfield
from whoosh.columns import CompressedBytesColumn, PickleColumn
from whoosh.util.numeric import byte_to_length, length_to_byte

from .pool import GroupedPool

# zlib level of posting blocks and stored fields: 1 compresses a third faster than Whoosh's 3, 6 % larger.
# Readers decompress any level.
ZLIB_LEVEL = 1
STORED_COLUMN = PickleColumn(CompressedBytesColumn(level=ZLIB_LEVEL))  # whoosh3.STORED_COLUMN at ZLIB_LEVEL


class Lengths:
    """A new segment's per-document reader whose field lengths are read once per field into a list.

    Whoosh asks the length of the document of every posting it writes (for the block statistics), each time
    through the column file. Same values, same writes; only faster."""

    def __init__(self, reader) -> None:
        self._reader = reader
        self._fields: dict[str, list | None] = {}
        self._doccount = reader.doc_count_all()

    def field(self, fieldname: str) -> list | None:
        """The length of every document's field (None where it is 0), or None when the field has none."""
        if fieldname not in self._fields:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._fields[fieldname] = None if column is None else [byte_to_length(b) if b else None for b in column]
        return self._fields[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        lengths = self.field(fieldname)
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        return default if lengths is None else lengths[docnum]

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


def _write_term(
    postwriter, docnums: np.ndarray, weights: np.ndarray, values: np.ndarray, lengths: np.ndarray | None
) -> None:
    """One term's postings into Whoosh 3's posting writer, a block at a time, with the statistics
    ``add_posting`` keeps (maximum weight, minimum and maximum non-zero length, non-empty values)."""
    limit = postwriter._blocklimit
    for k in range(0, len(docnums), limit):
        block_weights = weights[k : k + limit]
        postwriter._ids = array("I", docnums[k : k + limit].tolist())
        postwriter._weights = array("f", block_weights.tolist())
        postwriter._values = list(filter(None, values[k : k + limit]))
        postwriter._maxweight = max(0, float(block_weights.max()))
        found = lengths[k : k + limit] if lengths is not None else None
        found = found[found > 0] if found is not None else ()
        postwriter._minlength = int(found.min()) if len(found) else None
        postwriter._maxlength = int(found.max()) if len(found) else 0
        _write_block(postwriter, last=k + limit >= len(docnums))


def _write_block(postwriter, last: bool) -> None:
    """``W3PostingsWriter._write_block``, the same block, pickled with protocol 5 instead of 2 and
    compressed at ``ZLIB_LEVEL`` instead of 3.

    Protocol 2 has no bytes type: it pickles every posting's value as a call to ``_codecs.encode`` on a
    text copy. A block of 128 position postings then pickles 8x and unpickles 7x slower than with protocol
    5 and takes twice the room after zlib. Whoosh unpickles a block without asking its protocol."""
    ids, weights = postwriter._ids, postwriter._weights
    if not postwriter._blockcount:
        postwriter._postfile.write(WHOOSH3_HEADER_MAGIC)
    postwriter._terminfo.add_block(postwriter)
    n = len(weights)
    if weights.count(1.0) == n:  # W3PostingsWriter._mini_weights, counted in C
        mini_weights = None
    elif weights.count(weights[0]) == n:
        mini_weights = weights[0]
    else:
        mini_weights = tuple(weights)
    data = (tuple(map(sub, ids, chain((0,), ids))), mini_weights, postwriter._mini_values())  # ids delta-coded
    databytes = pickle.dumps(data, 5)
    comp = ZLIB_LEVEL if postwriter._compression else 0
    if comp:
        databytes = zlib.compress(databytes, comp)
    info = (n, ids[-1], postwriter._maxweight, comp, length_to_byte(postwriter._minlength),
            length_to_byte(postwriter._maxlength))  # fmt: skip
    infobytes = pickle.dumps(info, 2)
    postfile = postwriter._postfile
    blocklength = len(infobytes) + len(databytes)
    postfile.write_int(-blocklength if last else blocklength)
    postfile.write(infobytes)
    postfile.write(databytes)
    postwriter._blockcount += 1
    postwriter._new_block()


def write_grouped(fieldwriter: W3FieldWriter, schema, lengths: Lengths | None, pool: GroupedPool) -> None:
    """``FieldWriter.add_postings`` for a grouped pool: a term at a time instead of a posting at a time."""
    current = None
    field_lengths: np.ndarray | None = None
    for (fieldname, btext), (docnums, weights, values) in pool.terms():
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current = fieldname
            found = lengths.field(fieldname) if lengths is not None else None
            field_lengths = None if found is None else np.array([n or 0 for n in found], dtype=np.int64)
        fieldwriter.start_term(btext)
        doc_lengths = field_lengths[docnums] if field_lengths is not None else None
        _write_term(fieldwriter._postwriter, docnums, weights, values, doc_lengths)
        fieldwriter.finish_term()
    if current is not None:
        fieldwriter.finish_field()
    fieldwriter.is_closed = True
