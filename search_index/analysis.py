"""The one Dutch analyzer shared by full-text search and similarity.

Text → words (Unicode letters and digits) → lower case → accents folded (``privé`` = ``prive``) →
Dutch stop words dropped → Snowball Dutch (Porter variant) stems → compound parts added.

Why the Porter variant: the newer Snowball ``dutch`` algorithm strips a ``ge-`` prefix, so *gemeente*
becomes *meen*; ``dutch_porter`` keeps *gemeent* and stems *parkeren* and *parkeer* alike (*parker*).

Compounds: Dutch writes *parkeervergunning* and *pleegzorgdata* as one word, so a search for
*vergunning* or *pleegzorg* would miss them. Each long word is split into parts that occur on their
own in the corpus (the lexicon: stems of words seen as separate words), with a linking *s* allowed
(*stadsdeel* = *stad* + *deel*). The parts are emitted at the same position as the whole word, at
index time only: a query for the whole compound still matches the whole compound.

Bounded work: any text may be pasted into a pilot, and the analyzer runs inside requests (similar pilots
on every page). A "word" longer than :data:`MAX_WORD` characters is not a word (no Dutch word comes
close; such runs are pasted hashes, base64 or vandalism) and is dropped everywhere, in search and
similarity alike, so it neither costs work nor pollutes the index and the TF-IDF vocabulary. Only words
up to :data:`MAX_SPLIT` characters are split, and one split checks at most :data:`SPLIT_BUDGET` parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain
from pathlib import Path

import Stemmer

MAX_WORD = 60  # longer runs of letters and digits are not words: dropped (see the module docstring)
# A word: a whole run of at most MAX_WORD word characters (a longer run yields nothing). Linear: a run is
# tried at its start only (the lookbehind fails inside it), at most MAX_WORD steps back from its end.
_WORD = re.compile(rf"(?<!\w)\w{{1,{MAX_WORD}}}(?!\w)", re.UNICODE)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # accents after NFKD
MIN_PART = 4  # shorter parts split too eagerly: "ver" + "keer"
MIN_COMPOUND = 2 * MIN_PART
# The longest compounds of municipal Dutch are under 40 letters ("bestemmingsplanwijzigingsprocedure" 34,
# "gegevensbeschermingseffectbeoordeling" 37, the longest in our demo pages); longer ones are left whole.
MAX_SPLIT = 48
SPLIT_BUDGET = 2_000  # parts looked up per split; real words need a few dozen, adversarial ones stop here
STOP_WORDS: frozenset[str] = frozenset(
    line.strip() for line in (Path(__file__).parent / "data" / "stopwords_nl.txt").read_text("utf-8").splitlines()
    if line.strip()
)  # fmt: skip

_stemmer = Stemmer.Stemmer("dutch_porter")
_stemmer.maxCacheSize = 100_000


def fold(text: str) -> str:
    """Lower case without accents: "Privé-Ideeën" → "prive-ideeen"."""
    text = text.lower()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str]:
    """Folded words in order, stop words included (positions matter for phrases).

    ``findall(fold(text))``, made of the text's whitespace-separated pieces: whitespace never belongs to a
    word, and a corpus repeats its pieces ("gemeente," "Gemeente"), so each distinct piece is folded and
    split once (:data:`_PIECE_WORDS`); the split itself runs in C. Twice as fast over a refit's texts."""
    pieces = (text or "").split()
    found = list(map(_PIECE_WORDS.get, pieces))
    if None in found:
        found = [f if f is not None else _piece_words(p) for f, p in zip(found, pieces, strict=True)]
    return list(chain.from_iterable(found))


def piece_words(piece: str) -> list[str]:
    """``words`` of one whitespace-free piece of text, not remembered (for callers with their own memo)."""
    return _WORD.findall(fold(piece))


_PIECE_WORDS: dict[str, tuple[str, ...]] = {}
PIECE_WORDS_MAX = 100_000  # pieces remembered per process (a few MB), then forgotten all at once
# Only pieces this short are remembered: a piece can be a whole pasted text of 200,000 characters, and
# 100,000 of those would hold gigabytes. Real pieces are a word with its punctuation.
PIECE_MEMO_CHARS = 2 * MAX_WORD


def _piece_words(piece: str) -> tuple[str, ...]:
    global _PIECE_WORDS
    if len(piece) > PIECE_MEMO_CHARS:
        return tuple(piece_words(piece))
    if len(_PIECE_WORDS) >= PIECE_WORDS_MAX:
        _PIECE_WORDS = {}
    found = _PIECE_WORDS[piece] = tuple(piece_words(piece))
    return found


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(folded word, start, end) for highlighting; offsets refer to the original text."""
    for match in _WORD.finditer(text or ""):
        yield fold(match.group()), match.start(), match.end()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Dutch (Porter) stem of a folded word."""
    return _stemmer.stemWord(word)


