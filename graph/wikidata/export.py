"""Render our claims as Wikidata-style statements with references (queries/export/wikibase.rq)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.errors import KGError
from graph.namespaces import PREFIXES, WD, WD_P, WD_PR, WD_PS, WIKIBASE
from graph.query import as_bytes, triples

EXPORT_QUERY = Path("export") / "wikibase.rq"
EXPORT_PREFIXES = {
    "wd": str(WD), "p": str(WD_P), "ps": str(WD_PS), "pr": str(WD_PR),
    "wikibase": str(WIKIBASE), "prov": str(PREFIXES["prov"]),
}


def export_query(queries_dir: Path) -> str:
    path = Path(queries_dir) / EXPORT_QUERY
    if not path.is_file():
        raise KGError(f"{path}: the export query is missing")
    return path.read_text(encoding="utf-8")


def export_wikibase(store: ox.Store, query: str) -> bytes:
    """The CONSTRUCT's triples as Turtle, sorted (same build, same bytes)."""
    constructed = sorted(triples(store, query, union=True), key=str)
    return as_bytes(
        ox.serialize(constructed, format=ox.RdfFormat.TURTLE, prefixes=EXPORT_PREFIXES)
    )
