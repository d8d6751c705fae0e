"""The world map implementation is drawn on, read from the vendored `data/world` TopoJSON.

The map travels with the code (no tile server, no URL) so the dashboards work on an air-gapped
server. Countries are keyed by ISO 3166-1 numeric code; Parties the map does not hold (Tuvalu is
too small for its scale, the European Union is not a country) are named beside it instead.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Iterable

WORLD_MAP = Path(__file__).resolve().parent.parent / "data" / "world" / "countries-50m.json"
FEATURE = "countries"


@cache
def topology(path: Path = WORLD_MAP) -> dict[str, Any]:
    """The TopoJSON topology, read once per process."""
    return json.loads(path.read_text(encoding="utf-8"))


def mapped_codes(path: Path = WORLD_MAP) -> frozenset[str]:
    """The ISO numeric codes the map draws a shape for."""
    geometries = topology(path)["objects"][FEATURE]["geometries"]
    return frozenset(g["id"] for g in geometries if g.get("id"))


def split_by_map(iso_numeric: Iterable[str | None], path: Path = WORLD_MAP) -> tuple[list[str], list[str | None]]:
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