BASE_LEXICON: frozenset[str] = frozenset(
    (Path(__file__).parent / "data" / "base_lexicon_nl.txt").read_text("utf-8").split()
)  # everyday municipal Dutch (see scripts/build_base_lexicon.py), so small corpora split compounds too


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each folded content word (not a stop word or number) occurs in the texts.

    The same counts as of ``words(text)``, three times faster: whitespace never belongs to a word, so the
    texts are split on it and counted in C, and only each distinct piece ("gemeente," "Gemeente") is
    folded and split into words."""
    pieces = Counter(chain.from_iterable(text.split() for text in texts if text))
    seen: Counter[str] = Counter()
    for piece, n in pieces.items():
        for word in piece_words(piece):
            seen[word] += n
    return Counter({w: n for w, n in seen.items() if len(w) >= MIN_PART and w not in STOP_WORDS and not w.isdigit()})


def build_lexicon(
    texts: Iterable[str] = (),
    min_count: int = 2,
    base: frozenset[str] = frozenset(),
    counts: Counter[str] | None = None,
) -> frozenset[str]:
    """Stems of the words that occur on their own at least ``min_count`` times: the compound parts."""
    counts = word_counts(texts) if counts is None else counts
    return base | frozenset(stem(w) for w, n in counts.items() if n >= min_count)


def surface_forms(counts: Counter[str], per_stem: int = 4) -> dict[str, list[str]]:
    """For each stem its most frequent words, to show a stem to people ("vergunn" -> "vergunning")."""
    forms: dict[str, list[tuple[int, str]]] = {}
    for word, n in counts.items():
        forms.setdefault(stem(word), []).append((n, word))
    return {key: [w for _n, w in sorted(found, key=lambda p: (-p[0], p[1]))[:per_stem]] for key, found in forms.items()}


class _OverBudget(Exception):
    """A split looked up more parts than :data:`SPLIT_BUDGET`."""


class DutchAnalyzer:
    """Turns text into index terms; holds the lexicon that compound splitting checks against."""

    def __init__(self, lexicon: Iterable[str] = ()) -> None:
        self.lexicon = frozenset(lexicon)
        self._cache: dict[str, tuple[str, ...]] = {}

    def _known(self, part: str) -> bool:
        return len(part) >= MIN_PART and part not in STOP_WORDS and stem(part) in self.lexicon

    def split(self, word: str) -> list[str] | None:
        """Parts of a compound (longest known head first), or None when it is not one.

        Bounded: words over :data:`MAX_SPLIT` letters are not split, the parts of each piece are worked
        out once (memo), and a split that has looked up :data:`SPLIT_BUDGET` parts gives up (None)."""
        if len(word) > MAX_SPLIT:
            return None
        try:
            return self._split(word, 0, {}, [SPLIT_BUDGET])
        except _OverBudget:
            return None

    def _split(self, word: str, depth: int, memo: dict, budget: list[int]) -> list[str] | None:
        if len(word) < MIN_COMPOUND or depth > 3:
            return None
        if (word, depth) in memo:
            return memo[word, depth]
        found = None
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            for candidate in (head, head[:-1] if head.endswith("s") else ""):
                if candidate and self._counted_known(candidate, budget):
                    tail_parts = (
                        [tail] if self._counted_known(tail, budget) else self._split(tail, depth + 1, memo, budget)
                    )
                    if tail_parts:
                        head_parts = self._split(candidate, depth + 1, memo, budget) or []
                        found = [candidate, *head_parts, *tail_parts]
                        break
            if found:
                break
        memo[word, depth] = found
        return found

    def _counted_known(self, part: str, budget: list[int]) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise _OverBudget
        return self._known(part)

    def expand(self, word: str) -> tuple[str, ...]:
        """The stem of a folded word followed by the stems of its compound parts (cached per word)."""
        found = self._cache.get(word)
        if found is None:
            stems = [stem(word)]
            for part in self.split(word) or ():
                part_stem = stem(part)
                if part_stem not in stems:
                    stems.append(part_stem)
            found = self._cache[word] = tuple(stems)
            if len(self._cache) > 500_000:
                self._cache.clear()
        return found

    def terms(self, text: str, compounds: bool = True) -> list[str]:
        """Index terms of a text, stop words dropped: the bag of words similarity uses."""
        out: list[str] = []
        for word in words(text):
            if word in STOP_WORDS:
                continue
            if compounds:
                out.extend(self.expand(word))
            else:
                out.append(stem(word))
        return out

    def query_terms(self, text: str) -> list[str]:
        """Terms of a search query: whole words only (a compound in a query means the compound)."""
        return self.terms(text, compounds=False)
