"""The build's cache: what one article mapped to, kept under a hash of everything that made it.

An entry is found only under the hash of its inputs (the article's text and annotation, the
entity registry, the ontology and shapes, the base IRI, the build's own code), so an entry is
either exactly what a fresh computation would give or not found. Entries are written to a
temporary file and renamed into place; one that cannot be read is a miss, recomputed.

Entries are pickles: the folder is the build's own output (beside BUILD_DIR), written and read by
the same code, and every entry is checked against the key it was asked for.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import rdflib

from graph import __version__

CACHE_DIR = ".kg-cache"  # beside BUILD_DIR unless BUILD_CACHE_DIR names another folder
_MAGIC = b"kg-build-cache 1\n"


@cache
def code_salt() -> str:
    """A hash of the build's code and rdflib's version: any change to them invalidates every
    entry."""
    digest = hashlib.sha256(f"{__version__} rdflib {rdflib.__version__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key(*parts: str) -> str:
    """One key for an entry made from ``parts`` (hashes, names) by this version of the code."""
    digest = hashlib.sha256(code_salt().encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()


def cache_dir(settings: dict[str, Any]) -> Path:
    """Where the build keeps its cache: BUILD_CACHE_DIR, or .kg-cache beside BUILD_DIR."""
    if settings["BUILD_CACHE_DIR"]:
        return Path(settings["BUILD_CACHE_DIR"])
    return Path(settings["BUILD_DIR"]).parent / CACHE_DIR


class BuildCache:
    """Entries by key in one folder (``kind`` names the sub-folder: one per kind of entry)."""

    def __init__(self, directory: Path, kind: str) -> None:
        self.directory = directory / kind
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()

    def _path(self, entry: str) -> Path:
        return self.directory / entry[:2] / entry

    def get(self, entry: str) -> Any | None:
        """The value stored under ``entry``, or None (absent, unreadable or corrupt)."""
        self.used.add(entry)
        try:
            data = self._path(entry).read_bytes()
            if not data.startswith(_MAGIC + entry.encode() + b"\n"):
                raise ValueError("not this entry")
            value = pickle.loads(data[len(_MAGIC) + len(entry) + 1:])
        except Exception:  # a missing, truncated or foreign file is a miss, never a failure
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, entry: str, value: Any) -> None:
        """Store ``value`` under ``entry`` atomically; a cache that cannot be written (a full or
        read-only disk) only costs the next build its time, so errors are not raised."""
        path = self._path(entry)
        self.used.add(entry)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(_MAGIC + entry.encode() + b"\n")
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def prune(self) -> int:
        """Remove every entry (and leftover temporary file) not asked for since this cache was
        opened: entries of articles since changed or removed, or of older code, so the folder
        holds one build's worth. Returns how many files went."""
        removed = 0
        for path in self.directory.glob("*/*"):
            if path.name not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
