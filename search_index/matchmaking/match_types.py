"""The similarity model's settings and the values it answers with (see model.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .duplicate_likelihood import Tier


class ModelIncompatible(Exception):
    """A saved model from another format or scikit-learn version: refit it (``flask reindex``)."""


@dataclass(frozen=True)
class Settings:
    """How the channels are built and weighted. See the module docstring and ``eval_matchmaking.py --tune``."""

    title_boost: float = 1.0  # words channel: title term frequency added once more, times this
    char_weight: float = 0.5  # chars channel, relative to the words channel (1.0)
    char_title_boost: float = 2.0  # chars channel: title n-grams added once more, times this
    title_word_weight: float = 0.0  # title_words channel
    title_char_weight: float = 0.25  # title_chars channel
    char_ngrams: tuple[int, int] = (3, 5)
    char_lead_words: int = 100  # the chars channel reads the body's first words only
    bigrams: bool = True
    candidates: int = 200  # rows rescored exactly per query (the term-major stage picks them)
    candidate_max_df: float = 0.2  # the term-major stage skips terms in more than this share of the pilots
    partner_pool: int = 200  # most similar pilots whose organisations are considered as partners
    partner_pilots: int = 3  # an organisation's best pilots that count for its score
    partner_bonus: float = 0.1  # weight of an organisation's 2nd.. best pilots (noisy-or), 0 = max only


DEFAULT_SETTINGS = Settings()


@dataclass
class Match:
    id: int
    score: float  # cosine, 0..1, rounded to 4 decimals
    duplicate: bool  # tier is likely or possible (duplicate_likelihood.py)
    reasons: list[str] = field(default_factory=list)  # readable words that contribute most to the score
    likelihood: float = 0.0  # calibrated likelihood that it is the same pilot invented twice, 0..1
    tier: Tier = Tier.RELATED


@dataclass
class PartnerMatch:
    code: str
    score: float
    reasons: list[str] = field(default_factory=list)
    pilots: list[int] = field(default_factory=list)  # the organisation's matching pilots, best first


class Vector(NamedTuple):
    """One sparse row: column indices and values (a view into the model's arrays for a fitted pilot)."""

    indices: np.ndarray
    data: np.ndarray

    @classmethod
    def of(cls, row: sp.csr_matrix) -> Vector:
        return cls(row.indices, row.data)
