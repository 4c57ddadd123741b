"""The similarity model on disk: one joblib file, written atomically; its large arrays memory-mapped on load,
so workers on one machine share the pages. ``SimilarityModel.save`` and ``SimilarityModel.load`` call these."""

from __future__ import annotations

import os
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn

from ..analysis import DutchAnalyzer
from .match_types import ModelIncompatible, Settings, Vector

if TYPE_CHECKING:
    from .model import SimilarityModel

# 2: a title that repeats the text's opening is not a title (features.repeats_opening)
# 3: the pickled feature space's class moved to search_index.matchmaking.features
# 4: the duplicate threshold left the file (duplicate_likelihood.py decides, from data/duplicate_model.json)
FORMAT_VERSION = 4


def save(model: SimilarityModel, path: Path) -> None:
    """One joblib file, written aside and renamed into place: readers see the old or the new model."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    delta_ids, delta = model._delta_rows()
    state = {
        "format": FORMAT_VERSION,
        "sklearn": sklearn.__version__,
        "settings": asdict(model.settings),
        "changed_since_fit": model.changed_since_fit,
        "lexicon": sorted(model.lexicon),
        "space": model._space,
        "words_idf": model._words_idf,
        "chars_idf": model._chars_idf,
        "n_words": model._n_words,
        "n_features": model._n_features,
        "names": model._names,
        "surface": model._surface,
        "matrix": (model._matrix.data, model._matrix.indices, model._matrix.indptr, model._matrix.shape),
        "postings": (model._postings.data, model._postings.indices, model._postings.indptr, model._postings.shape),
        "ids": model._ids,
        "alive": np.asarray(model._alive),
        "delta": (delta_ids, delta.data, delta.indices, delta.indptr, delta.shape),
    }
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        joblib.dump(state, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load(cls: type[SimilarityModel], path: Path, mmap: bool = True) -> SimilarityModel:
    """A saved model; its large arrays memory-mapped (read-only, shared between processes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", sklearn.exceptions.InconsistentVersionWarning)
        try:
            state = joblib.load(Path(path), mmap_mode="r" if mmap else None)
        except sklearn.exceptions.InconsistentVersionWarning as exc:
            raise ModelIncompatible(f"{path}: saved with another scikit-learn version; refit") from exc
        except ModuleNotFoundError as exc:  # a file of format 2 names search_index.features
            raise ModelIncompatible(f"{path}: saved by an older version ({exc}); refit") from exc
    if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
        raise ModelIncompatible(f"{path}: not a similarity model of format {FORMAT_VERSION}; refit")
    settings = dict(state["settings"])
    settings["char_ngrams"] = tuple(settings["char_ngrams"])
    try:
        model = cls(Settings(**settings))
    except TypeError as exc:
        raise ModelIncompatible(f"{path}: settings of another version ({exc}); refit") from exc
    model.lexicon = frozenset(state["lexicon"])
    model._space = state["space"]
    model._space.analyzer = DutchAnalyzer(model.lexicon)
    model._words_idf, model._chars_idf = state["words_idf"], state["chars_idf"]
    model._n_words, model._n_features = state["n_words"], state["n_features"]
    model._names, model._surface = state["names"], state["surface"]
    data, indices, indptr, shape = state["matrix"]
    model._matrix = sp.csr_matrix((data, indices, indptr), shape=shape, copy=False)
    data, indices, indptr, shape = state["postings"]
    model._postings = sp.csc_matrix((data, indices, indptr), shape=shape, copy=False)
    model._df = np.diff(model._postings.indptr)
    model._ids = state["ids"]
    model._alive = np.array(state["alive"], dtype=bool)  # small; a writable copy
    model._row = {int(i): r for r, i in enumerate(model._ids.tolist()) if model._alive[r]}
    delta_ids, data, indices, indptr, shape = state["delta"]
    delta = sp.csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=shape)
    model._delta = {int(i): Vector.of(delta[k]) for k, i in enumerate(delta_ids)}
    model._delta_stack = None
    model.changed_since_fit = state["changed_since_fit"]
    return model
