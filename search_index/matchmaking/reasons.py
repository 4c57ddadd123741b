"""Why two pilots match: the words-channel terms that add most to their cosine, shown as words.

The part of :class:`~.model.SimilarityModel` that explains a match; a mixin reading the model's feature space,
stem names and surface forms (the most frequent word of each stem). A reason must say *what* two pilots share:
filler ("inmiddels", "waarmee", "elke": stopwords-iso's Dutch list, ``data/filler_nl.txt``, and our own
``data/filler_extra_nl.txt``) and place names ("hengelo": ``data/place_names_nl.txt``, from ``scripts/place_names.py``) are never shown.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .match_types import Vector

_DATA = Path(__file__).resolve().parent.parent / "data"
FILLER = frozenset(
    word
    for name in ("filler_nl.txt", "filler_extra_nl.txt")
    for line in _DATA.joinpath(name).read_text("utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)
PLACES = frozenset(_DATA.joinpath("place_names_nl.txt").read_text("utf-8").split())
_HIDDEN = FILLER | PLACES


def _readable(stem: str) -> bool:
    """Worth showing as a reason: a word, not a number or a fragment such as the "e" of "e-mail"."""
    return len(stem) >= 3 and not stem.isdigit()


def informative(words: list[tuple[str, str]]) -> bool:
    """A term, as (surface word, stem) per word (one, or two for a bigram), that says what two pilots share:
    no place name and no filler in it."""
    return not any(
        word in PLACES | FILLER or stem in PLACES | FILLER for word, stem in ((w.lower(), s.lower()) for w, s in words)
    )


class Reasons:
    """The shared words of a query and a pilot (:meth:`reasons`), as the similar-pilot lists show them."""

    def reasons(self, q: Vector, doc_id: int, limit: int = 5) -> list[str]:
        """The words-channel terms that add most to the cosine of ``q`` and pilot ``doc_id``, as words."""
        with self._dense(q) as qd:
            return self._reasons(qd, doc_id, limit)

    def _reasons(self, qd: np.ndarray, doc_id: int, limit: int = 5) -> list[str]:
        row = self._vector_of(doc_id)
        in_words = row.indices < self._n_words
        terms = row.indices[in_words]
        contrib = qd[terms] * row.data[in_words]
        shared = np.flatnonzero(contrib > 0)
        out: list[str] = []
        covered: set[str] = set()
        for k in shared[np.argsort(-contrib[shared], kind="stable")]:
            parts = self._space.word_feature(int(terms[k]), self._names)
            if (len(parts) == 1 and parts[0] in covered) or not all(_readable(p) for p in parts):
                continue
            words = [self._surface.get(p, p) for p in parts]
            readable = " ".join(words)
            if readable in out or not informative(list(zip(words, parts, strict=True))):
                continue
            out.append(readable)
            covered.update(parts)
            if len(out) >= limit:
                break
        return out
