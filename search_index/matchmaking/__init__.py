"""Matchmaking: similar pilots, likely duplicates, partner organisations and clusters, by TF-IDF cosine.

The public face is :class:`~search_index.matchmaking.model.SimilarityModel` (``model.py``); its answers are
the values of ``match_types.py``. Module map:

* ``model.py``: ``SimilarityModel``'s state: fit, upsert/remove, the vectors of pilots and drafts
* ``neighbours.py``: similar pilots and drafts (candidates from postings, exact rescoring, brute force)
* ``partners.py``: partner organisations, ranked by how like the pilot their own pilots are
* ``duplicate_likelihood.py``: how likely a similar pilot is a duplicate, its tier, and what is shown at all
* ``reasons.py``: the shared words that explain a match
* ``storage.py``: the model file (save atomically, load memory-mapped)
* ``match_types.py``: settings and the values answered (``Match``, ``PartnerMatch``, ``Vector``)
* ``features.py``, ``sparse_rows.py``: count matrices and the TF-IDF row operations
* ``clusters.py``: groups of mutually similar pilots across organisations (``clusters.clusters``)

The Dutch analyzer (``search_index/analysis.py``) and ``PilotDocument`` (``search_index/documents.py``) are
shared with full-text search and stay beside it.
"""

from .duplicate_likelihood import DUPLICATES, Tier
from .match_types import DEFAULT_SETTINGS, Match, ModelIncompatible, PartnerMatch, Settings
from .model import SimilarityModel

__all__ = [
    "DEFAULT_SETTINGS",
    "DUPLICATES",
    "Match",
    "ModelIncompatible",
    "PartnerMatch",
    "Settings",
    "SimilarityModel",
    "Tier",
]
