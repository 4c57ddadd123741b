"""The similarity model on disk (storage.py): saved and loaded it answers the same, and files of another
format are refused (the service then refits)."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_index.matchmaking import ModelIncompatible, SimilarityModel

from .test_model import HAND, ORGS, doc, fresh


def answers(model: SimilarityModel) -> list:
    out: list = []
    for d in HAND:
        if d.id in model:
            out.append(model.similar(d.id, limit=5))
            out.append(model.partners(d.id, ORGS, limit=5))
    out.append(model.similar_to_text("Chatbot voor inwoners", "vragen over de Wmo", "huishoudelijke hulp"))
    return out


def test_save_and_load_give_the_same_answers(tmp_path: Path):
    model = fresh()
    model.upsert(doc(60, "Sensoren in containers", "Containers melden hun vulgraad.", orgs=("GM0014",)))
    model.remove(6)
    before = answers(model)
    path = tmp_path / "models" / "similarity.joblib"
    model.save(path)
    assert [p.name for p in path.parent.iterdir()] == ["similarity.joblib"]  # no temporary file left
    loaded = SimilarityModel.load(path)
    assert answers(loaded) == before
    assert loaded.changed_since_fit == model.changed_since_fit
    assert sorted(loaded.ids) == sorted(model.ids)
    assert loaded.lexicon == model.lexicon and loaded.settings == model.settings
    # the loaded (memory-mapped) model still takes changes
    loaded.upsert(doc(61, "Ondergrondse containers", "Sensoren in ondergrondse containers melden hoe vol ze zijn."))
    loaded.remove(1)
    assert loaded.similar(61, limit=1)[0].id in {5, 60}
    assert 1 not in [m.id for m in loaded.similar(2, limit=10)]


def test_saving_over_an_existing_model(tmp_path: Path):
    path = tmp_path / "similarity.joblib"
    fresh().save(path)
    other = SimilarityModel.fit(HAND[:4])
    other.save(path)
    assert sorted(SimilarityModel.load(path).ids) == [1, 2, 3, 4]


def test_a_file_that_is_no_model_is_refused(tmp_path: Path):
    import joblib

    path = tmp_path / "other.joblib"
    joblib.dump({"format": 0}, path)
    with pytest.raises(ModelIncompatible):
        SimilarityModel.load(path)


def test_a_file_from_before_the_matchmaking_package_is_refused(tmp_path: Path):
    import pickle

    from search_index.matchmaking.features import FeatureSpace

    state = pickle.dumps({"format": 2, "space": FeatureSpace.__new__(FeatureSpace)}, protocol=0)
    old = state.replace(b"search_index.matchmaking.features", b"search_index.features")  # where format 2 had it
    assert old != state
    path = tmp_path / "format2.joblib"
    path.write_bytes(old)
    with pytest.raises(ModelIncompatible):
        SimilarityModel.load(path)
