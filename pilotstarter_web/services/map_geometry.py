"""The outlines of the map page: read once per process from content/geo/ (built by scripts/build_map.py).

The file never changes while the app runs, so it is parsed once and shared by every request (about 90 kB of
path strings); nothing is downloaded at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEO_FILE = Path(__file__).resolve().parents[2] / "content" / "geo" / "nl_be_gemeenten.json"


@dataclass(frozen=True)
class Shape:
    code: str  # organisation code (GM0363, BE11002) or province code (PV27, BE10000)
    path: str  # SVG path data in the map's viewBox
    province: str  # province code (a province's own code for provinces)
    name: str = ""  # provinces only: the name organisations carry ("Noord-Holland", "Antwerpen (BE)")


@dataclass(frozen=True)
class MapGeometry:
    view_box: str
    municipalities: dict[str, Shape]
    provinces: dict[str, Shape]

    @property
    def province_by_name(self) -> dict[str, str]:
        """Province code by the name organisations carry."""
        return {shape.name: code for code, shape in self.provinces.items()}


@cache
def map_geometry(path: Path = GEO_FILE) -> MapGeometry:
    """The municipalities and provinces of the Netherlands and Flanders (cached: read once per process)."""
    data = json.loads(path.read_text("utf-8"))
    municipalities = {code: Shape(code, item["d"], item["province"]) for code, item in data["municipalities"].items()}
    provinces = {code: Shape(code, item["d"], code, item["name"]) for code, item in data["provinces"].items()}
    return MapGeometry(data["viewBox"], municipalities, provinces)
