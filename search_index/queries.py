"""From what a user types to a Whoosh query: syntax when it is well-formed, plain words when it is not.

Supported: ``AND``, ``OR``, ``NOT``, ``"phrases"``, ``prefix*``, ``field:value`` (with Dutch field names:
``titel:``, ``thema:``, ``status:``, ``provincie:``, ``organisatie:``). All words must match (AND); when
nothing does, the caller may retry with the ``broader`` query (any word, more words rank higher).
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as Q  # noqa: N812
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, OrGroup

from .analysis import STOP_WORDS, DutchAnalyzer, stem, words

FIELD_BOOSTS = {"content": 1.0, "title": 2.5}  # every word is in content; a title word counts extra
FIELD_ALIASES = {
    "title": ["titel"],
    "content": ["tekst", "body", "summary", "samenvatting"],
    "theme": ["thema"],
    "province": ["provincie"],
    "organisation": ["organisatie", "gemeente"],
    "scale_up": ["opschaling"],
}
SYNTAX_WORDS = {"and", "or", "not"}
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
        self._or = _parser(schema, OrGroup.factory(0.9))

    def plain_words(self, text: str, group: type[Q.Query] = Q.And) -> Q.Query:
        """Every word in any text field; no syntax at all."""
        stems = [stem(w) for w in words(text) if w not in STOP_WORDS and w not in SYNTAX_WORDS]
        if not stems:
            return Q.NullQuery
        per_word = [Q.Or([Q.Term(f, s, boost=b) for f, b in FIELD_BOOSTS.items()]) for s in dict.fromkeys(stems)]
        return group(per_word) if len(per_word) > 1 else per_word[0]

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
            return ParsedQuery(query, self.plain_words(text, Q.Or), plain_words=True)
        has_several = isinstance(query, Q.And) and len(query.subqueries) > 1
        return ParsedQuery(query, broader if has_several else None)

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
