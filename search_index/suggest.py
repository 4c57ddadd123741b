"""'Bedoelde u …?': replace words the index does not know by the nearest known word."""

from __future__ import annotations

from .analysis import STOP_WORDS, fold, word_spans
from .queries import SYNTAX_WORDS


class Suggester:
    def suggest(self, searcher, text: str) -> str | None:
        """The query with unknown words corrected (keeping everything else), or None."""
        reader = searcher.reader()
        out, pos, changed = [], 0, False
        nearest: dict[str, list[str]] = {}  # a word repeated in the query is looked up once
        for word, start, end in word_spans(text):
            out.append(text[pos:start])
            pos = end
            replacement = text[start:end]
            known = reader.doc_frequency("words", word) > 0
            if (
                not known
                and len(word) >= 4
                and word not in STOP_WORDS
                and word not in SYNTAX_WORDS
                and not word.isdigit()
            ):
                # nearest first: Whoosh ranks all words within maxdist alike (by frequency), so ask for 1 edit first
                if word not in nearest:
                    nearest[word] = searcher.suggest("words", word, limit=1, maxdist=1, prefix=1) or searcher.suggest(
                        "words", word, limit=1, maxdist=2, prefix=1
                    )
                found = nearest[word]
                if found and fold(found[0]) != word:
                    replacement, changed = found[0], True
            out.append(replacement)
        out.append(text[pos:])
        return "".join(out) if changed else None
