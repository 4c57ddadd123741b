"""A pilot's search document holds its organisations' names and provinces: changing them re-indexes the pilot
through the change log, without `flask reindex`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services.fulltext_search import search_service
from pilotstarter_web.services.organisations import load_reference_organisations
from search_index.search_types import SearchRequest, SearchResult
from tests.conftest import CONTENT
from tests.factories import make_pilot, make_user


@pytest.fixture
def reference_dir(tmp_path: Path):
    """A copy of the reference lists to edit; the real ones are loaded back afterwards (the database keeps
    the reference organisations from one test to the next)."""
    copy = tmp_path / "organisations"
    shutil.copytree(CONTENT / "organisations", copy)
    yield copy
    db.session.rollback()
    load_reference_organisations(CONTENT / "organisations")
    db.session.commit()


def _edit_row(directory: Path, old: str, new: str) -> None:
    csv = directory / "nl_gemeenten_cbs_2023.csv"
    text = csv.read_text(encoding="utf-8")
    assert old in text
    csv.write_text(text.replace(old, new), encoding="utf-8")


def _search(query: str) -> SearchResult:
    result, from_index = search_service().search(SearchRequest(query=query))
    assert from_index
    return result


def test_renaming_a_partner_and_moving_it_to_another_province_reaches_search(reference_dir):
    pilot = make_pilot(make_user("GM0344"), title="Zwerfafval melden", partners=["GM0599"])
    before = _search("zwerfafval")
    assert [h.id for h in before.hits] == [pilot.id]
    assert before.facets["province"] == {"Utrecht": 1, "Zuid-Holland": 1}
    assert _search("maasstadgemeente").total == 0

    _edit_row(
        reference_dir, "0599,GM0599,Rotterdam,28,PV28,Zuid-Holland", "0599,GM0599,Maasstadgemeente,29,PV29,Zeeland"
    )
    assert load_reference_organisations(reference_dir) == (0, 1)
    db.session.commit()

    assert [h.id for h in _search("maasstadgemeente").hits] == [pilot.id]
    assert _search("zwerfafval").facets["province"] == {"Utrecht": 1, "Zeeland": 1}
    assert _search("rotterdam").total == 0


def test_renaming_the_owner_reaches_search_of_its_pilots_only(reference_dir):
    pilot = make_pilot(make_user("GM0344"), title="Zwerfafval melden")
    make_pilot(make_user("GM0599"), title="Zwerfafval ophalen")  # another organisation's pilot
    assert _search("zwerfafval").total == 2
    _edit_row(reference_dir, "0344,GM0344,Utrecht,26,PV26,Utrecht", "0344,GM0344,Domstadgemeente,26,PV26,Utrecht")
    load_reference_organisations(reference_dir)
    db.session.commit()
    assert [h.id for h in _search("domstadgemeente").hits] == [pilot.id]
    assert _search("zwerfafval").facets["province"] == {"Utrecht": 1, "Zuid-Holland": 1}
