"""Where the places of a resource page lie: the resource and its neighbours that have coordinates.

Coordinates come from Wikidata (wdt:P625, fetched into the wikidata graph by `kg wikidata fetch`
for the items the registry links with skos:exactMatch); the build states none of its own. The
page draws them over country outlines served from this host (world-atlas), so the map works
offline and asks no tile server.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from graph.query import Substitutions, solutions

# One place's coordinates, its IRI bound by substitution (never pasted into the text).
COORDINATES = """
SELECT ?place ?wkt WHERE {
  ?place skos:exactMatch ?item .
  ?item wdt:P625 ?wkt .
}
"""
PREFIXES = {"skos": "http://www.w3.org/2004/02/skos/core#",
            "wdt": "http://www.wikidata.org/prop/direct/"}
# A WKT point as Wikidata writes it, optionally after a reference system: "Point(lon lat)".
POINT = re.compile(r"^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+(?:[eE]-?\d+)?)\s+"
                   r"(-?[\d.]+(?:[eE]-?\d+)?)\s*\)\s*$", re.IGNORECASE)


def point(wkt: str) -> tuple[float, float] | None:
    """(longitude, latitude) of a WKT point on Earth; None for anything else."""
    found = POINT.match(wkt)
    if not found:
        return None
    lon, lat = float(found.group(1)), float(found.group(2))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def places(store: ox.Store, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The nodes (the neighbourhood picture's: ``id``, ``label``, ``href``, ``centre``) that have
    coordinates, each with ``lon`` and ``lat``; a node with several takes the first in order."""
    found = []
    for node in nodes:
        subs: Substitutions = {ox.Variable("place"): ox.NamedNode(node["id"])}
        points = sorted(p for r in solutions(store, COORDINATES, union=True, substitutions=subs,
                                             prefixes=PREFIXES)
                        if (p := point(r["wkt"].value)) is not None)
        if points:
            lon, lat = points[0]
            found.append({"id": node["id"], "label": node["label"], "href": node["href"],
                          "centre": node["centre"], "lon": lon, "lat": lat})
    return found
