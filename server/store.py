"""The dataset the server reads: an RDF file loaded once into an in-memory pyoxigraph store.

The file is only ever read. In writable mode (WRITABLE) updates change the in-memory copy only.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.formats import for_file, rdf_suffixes


class DataError(ValueError):
    """The data file is missing, of an unknown format, or does not parse."""


class KGStore:
    """The loaded dataset, in memory; ``union`` makes the default graph all graphs."""

    def __init__(self, path: Path, union: bool = True) -> None:
        self.path = Path(path)
        self.union = union
        self.store = ox.Store()
        self._counts: object | None = None  # graph sizes, cached by server.describe
        fmt = for_file(self.path)
        if fmt is None:
            raise DataError(f"{self.path}: unknown RDF format (suffixes: "
                            f"{', '.join(rdf_suffixes())})")
        self.format = fmt
        if not self.path.is_file():
            raise DataError(f"{self.path}: no such file")
        try:
            self.store.bulk_load(path=str(self.path), format=fmt.rdf,
                                 base_iri=self.path.resolve().as_uri())
        except (SyntaxError, ValueError, OSError) as err:
            raise DataError(f"{self.path}: {err}") from None

    def update(self, sparql: str, base_iri: str | None = None,
               prefixes: dict[str, str] | None = None) -> None:
        """Apply a SPARQL Update to the in-memory store (atomically); the file is not touched."""
        try:
            self.store.update(sparql, base_iri=base_iri, prefixes=prefixes)
        finally:
            self._counts = None

    def __len__(self) -> int:
        return len(self.store)
