"""The vendored world map: loads offline, holds the Parties by ISO numeric code, and says which
Parties it cannot draw so the dashboards can list them beside it."""

import json

from review import parties
from review.world import FEATURE, WORLD_MAP, mapped_codes, split_by_map, topology


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
