"""The Dutch analyzer as a Whoosh tokenizer, so index and queries use exactly search_index.analysis.

The schema is pickled into every index generation, so the analyzer pickles only the name of its
lexicon (registered by the index when it opens), never the lexicon itself.
"""

from __future__ import annotations

from whoosh.analysis import Token, Tokenizer

from .analysis import STOP_WORDS, DutchAnalyzer, stem, word_spans

_LEXICONS: dict[str, DutchAnalyzer] = {}


def register_lexicon(name: str, analyzer: DutchAnalyzer) -> None:
    _LEXICONS[name] = analyzer


def analyzer_for(name: str) -> DutchAnalyzer:
    return _LEXICONS.get(name) or _LEXICONS.setdefault("", DutchAnalyzer())


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

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):  # fmt: skip
        analyzer = analyzer_for(self.lexicon_name)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        expand = mode != "query"
        # Positions count the words kept, so a phrase query (whose stop words are dropped too) matches across
        # them: "hulp bij het huishouden" is searched as hulp, huishouden at adjacent positions.
        pos = start_pos - 1
        for word, start, end in word_spans(value):
            if word in STOP_WORDS:
                if removestops:
                    continue
                token.stopped = True
            else:
                token.stopped = False
            terms = analyzer.expand(word) if expand and not token.stopped else (stem(word),)
            pos += 1
            for term in terms:
                token.text = term
                token.boost = 1.0
                if keeporiginal:
                    token.original = value[start:end]
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar, token.endchar = start_char + start, start_char + end
                yield token


class FoldedWordTokenizer(Tokenizer):
    """Whole folded words, unstemmed: the vocabulary for "Bedoelde u …?" and title autocomplete."""

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ):  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (word, start, end) in enumerate(word_spans(value)):
            token.text, token.boost, token.stopped = word, 1.0, False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token
