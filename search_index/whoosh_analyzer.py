"""The Dutch analyzer as a Whoosh tokenizer, so index and queries use exactly search_index.analysis.

The schema is pickled into every index generation, so the analyzer pickles only the name of its
lexicon (registered by the index when it opens), never the lexicon itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Positions

from .analysis import _WORD, MAX_WORD, PIECE_MEMO_CHARS, STOP_WORDS, DutchAnalyzer, fold, stem

_LEXICONS: dict[str, DutchAnalyzer] = {}
# Per lexicon: word as written -> (stop word?, index terms, query terms). A corpus repeats its words, so
# folding, the stop-word check, stemming and compound splitting happen once per distinct word.
_WORD_TERMS: dict[str, dict[str, tuple[bool, tuple[str, ...], tuple[str, ...]]]] = {}
WORD_TERMS_MAX = 400_000
# Per lexicon: a text's whitespace-separated piece ("gemeente," "(jeugdhulp)") -> the index terms of each
# of its words that is not a stop word. Whitespace never belongs to a word, so a text's pieces hold its
# words in order, and splitting on it is done in C.
_PIECE_TERMS: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}


def register_lexicon(name: str, analyzer: DutchAnalyzer) -> None:
    _LEXICONS[name] = analyzer
    _WORD_TERMS.pop(name, None)
    _PIECE_TERMS.pop(name, None)


def analyzer_for(name: str) -> DutchAnalyzer:
    return _LEXICONS.get(name) or _LEXICONS.setdefault("", DutchAnalyzer())


class ZonedText(str):
    """A text made of parts whose words weigh differently (BM25F within one field): the text itself is the
    parts joined by newlines, so whatever reads it as a string sees the whole text.

    The index gives each occurrence its part's weight (Whoosh's token boost); a term's weight is its
    within-document frequency for BM25, so a word in the summary counts ``boost`` times a word in the body."""

    parts: tuple[tuple[str, float], ...]

    def __new__(cls, parts: Iterable[tuple[str, float]]) -> ZonedText:
        parts = tuple((text or "", float(boost)) for text, boost in parts)
        made = super().__new__(cls, "\n".join(text for text, _boost in parts))
        made.parts = parts
        return made

    def __reduce__(self) -> tuple:
        return (ZonedText, (self.parts,))  # a str subclass would pickle as its text alone


def _parts(value: str) -> tuple[tuple[str, float], ...]:
    return value.parts if isinstance(value, ZonedText) else ((value or "", 1.0),)


def _analysed(memo: dict, analyzer: DutchAnalyzer, written: str) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    """(stop word?, index terms, query terms) of a word as written, remembered in ``memo``. A word that is
    longer than MAX_WORD only once folded ("ﬁ" is "fi") is dropped as ``analysis.words`` drops it."""
    word = fold(written)
    if len(word) > MAX_WORD:
        found = memo[written] = (True, (), ())
        return found
    stopped = word in STOP_WORDS
    found = memo[written] = (stopped, () if stopped else analyzer.expand(word), (stem(word),))
    return found


class DutchTokenizer(Tokenizer):
    """Folded, stop-word-free, stemmed tokens; compound parts at the same position when indexing."""

    def __init__(self, lexicon_name: str = "") -> None:
        self.lexicon_name = lexicon_name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DutchTokenizer) and other.lexicon_name == self.lexicon_name

    def __hash__(self) -> int:
        return hash(("DutchTokenizer", self.lexicon_name))

    def __getstate__(self) -> dict:
        return {"lexicon_name": self.lexicon_name}

    def __setstate__(self, state: dict) -> None:
        self.lexicon_name = state.get("lexicon_name", "")

    def _memo(self) -> tuple[dict, DutchAnalyzer]:
        memo = _WORD_TERMS.get(self.lexicon_name)
        if memo is None or len(memo) > WORD_TERMS_MAX:
            memo = _WORD_TERMS[self.lexicon_name] = {}
        return memo, analyzer_for(self.lexicon_name)

    def _pieces(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        pieces = _PIECE_TERMS.get(self.lexicon_name)
        if pieces is None or len(pieces) > WORD_TERMS_MAX:
            pieces = _PIECE_TERMS[self.lexicon_name] = {}
        return pieces

    def _piece_terms(self, piece: str) -> tuple[tuple[str, ...], ...]:
        memo, analyzer = self._memo()
        found = (memo.get(written) or _analysed(memo, analyzer, written) for written in _WORD.findall(piece))
        return tuple(index_terms for stopped, index_terms, _query_terms in found if not stopped)

    def index_positions(self, value: str) -> tuple[dict[str, list[int]], dict[str, float]]:
        """Index term -> its positions, and term -> the weight its occurrences in a part of a
        :class:`ZonedText` with a boost other than 1 add to their count: what ``__call__`` yields when
        indexing, without Token objects."""
        pieces = self._pieces()
        found: dict[str, list[int]] = {}
        extra: dict[str, float] = {}
        pos = -1
        for text, boost in _parts(value):
            boosted = extra if boost != 1.0 else None
            for piece in text.split():
                entry = pieces.get(piece)
                if entry is None:
                    entry = self._piece_terms(piece)
                    if len(piece) <= PIECE_MEMO_CHARS:  # a long piece is not worth its memory
                        pieces[piece] = entry
                for index_terms in entry:  # usually one word
                    pos += 1
                    for term in index_terms:
                        if (at := found.get(term)) is None:
                            found[term] = [pos]
                        else:
                            at.append(pos)
                        if boosted is not None:
                            boosted[term] = boosted.get(term, 0.0) + boost - 1.0
        return found, extra

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):  # fmt: skip
        memo, analyzer = self._memo()
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        expand = mode != "query"
        # Positions count the words kept, so a phrase query (whose stop words are dropped too) matches across
        # them: "hulp bij het huishouden" is searched as hulp, huishouden at adjacent positions.
        pos = start_pos - 1
        offset = start_char
        for text, boost in _parts(value):
            for match in _WORD.finditer(text):  # the words of analysis.word_spans, each analysed once
                written = match.group()
                found = memo.get(written) or _analysed(memo, analyzer, written)
                stopped, index_terms, query_terms = found
                if stopped and removestops:
                    continue
                token.stopped = stopped
                terms = index_terms if expand and not stopped else query_terms
                pos += 1
                for term in terms:
                    token.text = term
                    token.boost = boost
                    if keeporiginal:
                        token.original = written
                    if positions:
                        token.pos = pos
                    if chars:
                        token.startchar, token.endchar = offset + match.start(), offset + match.end()
                    yield token
            offset += len(text) + 1  # the newline between parts


class DutchPositions(Positions):
    """Whoosh's Positions format; :meth:`items` (Whoosh's writer) and :meth:`postings` (the rebuild's pool)
    index a Dutch text from :meth:`DutchTokenizer.index_positions` instead of a stream of Token objects,
    with the same values and bytes."""

    def items(self, value: str, analyzer: DutchTokenizer) -> list[tuple[bytes, int, float, bytes]]:
        """(term as UTF-8, frequency, weight, encoded positions) per distinct term, as ``FieldType.index``
        gives them (for Whoosh's own writer: the sync after a save)."""
        boost, encode = self.field_boost, self.encode
        found, extra = analyzer.index_positions(value)
        return [
            (term.encode("utf-8"), len(at), (len(at) + extra.get(term, 0.0)) * boost, encode(at))
            for term, at in found.items()
        ]

    def postings(
        self, value: str, analyzer: DutchTokenizer, term_ids: dict[str, int]
    ) -> tuple[list[int], list[float], list[bytes], int]:
        """A document's postings as columns: term numbers (from ``term_ids``, new terms added), weights,
        encoded positions, and the field length. A position list of one (the most common kind) is encoded once."""
        boost = self.field_boost
        encode, single = self.encode, _SINGLE_POSITION
        tids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        length = 0
        found, extra = analyzer.index_positions(value)
        for term, poslist in found.items():
            if (tid := term_ids.get(term)) is None:
                tid = term_ids[term] = len(term_ids)
            tids.append(tid)
            if len(poslist) == 1:
                pos = poslist[0]
                if (vbytes := single.get(pos)) is None:
                    vbytes = single[pos] = encode(poslist)
                values.append(vbytes)
                length += 1
            else:
                values.append(encode(poslist))
                length += len(poslist)
            weights.append((len(poslist) + extra[term]) * boost if extra and term in extra else len(poslist) * boost)
        return tids, weights, values, length


_SINGLE_POSITION: dict[int, bytes] = {}


class DutchText(TEXT):
    """A TEXT field (with positions) analysed by the Dutch tokenizer, indexed through
    :meth:`DutchPositions.items` (Whoosh's own ``index`` wraps every term in a generator and encodes it anew)."""

    def __init__(self, analyzer: DutchTokenizer, **kwargs) -> None:
        super().__init__(analyzer=analyzer, **kwargs)
        self.format = DutchPositions(field_boost=self.format.field_boost)

    @property
    def fast(self) -> bool:
        """Indexed by :class:`DutchPositions` from :class:`DutchTokenizer` (not swapped for Whoosh's own)."""
        return isinstance(self.format, DutchPositions) and isinstance(self.analyzer, DutchTokenizer)

    def index(self, value, **kwargs):
        if self.fast and kwargs.get("mode", "index") == "index" and isinstance(value, str):
            return self.format.items(value, self.analyzer)
        return super().index(value, **kwargs)
