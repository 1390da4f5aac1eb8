"""Write the build artifact: sorted N-Quads without blank nodes, swapped in atomically."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
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
    """Call ``write(tmp_dir)``, then swap tmp_dir in for build_dir; on failure, keep build_dir."""
    build_dir = build_dir.resolve()
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{build_dir.name}-new-", dir=build_dir.parent))
    try:
        write(tmp)
        old = None
        if build_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{build_dir.name}-old-", dir=build_dir.parent))
            old.rmdir()
            build_dir.rename(old)
        tmp.rename(build_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
