"""Reasons say what two pilots share: no filler, no place names (issue 13)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from search_index.documents import PilotDocument
from search_index.matchmaking import SimilarityModel
from search_index.matchmaking.reasons import PLACES, informative

REPO = Path(__file__).resolve().parents[3]


def _place_names_script():
    spec = importlib.util.spec_from_file_location("place_names", REPO / "scripts" / "place_names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_place_names_file_is_up_to_date_with_the_organisations():
    assert sorted(PLACES) == _place_names_script().place_words()


def test_filler_and_place_names_are_not_informative():
    assert not informative([("inmiddels", "inmiddel")])
    assert not informative([("Hengelo", "hengelo")])
    assert not informative([("elke", "elk"), ("waarmee", "waarmee")])
    assert not informative([("containers", "container"), ("hengelo", "hengelo")])
    assert informative([("overlijdensaangifte", "overlijdensaangift")])
    assert not informative([("elke", "elk"), ("container", "container")])  # a phrase shown has no filler
    assert informative([("ondergrondse", "ondergrond"), ("containers", "container")])


def test_shared_filler_and_place_names_never_show_as_reasons():
    filler = "Inmiddels werken we ruim elke week aan waarmee het nodig is, in Hengelo en Enschede."
    docs = [
        PilotDocument(id=1, slug="a", title="Sensoren in ondergrondse containers", body=f"Containers melden hun vulgraad. {filler}"),
        PilotDocument(id=2, slug="b", title="Slimme afvalcontainers met sensoren", body=f"Sensoren melden de vulgraad van containers. {filler}"),
        PilotDocument(id=3, slug="c", title="Parkeervergunning online", body="Bewoners vragen hun vergunning aan."),
    ]  # fmt: skip
    match = SimilarityModel.fit(docs).similar(1, limit=1)[0]
    assert match.id == 2 and match.reasons
    shown = {w for reason in match.reasons for w in reason.lower().split()}
    assert not shown & {"inmiddels", "ruim", "elke", "waarmee", "nodig", "hengelo", "enschede"}
    assert shown & {"sensoren", "vulgraad", "containers"}


def test_a_wiki_link_alone_makes_no_match():
    """Naming another pilot ([[its-slug|its title]]) does not make a page like it."""
    docs = [
        PilotDocument(id=1, slug="slimme-containers", title="Slimme ondergrondse containers", body="Sensoren melden de vulgraad van ondergrondse containers."),
        PilotDocument(id=2, slug="jeugd", title="Jongerenwerk in de wijk", body="Jongerenwerkers bezoeken scholen. Zie ook [[slimme-containers|Slimme ondergrondse containers]]."),
        PilotDocument(id=3, slug="parkeren", title="Parkeervergunning online", body="Bewoners vragen hun vergunning aan."),
    ]  # fmt: skip
    model = SimilarityModel.fit(docs)
    assert [m.id for m in model.similar(2, limit=5)] == []
    assert 2 not in [m.id for m in model.similar(1, limit=5)]
