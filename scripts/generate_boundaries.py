"""Generate the map boundaries in ``data/boundaries/`` from the NLS municipality borders.

Reads ``kuntarajat.2023.json`` of ``../shared/realdata/fi-municipality-region-geojson-2023/``
(National Land Survey of Finland, Administrative borders, CC BY 4.0, as converted by
samilaine/hallinnollisetrajat; see its README) and writes three small GeoJSON files:

``data/boundaries/municipalities.json``
    The 309 municipalities of 2023: ``code`` (3 digits), ``name``.
``data/boundaries/regions.json``
    The 19 regions (maakunnat) of 2023 as unions of their municipalities: ``code``, ``name``.
``data/boundaries/wellbeing_areas.json``
    The 21 wellbeing services counties, the City of Helsinki (``kind`` ``helsinki``: it
    organises its own services and is no county) and Åland (``kind`` ``aland``: outside the
    reform), each the union of its municipalities by the 2023 key of
    ``data/regions/municipalities.csv``: ``code``, ``name``, ``kind``.

The source is already simplified and topologically clean (every inner border is drawn the
same way in both neighbours), so the geometry is simplified here by *quantisation*: every
coordinate is rounded to ``--decimals`` places (default 3: about 110 m north-south, 55 m
east-west), repeated points are dropped and rings that collapse are removed. A shared
border stays shared, since both sides round the same points. A union is made without a
geometry library: the directed edges of the member polygons are collected, each inner edge
cancels against its reverse in the neighbour, and what is left is chained into rings
(counter-clockwise outer rings, clockwise holes: the RFC 7946 order).

Usage::

    python scripts/generate_boundaries.py [SOURCE_DIR] [--out DATA_DIR] [--decimals N]

The output depends only on the inputs: features sorted by code, no whitespace.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "realdata" / "fi-municipality-region-geojson-2023"
MAP_YEAR = 2023

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # outer ring, then holes


def _signed_area(ring: Ring) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _closed(ring: Ring) -> Ring:
    return [*ring, ring[0]]


def _open(ring: list[list[float]], decimals: int) -> Ring:
    """A ring rounded to ``decimals``, without its closing point or repeated points."""
    out: Ring = []
    for x, y in ring:
        p = (round(x, decimals), round(y, decimals))
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _oriented(ring: Ring, *, outer: bool) -> Ring:
    """The ring counter-clockwise when ``outer``, clockwise otherwise (RFC 7946)."""
    ccw = _signed_area(ring) > 0
    return ring if ccw == outer else ring[::-1]


def _polygons(geometry: dict, decimals: int) -> list[Polygon]:
    parts = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        parts = [parts]
    out: list[Polygon] = []
    for part in parts:
        rings = [_open(r, decimals) for r in part]
        if len(rings[0]) < 3 or abs(_signed_area(rings[0])) == 0:
            continue
        poly = [_oriented(rings[0], outer=True)]
        poly += [_oriented(h, outer=False) for h in rings[1:] if len(h) >= 3 and _signed_area(h)]
        out.append(poly)
    return out


def _inside(point: Point, ring: Ring) -> bool:
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def union(members: list[list[Polygon]]) -> list[Polygon]:
    """The union of polygons that share borders exactly, by cancelling inner edges.

    >>> a = [[[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]]]
    >>> b = [[[(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0)]]]
    >>> [[len(r) for r in p] for p in union([a, b])]  # one ring; (1, 0) and (1, 1) stay
    [[6]]
    """
    edges: dict[tuple[Point, Point], int] = defaultdict(int)
    for polygons in members:
        for polygon in polygons:
            for ring in polygon:
                for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                    if edges.get((b, a)):
                        edges[(b, a)] -= 1
                        if not edges[(b, a)]:
                            del edges[(b, a)]
                    else:
                        edges[(a, b)] += 1
    following: dict[Point, list[Point]] = defaultdict(list)
    for (a, b), n in sorted(edges.items()):
        following[a].extend([b] * n)
    rings: list[Ring] = []
    for start in sorted(following):
        while following[start]:
            ring = [start]
            here = following[start].pop()
            while here != start:
                ring.append(here)
                here = following[here].pop()
            # a pinch point can close a loop early: split such rings where a point repeats
            rings.extend(_split_pinched(ring))
    outers = [r for r in rings if _signed_area(r) > 0]
    holes = [r for r in rings if _signed_area(r) < 0]
    result: list[Polygon] = [[r] for r in outers]
    for hole in holes:
        for polygon in sorted(result, key=lambda p: abs(_signed_area(p[0]))):
            if _inside(hole[0], polygon[0]) or _inside(_centre(hole), polygon[0]):
                polygon.append(hole)
                break
    return sorted(result, key=lambda p: -abs(_signed_area(p[0])))


def _centre(ring: Ring) -> Point:
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def _split_pinched(ring: Ring) -> list[Ring]:
    seen: dict[Point, int] = {}
    for i, p in enumerate(ring):
        if p in seen:
            j = seen[p]
            inner = ring[j:i]
            rest = ring[:j] + ring[i:]
            return [r for r in (*_split_pinched(inner), *_split_pinched(rest)) if len(r) >= 3]
        seen[p] = i
    return [ring] if len(ring) >= 3 else []


def _geometry(polygons: list[Polygon]) -> dict:
    coords = [[[list(p) for p in _closed(r)] for r in poly] for poly in polygons]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def _collection(features: list[dict]) -> str:
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _in_year(rows: list[dict[str, str]], year: int) -> list[dict[str, str]]:
    return [r for r in rows if int(r["first_year"]) <= year <= int(r["last_year"])]


def generate(source: Path, data: Path, *, decimals: int = 3) -> dict[str, int]:
    """Write the three files; return the number of bytes of each."""
    src = json.loads((source / "kuntarajat.2023.json").read_text(encoding="utf-8"))
    key = {r["code"]: r for r in _in_year(_rows(data / "regions" / "municipalities.csv"), MAP_YEAR)}
    regions = {r["code"]: r for r in _in_year(_rows(data / "regions" / "regions.csv"), MAP_YEAR)}
    areas = {
        r["code"]: r for r in _in_year(_rows(data / "regions" / "wellbeing_areas.csv"), MAP_YEAR)
    }
    shapes: dict[str, list[Polygon]] = {}
    names: dict[str, str] = {}
    for feature in src["features"]:
        code = feature["properties"]["NATCODE"]
        if code not in key:
            raise SystemExit(f"municipality {code} of the map is not in the {MAP_YEAR} key")
        shapes[code] = _polygons(feature["geometry"], decimals)
        names[code] = key[code]["name_fi"]
    missing = sorted(set(key) - set(shapes))
    if missing:
        raise SystemExit(f"municipalities of the {MAP_YEAR} key without a border: {missing}")

    municipalities = [
        {
            "type": "Feature",
            "id": code,
            "properties": {
                "code": code,
                "name": names[code],
                "region": key[code]["region"],
                "area": key[code]["wellbeing_area"],
            },
            "geometry": _geometry(shapes[code]),
        }
        for code in sorted(shapes)
    ]
    by_region: dict[str, list[str]] = defaultdict(list)
    by_area: dict[str, list[str]] = defaultdict(list)
    for code in sorted(shapes):
        by_region[key[code]["region"]].append(code)
        by_area[key[code]["wellbeing_area"]].append(code)
    region_features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": regions[code]["name_fi"]},
            "geometry": _geometry(union([shapes[m] for m in members])),
        }
        for code, members in sorted(by_region.items())
    ]
    area_features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {
                "code": code,
                "name": areas[code]["name_fi"],
                "kind": areas[code]["kind"],
            },
            "geometry": _geometry(union([shapes[m] for m in members])),
        }
        for code, members in sorted(by_area.items())
    ]
    out = data / "boundaries"
    out.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}
    for name, features in (
        ("municipalities.json", municipalities),
        ("regions.json", region_features),
        ("wellbeing_areas.json", area_features),
    ):
        text = _collection(features)
        (out / name).write_text(text, encoding="utf-8", newline="\n")
        sizes[name] = len(text.encode("utf-8"))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument("--decimals", type=int, default=3)
    args = parser.parse_args(argv)
    if not (args.source / "kuntarajat.2023.json").is_file():
        print(f"error: no kuntarajat.2023.json in {args.source}", file=sys.stderr)
        return 2
    for name, size in generate(args.source, args.out, decimals=args.decimals).items():
        print(f"{name}: {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
