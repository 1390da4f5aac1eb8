"""Write the build artifact: sorted N-Quads without blank nodes, switched in atomically."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset

from graph.query import as_bytes


class ArtifactError(RuntimeError):
    """The dataset cannot be written as promised (e.g. a blank node slipped through)."""


def to_store(dataset: Dataset) -> ox.Store:
    """Copy an rdflib Dataset into pyoxigraph, refusing blank nodes and default-graph triples."""
    store = ox.Store()
    quads = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise ArtifactError(f"blank node in built data: {s.n3()} {p.n3()} {o.n3()}")
        if g is None or isinstance(g, BNode) or str(g).startswith("urn:x-rdflib:"):
            raise ArtifactError(f"triple outside a named graph: {s.n3()} {p.n3()} {o.n3()}")
        quads.append(ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(str(g))))
    store.extend(quads)
    return store


def _ox(term):
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ArtifactError(f"unexpected term {term!r}")


def sorted_nquads(store: ox.Store) -> bytes:
    """N-Quads, one line per quad, sorted: same data, same bytes."""
    data = as_bytes(store.dump(format=ox.RdfFormat.N_QUADS))
    # Split on "\n" only: str.splitlines() also breaks at U+0085, U+2028 and other characters
    # that N-Quads leaves unescaped inside literals.
    lines = sorted({line for line in data.decode("utf-8").split("\n") if line})
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_atomically(build_dir: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(new_dir)``, then switch the symlink ``build_dir`` to new_dir in one step.

    new_dir is a sibling ``.<name>-*``. The switch is one ``os.replace`` of a symlink, so a reader
    or a kill at any moment finds the previous build or the new one, never none. If ``write``
    fails, build_dir is untouched. Directories left by earlier or interrupted builds are removed
    first (never the current one), under a lock so that two builds never remove each other's.
    """
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    build_dir = build_dir.parent.resolve() / build_dir.name  # not resolve(): it is the symlink
    with _locked(build_dir.with_name(f".{build_dir.name}.lock")):
        _remove_leftovers(build_dir)
        new = Path(tempfile.mkdtemp(prefix=_version_prefix(build_dir), dir=build_dir.parent))
        try:
            write(new)
            previous = _switch(build_dir, new)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        if previous is not None and _is_versioned(build_dir, previous):
            shutil.rmtree(previous, ignore_errors=True)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _version_prefix(build_dir: Path) -> str:
    return f".{build_dir.name}.version-"


def _is_versioned(build_dir: Path, path: Path) -> bool:
    """A sibling made by this module: ``.<name>.version-XXXXXXXX`` (mkdtemp's 8 characters),
    with ``.link`` or ``.previous`` after it, or ``.<name>-new-*`` / ``.<name>-old-*`` of the
    earlier two-rename swap. Nothing else: ``build-old/``'s own versions are not ours."""
    name = re.escape(build_dir.name)
    pattern = rf"\.{name}\.version-[A-Za-z0-9_]{{8}}(\.link|\.previous)?|\.{name}-(new|old)-.+"
    return path.parent == build_dir.parent and re.fullmatch(pattern, path.name) is not None


def _remove_leftovers(build_dir: Path) -> None:
    current = build_dir.resolve() if build_dir.is_symlink() else None
    for path in build_dir.parent.iterdir():
        if not _is_versioned(build_dir, path) or path.resolve() == current:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _switch(build_dir: Path, new: Path) -> Path | None:
    """Point build_dir at new; return what it pointed at (or the real directory it was)."""
    link = new.with_name(new.name + ".link")
    link.symlink_to(new.name)  # relative: build_dir and its versions can move together
    previous = build_dir.resolve() if build_dir.is_symlink() else None
    if build_dir.is_dir() and previous is None:
        # The layout before symlinks: a real directory cannot be replaced by a symlink in one
        # step, so it is moved aside first. This happens once; a kill in between leaves no build
        # until the next one, as every switch did before.
        previous = new.with_name(new.name + ".previous")
        build_dir.rename(previous)
    os.replace(link, build_dir)
    return previous


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
