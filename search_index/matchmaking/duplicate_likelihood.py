"""How likely a similar pilot is the same pilot invented twice: a calibrated likelihood, and the tiers shown.

One cosine threshold did not carry over between corpora: a reworded re-invention scores 0.3 where a near
copy scores 0.9, and the same cosine means something else in a corpus of short register entries than in one
of long wiki pages. What does carry over is *where* two pilots agree. The model's cosine is a sum of channel
parts (words, characters of the title and opening, characters of the title alone; see model.py), and a
logistic regression over those three parts, trained on the pairs each pilot of the dev split shows as its
top 20 (both with titles and with titles replaced by the opening words, validated by cluster), separates
"same system, other municipality" from "same subject" far better than their sum: agreeing on names and
openings (characters) is what duplicates share; sharing topic words under other names is what related pilots
share. The weights may not be negative (more agreement never lowers the likelihood); the words channel's
comes out at zero, so the likelihood reads the characters and the cosine still ranks.

``bench/train_duplicates.py`` fits it and writes ``data/duplicate_model.json`` (weights, the tiers'
thresholds and the figures they were chosen on); this module only reads that file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "duplicate_model.json"
PARTS = ("words", "chars", "title_chars")  # the channel parts of a cosine, in this order


class Tier(StrEnum):
    """What a similar pilot is shown as (pages, API, notifications)."""

    LIKELY = "likely"  # waarschijnlijk dubbel
    POSSIBLE = "possible"  # mogelijk dubbel
    RELATED = "related"  # verwant


@dataclass(frozen=True)
class DuplicateModel:
    """Weights over the channel parts, and the thresholds of the tiers and of what is shown at all."""

    intercept: float
    weights: tuple[float, float, float]
    possible: float  # likelihood from which a pilot is flagged a duplicate (``Match.duplicate``)
    likely: float  # likelihood from which it is called a likely duplicate
    min_score: float  # a pilot below this cosine is not listed at all
    partner_min_score: float  # a pilot below this cosine does not make its organisation a partner

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> DuplicateModel:
        state = json.loads(path.read_text("utf-8"))
        weights = tuple(float(state["weights"][name]) for name in PARTS)
        thresholds = (float(state[k]) for k in ("possible", "likely", "min_score", "partner_min_score"))
        return cls(float(state["intercept"]), weights, *thresholds)

    def likelihood(self, parts: np.ndarray) -> np.ndarray:
        """The likelihood per row of ``parts`` (one row of :data:`PARTS` per pair)."""
        logit = self.intercept + np.asarray(parts, dtype=np.float64).reshape(-1, len(PARTS)) @ np.asarray(self.weights)
        return 1.0 / (1.0 + np.exp(-np.clip(logit, -30.0, 30.0)))

    def tier(self, score: float, likelihood: float, explained: bool = True) -> Tier | None:
        """What a match is shown as, or None when it is not worth listing (no padding with noise): below the
        minimum cosine, or without a shared word to show as the reason (agreement in character n-grams alone,
        in a few words of text, is no evidence a person can check)."""
        if score < self.min_score or not explained:
            return None
        if likelihood < self.possible:
            return Tier.RELATED
        return Tier.LIKELY if likelihood >= self.likely else Tier.POSSIBLE


DUPLICATES = DuplicateModel.load()
