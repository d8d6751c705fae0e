"""The vendored world map: loads offline, holds the Parties by ISO numeric code, and says which
Parties it cannot draw so the dashboards can list them beside it."""

import json

from review.world import (DISPLAY_MAP, FEATURE, WORLD_MAP, mapped_codes, ring_areas, simplify, split_by_map, too_small_to_see,
                          topology)


def test_the_map_is_vendored_with_its_source_and_licence():
    readme = (WORLD_MAP.parent / "README.md").read_text(encoding="utf-8")
    assert "world-atlas" in readme and "2.0.2" in readme and "ISC" in readme
    assert "Permission to use, copy, modify" in readme


def test_the_topology_loads_as_topojson_with_a_countries_object():
    world = topology()
    assert world["type"] == "Topology"
    assert FEATURE in world["objects"]
    assert len(world["objects"][FEATURE]["geometries"]) > 200


def test_small_states_are_on_the_map_and_tuvalu_and_the_eu_are_not(store):
    codes = _iso(store)
    shapes = mapped_codes()
    assert codes["SGP"] in shapes and codes["MDV"] in shapes and codes["CHN"] in shapes
    on_map, off_map = split_by_map([codes["FRA"], codes["TUV"], codes["EUU"]])
    assert on_map == [codes["FRA"]]
    assert off_map == [codes["TUV"], None]


def test_every_other_party_has_a_shape(store):
    _, off_map = split_by_map(list(_iso(store).values()))
    assert len(off_map) == 2


def test_the_file_is_plain_json_not_a_pointer():
    assert json.loads(WORLD_MAP.read_text(encoding="utf-8"))["arcs"]


def _iso(store):
    with store.read() as cur:
        return dict(cur.execute("SELECT code, iso_numeric FROM party").fetchall())


def test_the_drawn_map_is_derived_from_the_vendored_file_by_the_script():
    source = json.loads(WORLD_MAP.read_text(encoding="utf-8"))
    assert json.loads(DISPLAY_MAP.read_text(encoding="utf-8")) == json.loads(json.dumps(simplify(source)))
    assert DISPLAY_MAP.stat().st_size < WORLD_MAP.stat().st_size / 2


def test_every_country_keeps_its_code_name_and_a_shape_of_about_its_size():
    source = json.loads(WORLD_MAP.read_text(encoding="utf-8"))
    drawn = topology()
    names = lambda world: {(g.get("id"), g["properties"]["name"]) for g in world["objects"][FEATURE]["geometries"]}  # noqa: E731
    assert names(drawn) == names(source)
    before, after = ring_areas(source), ring_areas(drawn)
    for code, area in before.items():
        assert after[code] > 0 and abs(after[code] - area) <= area / 2, code


def test_a_ring_the_simplification_would_break_keeps_its_points():
    # A thin island of two arcs, each within the tolerance of a straight line: simplified, the ring
    # would have no area (and the map library would fill the globe with it).
    upper, lower = [[0, 0], [100, 5], [100, -5]], [[200, 0], [-100, -5], [-100, 5]]
    # A square with a point 1 step off one edge, in one closed arc.
    square = [[1000, 1000], [1000, 0], [1, 500], [-1, 500], [-1000, 0], [0, -1000]]
    world = {"type": "Topology", "bbox": [0, 0, 1, 1], "transform": {"scale": [1, 1], "translate": [0, 0]},
             "objects": {FEATURE: {"type": "GeometryCollection", "geometries": [
                 {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "Sliver"}},
                 {"type": "Polygon", "arcs": [[2]], "id": "002", "properties": {"name": "Square"}}]}},
             "arcs": [upper, lower, square]}
    simplified = simplify(world, tolerance=20)
    assert simplified["arcs"][:2] == [upper, lower]
    assert len(simplified["arcs"][2]) == 5, "the point within the tolerance of the edge is dropped"
    assert ring_areas(world) == {"001": 1000.0, "002": 1_000_500.0}
    assert ring_areas(simplified) == {"001": 1000.0, "002": 1_000_000.0}


def test_states_smaller_than_a_pixel_are_known_so_they_can_be_listed_beside_the_map(store):
    codes = _iso(store)
    tiny = too_small_to_see()
    assert {codes[c] for c in ("VAT", "MCO", "MDV", "NRU", "SMR", "SGP")} <= tiny
    assert not {codes[c] for c in ("FRA", "CHN", "KEN", "JAM")} & tiny
    assert tiny <= mapped_codes(), "they are still drawn"
