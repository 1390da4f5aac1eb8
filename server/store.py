"""The dataset the server reads: an RDF file, loaded once into an in-memory pyoxigraph store.

The file is only ever read. In writable mode (WRITABLE) updates change the in-memory copy only.
When the file is a build's kg.nq with its on-disk store beside it (``graph.disk_store``), the web
process can read that store instead (``in_memory=False``) and leave the in-memory copy to the
fork server of its query workers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from graph.disk_store import STORE_DIR, open_store
from graph.formats import Format, for_file, rdf_suffixes

T = TypeVar("T")


class DataError(ValueError):
    """The data file is missing, of an unknown format, or does not parse."""


def data_format(path: Path) -> Format:
    """The RDF format of the data file ``path``; DataError if unknown or not a file."""
    fmt = for_file(path)
    if fmt is None:
        raise DataError(f"{path}: unknown RDF format (suffixes: {', '.join(rdf_suffixes())})")
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    return fmt


def load(path: Path) -> ox.Store:
    """The data file ``path`` loaded into a new in-memory store; DataError if it cannot be."""
    fmt = data_format(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt.rdf, base_iri=path.resolve().as_uri())
    except (SyntaxError, ValueError, OSError) as err:
        raise DataError(f"{path}: {err}") from None
    return store


class KGStore:
    """The served dataset; ``union`` makes the default graph all graphs. ``store`` is in memory,
    or (``in_memory=False`` and a build's on-disk store beside the file) that store, read-only."""

    def __init__(self, path: Path, union: bool = True, in_memory: bool = True) -> None:
        self.path = Path(path)
        self.union = union
        self.format = data_format(self.path)
        # The build folder is a symlink switched by each build: fix the version read now, so
        # that the on-disk store and the file the workers load are of the same build.
        self.source = self.path.resolve()
        disk = None if in_memory else open_store(self.source.parent / STORE_DIR)
        self.in_memory = disk is None
        self.store: ox.Store = load(self.path) if disk is None else disk
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, once while the data is unchanged (counts over the whole dataset)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    def update(self, sparql: str, base_iri: str | None = None,
               prefixes: dict[str, str] | None = None) -> None:
        """Apply a SPARQL Update to the in-memory store (atomically); the file is not touched."""
        try:
            self.store.update(sparql, base_iri=base_iri, prefixes=prefixes)
        finally:
            self._memo.clear()

    def __len__(self) -> int:
        return self.memo("len", lambda: len(self.store))
