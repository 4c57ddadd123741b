"""'Bedoelde u …?': replace words the index does not know by the nearest word it does know.

The index holds stems, so candidates are found among stems (Whoosh's Levenshtein search over the
content field) and shown as the most frequent word with that stem (``surface.json``, made at rebuild).
"""

from __future__ import annotations

import re

from .analysis import STOP_WORDS, stem, word_spans
from .queries import SYNTAX_WORDS

# Between the words a suggestion keeps only plain query syntax (phrases, fields, "-"); anything else, such as
# the brackets of typed markup, becomes a space: a suggestion is plain text, shown and linked as it is.
_NOT_PLAIN = re.compile(r"[^\s\"':\-]+")
WILDCARDS = ("*", "?")


class Suggester:
    def __init__(self, surface: dict[str, list[str]] | None = None, vocabulary: frozenset[str] = frozenset()) -> None:
        self.surface = surface or {}
        self.vocabulary = vocabulary  # every word seen at rebuild: a word in here is spelt right

    def _nearest(self, searcher, word: str) -> str | None:
        key = stem(word)
        if searcher.reader().doc_frequency("content", key) > 0:  # "parkeervergunnig" stems like the real word
            return self._shown(key, word)
        # one edit before two: Whoosh ranks every candidate within maxdist alike (by frequency)
        for maxdist in (1, 2):
            for candidate in searcher.suggest("content", key, limit=3, maxdist=maxdist, prefix=1):
                if shown := self._shown(candidate, word):
                    return shown
        return None

    def _shown(self, key: str, typed: str) -> str | None:
        """Of the words with this stem, the one closest to what was typed (then the most frequent)."""
        forms = [w for w in self.surface.get(key, ()) if w != typed]
        return min(forms, key=lambda w: _distance(w, typed)) if forms else None

    def suggest(self, searcher, text: str) -> str | None:
        """The query with unknown words corrected, as plain text (words and plain query syntax), or None.

        None for a wildcard query too: "parkeer*" asks for every word so begun, not for a correction.
        """
        if any(w in text for w in WILDCARDS):
            return None
        reader = searcher.reader()
        out, pos, changed = [], 0, False
        nearest: dict[str, str | None] = {}  # a word repeated in the query is looked up once
        for word, start, end in word_spans(text):
            out.append(_NOT_PLAIN.sub(" ", text[pos:start]))
            pos = end
            replacement = text[start:end]
            field = text[end : end + 1] == ":"  # "titel:" names a field, it is not a word to correct
            plain = (
                len(word) >= 4 and word not in STOP_WORDS and word not in SYNTAX_WORDS and not word.isdigit()
            ) and not field
            if (
                plain
                and word not in self.vocabulary
                and (self.vocabulary or reader.doc_frequency("content", stem(word)) == 0)
            ):
                if word not in nearest:
                    nearest[word] = self._nearest(searcher, word)
                if nearest[word]:
                    replacement, changed = nearest[word], True
            out.append(replacement)
        out.append(_NOT_PLAIN.sub(" ", text[pos:]))
        return " ".join("".join(out).split()) if changed else None


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words, few candidates)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
