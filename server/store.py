"""The dataset the server reads: an RDF file loaded once into an in-memory pyoxigraph store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

# File suffix -> pyoxigraph format. N-Quads is what `kg build` writes.
FORMATS: dict[str, ox.RdfFormat] = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}


class DataError(ValueError):
    """The data file is missing, of an unknown format, or does not parse."""


class KGStore:
    """Read-only access to the loaded dataset; ``union`` makes the default graph all graphs."""

    def __init__(self, path: Path, union: bool = True) -> None:
        self.path = Path(path)
        self.union = union
        self.store = ox.Store()
        fmt = FORMATS.get(self.path.suffix.lower())
        if fmt is None:
            raise DataError(f"{self.path}: unknown RDF format (suffixes: {', '.join(FORMATS)})")
        if not self.path.is_file():
            raise DataError(f"{self.path}: no such file")
        try:
            self.store.bulk_load(path=str(self.path), format=fmt,
                                 base_iri=self.path.resolve().as_uri())
        except (SyntaxError, ValueError, OSError) as err:
            raise DataError(f"{self.path}: {err}") from None

    def query(self, sparql: str, **kwargs: object) -> object:
        """Run a read-only query with the configured default-graph semantics."""
        kwargs.setdefault("use_default_graph_as_union", self.union)
        return self.store.query(sparql, **kwargs)

    def __len__(self) -> int:
        return len(self.store)
