"""The world map implementation is drawn on, read from the vendored `data/world` TopoJSON.

The map travels with the code (no tile server, no URL) so the dashboards work on an air-gapped
server. Countries are keyed by ISO 3166-1 numeric code; Parties the map does not hold (Tuvalu is
too small for its scale, the European Union is not a country) are named beside it instead.

The dashboards draw `countries-50m-display.json`, derived once from the vendored file by
`simplify` (`python scripts/simplify_world_map.py`): the same countries, codes and grid, with the
points closer than a sixth of a pixel to their neighbours' line dropped (a third of the points
remain). Every chart spec carries the topology and Streamlit serializes it several times per
rerun, so its size is most of the world map page's time. Rings the simplification would break
(small States, small islands) keep every point they had.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any, Iterable
from review.resources import data_file

WORLD_DIR = data_file("world")
WORLD_MAP = WORLD_DIR / "countries-50m.json"
DISPLAY_MAP = WORLD_DIR / "countries-50m-display.json"
FEATURE = "countries"
# The source grid is 1e5 steps per axis: 0.0036 degrees of longitude, 0.0017 of latitude. Points
# within 20 steps of their neighbours' line go: 0.07 degrees, a sixth of a pixel on the 820-pixel map.
TOLERANCE = 20.0
# One pixel square on the dashboard's 820 x 430 map, in grid steps squared (0.44 by 0.42 degrees):
# a State whose largest shape is smaller is drawn but cannot be seen, so it is listed beside the map.
PIXEL_AREA = 29_000.0

Point = tuple[int, int]


@cache
def topology(path: Path = DISPLAY_MAP) -> dict[str, Any]:
    """The TopoJSON topology the dashboards draw, read once per process."""
    return json.loads(path.read_text(encoding="utf-8"))


def _absolute(arc: list[list[int]]) -> list[Point]:
    x = y = 0
    points = []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        points.append((x, y))
    return points


def _line_distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = math.hypot(bx - ax, by - ay)
    if length == 0:
        return math.hypot(px - ax, py - ay)
    return abs((bx - ax) * (ay - py) - (by - ay) * (ax - px)) / length


def _kept(points: list[Point], tolerance: float, force: bool) -> list[Point]:
    """Douglas-Peucker between the two ends (always kept); with `force`, the farthest point stays
    whatever its distance, so a ring split in two halves keeps an area."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    spans = [(0, len(points) - 1, force)]
    while spans:
        a, b, forced = spans.pop()
        if b <= a + 1:
            continue
        far = max(range(a + 1, b), key=lambda i: _line_distance(points[i], points[a], points[b]))
        if forced or _line_distance(points[far], points[a], points[b]) > tolerance:
            keep[far] = True
            spans += [(a, far, False), (far, b, False)]
    return [p for p, k in zip(points, keep) if k]


def _simplified_arc(points: list[Point], tolerance: float) -> list[Point]:
    if points[0] == points[-1] and len(points) > 4:
        far = max(range(len(points)), key=lambda i: math.dist(points[i], points[0]))
        return _kept(points[: far + 1], tolerance, True) + _kept(points[far:], tolerance, True)[1:]
    return _kept(points, tolerance, False)


def _deltas(points: list[Point]) -> list[list[int]]:
    deltas, previous = [], (0, 0)
    for x, y in points:
        deltas.append([x - previous[0], y - previous[1]])
        previous = (x, y)
    return deltas


def _rings(world_arcs: list[list[Point]], geometry: dict) -> list[tuple[list[int], list[Point]]]:
    """Each ring of a geometry: its arc indexes and its points."""
    polygons = geometry.get("arcs") or []
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    rings = []
    for polygon in polygons:
        for indexes in polygon:
            points: list[Point] = []
            for index in indexes:
                part = world_arcs[index] if index >= 0 else world_arcs[~index][::-1]
                points += part[1:] if points else part
            rings.append((indexes, points))
    return rings


def _signed_area(points: list[Point]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1])) / 2


def simplify(source: dict[str, Any], tolerance: float = TOLERANCE) -> dict[str, Any]:
    """The `countries` object of `source` with each arc simplified (Douglas-Peucker, its ends kept
    so shared borders still meet). A ring whose area would vanish or turn inside out keeps its
    arcs as they were: the map library would otherwise fill the whole globe with it."""
    original = [_absolute(arc) for arc in source["arcs"]]
    arcs = [_simplified_arc(points, tolerance) for points in original]
    geometries = source["objects"][FEATURE]["geometries"]
    for geometry in geometries:
        for (indexes, before), (_, after) in zip(_rings(original, geometry), _rings(arcs, geometry)):
            was, now = _signed_area(before), _signed_area(after)
            if now == 0 or (was > 0) != (now > 0) or abs(now - was) > abs(was) / 2:
                for index in indexes:
                    arcs[index if index >= 0 else ~index] = original[index if index >= 0 else ~index]
    return {
        "type": "Topology",
        "bbox": source["bbox"],
        "transform": source["transform"],
        "objects": {FEATURE: source["objects"][FEATURE]},
        "arcs": [_deltas(points) for points in arcs],
    }


def ring_areas(world: dict[str, Any]) -> dict[str, float]:
    """The largest outer-ring area (in grid steps squared) of each country's shape, by ISO code."""
    arcs = [_absolute(arc) for arc in world["arcs"]]
    largest: dict[str, float] = {}
    for geometry in world["objects"][FEATURE]["geometries"]:
        if geometry.get("id"):
            areas = [abs(_signed_area(points)) for _, points in _rings(arcs, geometry)]
            largest[geometry["id"]] = max([largest.get(geometry["id"], 0.0), *areas])
    return largest


@cache
def _drawn_areas(path: Path) -> dict[str, float]:
    return ring_areas(topology(path))


@cache
def mapped_codes(path: Path = DISPLAY_MAP) -> frozenset[str]:
    """The ISO numeric codes the map draws a shape for."""
    return frozenset(code for code, area in _drawn_areas(path).items() if area > 0)


@cache
def too_small_to_see(path: Path = DISPLAY_MAP) -> frozenset[str]:
    """The ISO numeric codes the map draws smaller than a pixel (Monaco, Maldives, Nauru...)."""
    return frozenset(code for code, area in _drawn_areas(path).items() if area < PIXEL_AREA)


def split_by_map(iso_numeric: Iterable[str | None], path: Path = DISPLAY_MAP) -> tuple[list[str], list[str | None]]:
    """The codes the map can draw, and those it cannot (absent or without a code), in given order."""
    shapes = mapped_codes(path)
    on_map: list[str] = []
    off_map: list[str | None] = []
    for code in iso_numeric:
        (on_map if code in shapes else off_map).append(code)
    return on_map, off_map


def iso_numeric_codes(store) -> dict[str, str | None]:
    """Each Party's ISO numeric code (None for the European Union), to join scores to the map."""
    with store.read() as cur:
        return dict(cur.execute("SELECT code, iso_numeric FROM party").fetchall())
