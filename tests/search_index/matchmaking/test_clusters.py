"""Clusters: groups of mutually similar pilots across organisations, on the demo pilots and by hand."""

from __future__ import annotations

import pytest

from search_index.matchmaking import SimilarityModel
from search_index.matchmaking.clusters import clusters

from ..corpora import demo_documents

FUNERAL = {
    "digitale-overlijdensaangifte-uitvaartondernemer",
    "uitvaartportaal-zeeuwse-gemeenten",
    "melding-van-overlijden-zonder-loketbezoek",
}
PARKING = {"digitaal-parkeerloket-binnenstad", "parkeervergunning-online-aanvragen"}
FOSTER_CARE = {"big-data-pleegzorg-matching", "datagedreven-plaatsing-pleegkinderen"}


@pytest.fixture(scope="module")
def demo():
    docs = demo_documents()
    model = SimilarityModel.fit(docs)
    return model, {d.id: d.organisations for d in docs}, {d.id: d.slug for d in docs}


def slugs(found, slug_of) -> list[set[str]]:
    return [{slug_of[p] for p in c.pilots} for c in found]


def test_the_demo_groups_are_found_and_nothing_is_chained(demo):
    model, orgs, slug_of = demo
    groups = slugs(clusters(model, orgs), slug_of)
    for expected in (FUNERAL, PARKING, FOSTER_CARE):
        assert expected in groups, groups
    assert not any("bijstandsaanvraag-in-een-keer-goed" in g for g in groups)  # "aanvragen" alone is no topic
    every = [p for g in groups for p in g]
    assert len(every) == len(set(every))  # a pilot belongs to one group at most


def test_groups_span_organisations_and_are_ordered(demo):
    model, orgs, _ = demo
    found = clusters(model, orgs)
    for c in found:
        owners = {orgs[p][0] for p in c.pilots}
        assert len(c.organisations) == len(owners) >= 2
        assert c.terms and 0 < c.cohesion <= 1
    assert [len(c.organisations) for c in found] == sorted((len(c.organisations) for c in found), reverse=True)
    assert all(len(c.organisations) >= 3 for c in clusters(model, orgs, min_orgs=3))


def test_the_topic_words_name_the_group(demo):
    model, orgs, slug_of = demo
    funeral = next(c for c in clusters(model, orgs) if {slug_of[p] for p in c.pilots} == FUNERAL)
    assert {"uitvaart", "overlijden"} & set(funeral.terms[:3]), funeral.terms


def test_stricter_means_fewer_and_tighter_groups(demo):
    model, orgs, _ = demo
    loose, strict = clusters(model, orgs, quantile=0.5), clusters(model, orgs, quantile=0.75)
    assert len(strict) < len(loose)
    assert min(c.cohesion for c in strict) >= min(c.cohesion for c in loose)
    assert clusters(model, orgs, min_score=1.0) == []


def test_one_organisation_alone_is_no_cluster(demo):
    model, orgs, _ = demo
    same = {p: ("GM0363",) for p in orgs}
    assert clusters(model, same) == []
