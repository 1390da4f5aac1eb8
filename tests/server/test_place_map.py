"""The offline map of a resource page: places with Wikidata coordinates, none invented."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from flask import Flask

from server.places_map import point
from tests.server.conftest import DATA

PLACES = DATA / "places.trig"


@pytest.mark.parametrize(("wkt", "expected"), [
    ("Point(46.751944 39.815278)", (46.751944, 39.815278)),
    ("point( -0.5  51.25 )", (-0.5, 51.25)),
    ("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> Point(2.35 48.85)", (2.35, 48.85)),
    ("Point(1e1 2.5)", (10.0, 2.5)),
])
def test_a_wkt_point_is_read_as_longitude_then_latitude(wkt: str, expected) -> None:
    assert point(wkt) == expected


@pytest.mark.parametrize("wkt", ["Point(200 10)", "Point(10 95)", "LINESTRING(1 2, 3 4)",
                                 "Point(1)", "", "Point(1 2) trailing"])
def test_anything_but_a_point_on_earth_is_left_out(wkt: str) -> None:
    assert point(wkt) is None


def test_a_place_page_maps_itself_and_its_neighbours_with_coordinates(
        make_app: Callable[..., Flask]) -> None:
    client = make_app(DATA=str(PLACES), WORKERS=0).test_client()
    page = client.get("/id/place/khankendi", headers={"Accept": "text/html"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    data = re.search(r'<script id="place-map-data" type="application/json">(.*?)</script>', body,
                     re.S)
    assert data is not None
    assert [(p["label"], p["lon"], p["lat"], p["centre"]) for p in json.loads(data.group(1))] == [
        ("Khankendi", 46.751944, 39.815278, True),
        ("Azerbaijan", 47.7, 40.3, False),
    ]  # Karabakh has no coordinates: not on the map
    assert 'data-outlines="/static/vendor/world-atlas/countries-50m.json' in body
    for library in ("d3-array", "d3-geo", "topojson-client"):
        assert f'src="/static/vendor/{library}/' in body
    outlines = client.get("/static/vendor/world-atlas/countries-50m.json")
    assert outlines.status_code == 200 and b'"countries"' in outlines.data


def map_of(client, path: str) -> list[tuple[str, bool]] | None:
    body = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    data = re.search(r'<script id="place-map-data" type="application/json">(.*?)</script>', body,
                     re.S)
    if data is None:
        assert "d3-geo" not in body  # no map, no map libraries
        return None
    return [(p["label"], p["centre"]) for p in json.loads(data.group(1))]


def test_a_place_without_coordinates_shows_its_neighbours_or_no_map(
        make_app: Callable[..., Flask]) -> None:
    client = make_app(DATA=str(PLACES), WORKERS=0).test_client()
    assert map_of(client, "/id/place/karabakh") == [("Khankendi", False)]
    assert map_of(client, "/id/place/lachin-corridor") is None
