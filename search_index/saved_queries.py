"""Does a newly published pilot match a saved search? The search page's own parser and analyzer, run on a
one-document index, plus a pre-filter so that checking it against many saved searches stays cheap.

- :func:`anchors` reduces a saved search to a few keys (``content:zorg``, ``theme:jeugd``) of which every
  matching document has at least one, or to :data:`ANY` when no such keys exist (``NOT x``, ``zorg*``).
  The caller stores them; for a new document it asks only for the saved searches sharing a key with
  :meth:`OneDocument.keys`, then checks those exactly with :meth:`OneDocument.matches`.
- Both sides use one fixed lexicon (:data:`BASE_LEXICON`) for compound splitting, so a search's anchors and
  its later matching agree. The search page splits with its corpus lexicon as well, which can find a few
  more compounds: a saved search matches what the page finds with everyday Dutch compounds.
- A saved search matches what the page lists on its first try (all words, queries.py), not its broadened
  "some of the words" fallback.

No Flask, no database: plain documents and strings in, booleans and keys out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache

from whoosh import query as Q  # noqa: N812
from whoosh.filedb.filestore import RamStorage

from .analysis import BASE_LEXICON, DutchAnalyzer, fold
from .documents import PilotDocument
from .queries import FIELD_BOOSTS, ParsedQuery, QueryBuilder
from .schema import document_fields, make_schema
from .whoosh_analyzer import analyzer_for, register_lexicon

LEXICON_NAME = "saved-queries"
ANY = "*"  # the anchor of a search without usable keys: checked against every new document
PARSED_CACHE = 20_000  # saved searches whose parsed query a process keeps (each is checked again and again)
MAX_ANCHORS = 12  # more alternatives than this ("a OR b OR …") and the search is checked always (ANY)
TEXT_FIELDS = frozenset(FIELD_BOOSTS)  # title words are content words too: one key space for both

register_lexicon(LEXICON_NAME, DutchAnalyzer(BASE_LEXICON))
_SCHEMA = make_schema(LEXICON_NAME)
_BUILDER = QueryBuilder(_SCHEMA, analyzer_for(LEXICON_NAME))


@dataclass(frozen=True)
class SavedQuery:
    """A search as saved: the words typed and the facet filters (facet -> accepted values, OR'ed)."""

    text: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _key(fieldname: str, text: str) -> str:
    if fieldname in TEXT_FIELDS:
        return f"content:{text}"
    return f"{fieldname}:{fold(text)}"  # facet values as typed or as indexed ("thema:Jeugd", "jeugd")


@lru_cache(maxsize=PARSED_CACHE)
def _parse(text: str) -> ParsedQuery:
    """The search page's parse (queries.QueryBuilder.parse), kept: parsing costs far more than checking."""
    return _BUILDER.parse(text)


def _query(saved: SavedQuery, values=None) -> Q.Query:
    """The query the search page would run, with its filters; ``values(field)`` maps typed facet values."""
    parsed = _parse(saved.text)
    query = parsed.query
    if values is not None and not parsed.plain_words and ":" in saved.text:
        query = _BUILDER.with_index_values(query, values)
    filters = _BUILDER.filter_query({k: tuple(v) for k, v in saved.filters.items()})
    if parsed.empty:
        return filters if filters is not None else Q.Every()
    return Q.And([query, filters]) if filters is not None else query


def _required(query: Q.Query) -> frozenset[str] | None:
    """Keys of which every document matching ``query`` has at least one; None when there are none."""
    if isinstance(query, Q.Term):
        return frozenset({_key(query.fieldname, query.text)}) if isinstance(query.text, str) else None
    if isinstance(query, Q.Phrase):
        words = [w for w in query.words if isinstance(w, str)]
        return frozenset({_key(query.fieldname, max(words, key=len))}) if words else None
    if isinstance(query, (Q.AndNot, Q.AndMaybe)):
        return _required(query.a)
    if isinstance(query, Q.Require):
        return _best([_required(query.a), _required(query.b)])
    if isinstance(query, Q.And):
        return _best([_required(q) for q in query.subqueries])
    if isinstance(query, (Q.Or, Q.DisjunctionMax)):
        parts = [_required(q) for q in query.subqueries]
        if not parts or any(p is None for p in parts):
            return None
        return frozenset().union(*parts)  # type: ignore[arg-type]
    return None  # Not, Prefix, Wildcard, Every, …: no key is required


def _evaluate(query: Q.Query, keys: set[str]) -> bool | None:
    """Whether a document with these keys matches ``query`` (Whoosh's boolean semantics), None when only
    Whoosh can tell (phrases need positions)."""
    if isinstance(query, Q.Term):
        return isinstance(query.text, str) and _key(query.fieldname, query.text) in keys
    if isinstance(query, (Q.Prefix, Q.Wildcard)):
        prefix = _key(query.fieldname, "")
        pattern = query.text if isinstance(query, Q.Wildcard) else query.text + "*"
        return any(k.startswith(prefix) and fnmatchcase(k[len(prefix) :], pattern) for k in keys)
    if isinstance(query, Q.Every):
        return True
    if isinstance(query, Q.Not):
        inner = _evaluate(query.query, keys)
        return None if inner is None else not inner
    if isinstance(query, Q.AndNot):
        return _all([_evaluate(query.a, keys), _negate(_evaluate(query.b, keys))])
    if isinstance(query, (Q.AndMaybe, Q.Require)):
        return (
            _evaluate(query.a, keys)
            if isinstance(query, Q.AndMaybe)
            else _all([_evaluate(query.a, keys), _evaluate(query.b, keys)])
        )
    if isinstance(query, Q.And):
        return _all([_evaluate(q, keys) for q in query.subqueries])
    if isinstance(query, (Q.Or, Q.DisjunctionMax)):
        found = [_evaluate(q, keys) for q in query.subqueries]
        return True if True in found else (None if None in found else False)
    if query is Q.NullQuery:
        return False
    return None


def _negate(value: bool | None) -> bool | None:
    return None if value is None else not value


def _all(values: list[bool | None]) -> bool | None:
    return False if False in values else (None if None in values else True)


def _best(options: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    """Of several keys sets that are each required, the most selective: fewest keys, then longest words."""
    found = [o for o in options if o]
    if not found:
        return None
    return min(found, key=lambda keys: (len(keys), -min(len(k) for k in keys)))


def anchors(saved: SavedQuery) -> frozenset[str]:
    """The pre-filter keys to store with a saved search (``{ANY}`` when it must be checked every time)."""
    try:
        keys = _required(_query(saved))
    except Exception:  # an unparsable search is checked every time, never dropped
        keys = None
    if not keys or len(keys) > MAX_ANCHORS:
        return frozenset({ANY})
    return keys


class OneDocument:
    """One new pilot in a throw-away in-memory index, to test saved searches against."""

    def __init__(self, doc: PilotDocument) -> None:
        ix = RamStorage().create_index(_SCHEMA)
        writer = ix.writer()
        writer.add_document(**document_fields(doc))
        writer.commit()
        self._searcher = ix.searcher()
        self._keys = self.keys()

    def keys(self) -> set[str]:
        """Every key a saved search's anchors can name, and :data:`ANY`. As many as the document's distinct
        terms: bounded by the pilot's size limits."""
        found = {ANY}
        for fieldname, text in self._searcher.reader().all_terms():
            if fieldname in TEXT_FIELDS or fieldname in _BUILDER.schema.names():
                text = text.decode("utf-8") if isinstance(text, bytes) else text
                found.add(_key(fieldname, text))
        return found

    def _values(self, fieldname: str) -> list[str]:
        return [v.decode() if isinstance(v, bytes) else v for v in self._searcher.reader().lexicon(fieldname)]

    def matches(self, saved: SavedQuery) -> bool:
        """Whether the search page would list this document for ``saved``; a broken search matches nothing.

        Boolean queries are decided on the document's keys (microseconds); phrases and anything else by
        Whoosh on the one-document index (a millisecond or two)."""
        try:
            query = _query(saved, self._values)
            found = _evaluate(query, self._keys)
            return found if found is not None else not self._searcher.search(query, limit=1).is_empty()
        except Exception:
            return False

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> OneDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
