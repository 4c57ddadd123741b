"""From what a user types to a Whoosh query: syntax when it is well-formed, plain words when it is not.

Supported: ``AND``, ``OR``, ``NOT``, ``"phrases"``, ``prefix*``, ``field:value`` (with Dutch field names:
``titel:``, ``thema:``, ``status:``, ``provincie:``, ``organisatie:``, ``soort:``). All words must match (AND); when
nothing does, the caller may retry with the ``broader`` query (any word; ranked by BM25F alone: no
coordination bonus, tests/search_index/test_relevance.py ranks the same with and without one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from whoosh import query as Q  # noqa: N812
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, OrGroup

from .analysis import STOP_WORDS, DutchAnalyzer, fold, stem, words

FIELD_BOOSTS = {"content": 1.0, "title": 2.5}  # every word is in content; a title word counts extra
FIELD_ALIASES = {
    "title": ["titel"],
    "content": ["tekst", "body", "summary", "samenvatting"],
    "theme": ["thema"],
    "province": ["provincie"],
    "organisation": ["organisatie", "gemeente"],
    "scale_up": ["opschaling"],
    "type": ["soort"],
}
SYNTAX_WORDS = {"and", "or", "not"}
PARTS_BOOST = 0.5  # a compound's parts found apart count half as much as the compound itself
MAX_QUERY_CHARS = 500


@dataclass
class ParsedQuery:
    query: Q.Query
    broader: Q.Query | None = None
    empty: bool = False
    plain_words: bool = False


def _parser(schema, group) -> MultifieldParser:
    parser = MultifieldParser(list(FIELD_BOOSTS), schema, fieldboosts=FIELD_BOOSTS, group=group)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def _is_unsafe(query: Q.Query) -> bool:
    """Queries that would expand to (nearly) every term: ``*``, ``a*``; searched as words instead."""
    for leaf in [query, *query.leaves()]:
        if isinstance(leaf, Q.Every) or (isinstance(leaf, (Q.Prefix, Q.Wildcard)) and len(leaf.text.strip("*?")) < 2):
            return True
    return False


class QueryBuilder:
    def __init__(self, schema, analyzer: DutchAnalyzer) -> None:
        self.schema = schema
        self.analyzer = analyzer
        self._and = _parser(schema, AndGroup)
        self._or = _parser(schema, OrGroup)

    def plain_words(self, text: str, group: type[Q.Query] = Q.And) -> Q.Query:
        """Every word in any text field; no syntax at all."""
        stems = [stem(w) for w in words(text) if w not in STOP_WORDS and w not in SYNTAX_WORDS]
        if not stems:
            return Q.NullQuery
        per_word = [Q.Or([Q.Term(f, s, boost=b) for f, b in FIELD_BOOSTS.items()]) for s in dict.fromkeys(stems)]
        return group(per_word) if len(per_word) > 1 else per_word[0]

    def with_compound_parts(self, query: Q.Query) -> Q.Query:
        """A compound typed in a query also finds texts that use its parts apart: ``schuldhulp`` finds "hulp
        bij schulden" (below the texts that use the compound). The index splits compounds in texts; this is
        the same for the query side. Words under ``NOT`` keep their exact meaning."""
        if isinstance(query, Q.Term):
            if query.fieldname not in FIELD_BOOSTS:
                return query
            parts = list(dict.fromkeys(stem(p) for p in self.analyzer.split(query.text) or ()))
            if len(parts) < 2:
                return query
            apart = Q.And([Q.Term(query.fieldname, p) for p in parts], boost=query.boost * PARTS_BOOST)
            return Q.Or([query, apart])
        if isinstance(query, Q.Not) or query.is_leaf():
            return query
        return query.apply(self.with_compound_parts)

    def with_index_values(self, query: Q.Query, values: Callable[[str], Iterable[str]]) -> Q.Query:
        """``thema:Jeugd`` and ``provincie:fryslan`` as typed become the values the index holds (``jeugd``,
        ``Fryslân``): facet fields are matched without regard to case or accents. ``values(field)`` lists a
        field's indexed values; it is only asked when the query names a facet field."""
        if isinstance(query, Q.Term):
            if query.fieldname in FIELD_BOOSTS or not isinstance(query.text, str):
                return query
            known = {fold(v): v for v in values(query.fieldname)}
            found = known.get(fold(query.text))
            return query if found is None or found == query.text else Q.Term(query.fieldname, found, boost=query.boost)
        if query.is_leaf():
            return query
        return query.apply(lambda q: self.with_index_values(q, values))

    def parse(self, text: str) -> ParsedQuery:
        text = (text or "").strip()[:MAX_QUERY_CHARS]
        if not words(text):
            return ParsedQuery(Q.Every(), empty=True)
        try:
            query = self._and.parse(text)
            broader = self._or.parse(text)
            malformed = isinstance(query, type(Q.NullQuery)) or _is_unsafe(query)
        except Exception:
            malformed = True
        if malformed:
            query = self.plain_words(text)
            if isinstance(query, type(Q.NullQuery)):
                return ParsedQuery(Q.Every(), empty=True, plain_words=True)
            broader = self.plain_words(text, Q.Or)
            return ParsedQuery(self.with_compound_parts(query), self.with_compound_parts(broader), plain_words=True)
        has_several = isinstance(query, Q.And) and len(query.subqueries) > 1
        return ParsedQuery(self.with_compound_parts(query), self.with_compound_parts(broader) if has_several else None)

    def filter_query(self, filters: dict[str, tuple[str, ...]]) -> Q.Query | None:
        """Facet filters: values of one facet are OR'ed, facets are AND'ed."""
        parts = []
        for name, values in sorted(filters.items()):
            values = [v for v in values if v]
            if name in self.schema.names() and values:
                parts.append(Q.Or([Q.Term(name, v) for v in values]))
        return Q.And(parts) if parts else None

    def highlight_stems(self, text: str) -> list[str]:
        return [stem(w) for w in words(text) if w not in STOP_WORDS and w not in SYNTAX_WORDS]

    def autocomplete_query(self, prefix: str) -> Q.Query | None:
        """Titles with every typed word; the last one may be unfinished (a prefix of a title term)."""
        typed = words(prefix)
        if not typed or len(typed[-1]) < 2:
            return None
        done = [Q.Term("title", stem(w)) for w in typed[-4:-1] if w not in STOP_WORDS]
        return Q.And([*done, Q.Prefix("title", typed[-1])])
