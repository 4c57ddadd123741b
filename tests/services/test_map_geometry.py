"""The built outlines (content/geo/nl_be_gemeenten.json) cover every municipality and province we know."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pilotstarter_web.services.map_geometry import GEO_FILE, map_geometry

ORGANISATIONS = Path(__file__).resolve().parents[2] / "content" / "organisations"
PATH = re.compile(r"(?:M(-?\d+) (-?\d+)((?:l-?\d+ -?\d+)+)z)")
STEP = re.compile(r"l(-?\d+) (-?\d+)")


def rows(name: str) -> list[dict[str, str]]:
    with (ORGANISATIONS / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_every_dutch_and_flemish_municipality_has_an_outline_in_its_province():
    geometry = map_geometry()
    nl = {r["GemeentecodeGM"]: r["ProvinciecodePV"] for r in rows("nl_gemeenten_cbs_2023.csv")}
    flemish = {
        "BE" + r["nis_code"]: "BE" + r["province_nis"]
        for r in rows("be_gemeenten_statbel_2025.csv")
        if r["region_nis"] == "02000"
    }
    assert len(nl) == 342 and len(flemish) == 285
    assert {c: s.province for c, s in geometry.municipalities.items()} == nl | flemish
    assert set(geometry.provinces) == set(nl.values()) | set(flemish.values())
    names = {s.name for s in geometry.provinces.values()}
    assert {"Noord-Holland", "Fryslân", "Limburg", "Limburg (BE)", "West-Vlaanderen (BE)"} <= names


def test_paths_are_closed_rings_of_integer_steps_inside_the_view_box():
    geometry = map_geometry()
    _, _, width, height = map(int, geometry.view_box.split())
    for shape in [*geometry.municipalities.values(), *geometry.provinces.values()]:
        assert shape.path, shape.code
        rings = PATH.findall(shape.path)
        assert "".join(f"M{x} {y}{steps}z" for x, y, steps in rings) == shape.path, shape.code
        for x, y, steps in rings:
            px, py = int(x), int(y)
            for dx, dy in STEP.findall(steps):
                px, py = px + int(dx), py + int(dy)
                assert 0 <= px <= width and 0 <= py <= height, shape.code


def test_the_file_is_small_and_read_once():
    assert GEO_FILE.stat().st_size < 600_000
    assert map_geometry() is map_geometry()
