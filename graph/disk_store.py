"""The build's on-disk copy of the dataset: a pyoxigraph (RocksDB) store beside kg.nq.

The server's web process opens it read-only for its pages, so that the in-memory copy of the
data lives once, in the fork server its query workers share (``server.fork_server``): reading
pyoxigraph's in-memory store writes to it, and a web process reading a shared in-memory store
would come to hold a copy of its own.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

STORE_DIR = "store"  # beside kg.nq in the build


def write_store(nquads: Path, folder: Path) -> None:
    """Write the N-Quads file ``nquads`` as a new on-disk store in ``folder`` (absent)."""
    store = ox.Store(str(folder))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store  # closes the database


def open_store(folder: Path) -> ox.Store | None:
    """The on-disk store in ``folder``, read-only; None if there is none (an older build, or a
    data file that is not a build) or it cannot be opened."""
    if not folder.is_dir():
        return None
    try:
        return ox.Store.read_only(str(folder))
    except OSError:
        return None
