"""'Bedoelde u …?': replace words the index does not know by the nearest known word."""

from __future__ import annotations

from .analysis import STOP_WORDS, fold, word_spans
from .queries import SYNTAX_WORDS


class Suggester:
    def suggest(self, searcher, text: str) -> str | None:
        """The query with unknown words corrected (keeping everything else), or None."""
        reader = searcher.reader()
        out, pos, changed = [], 0, False
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
                found = searcher.suggest("words", word, limit=1, maxdist=2, prefix=1)
                if found and fold(found[0]) != word:
                    replacement, changed = found[0], True
            out.append(replacement)
        out.append(text[pos:])
        return "".join(out) if changed else None
