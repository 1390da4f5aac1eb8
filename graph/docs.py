"""HTML documentation of the ontology, made by pyLODE: the build writes it, the server serves it."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import sys
import types
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SKOS

from graph.errors import KGError

ONTOLOGY_FILE = "kg.ttl"


class DocsError(KGError):
    """The ontology is missing or pyLODE cannot document it (exit 2, as for other bad input)."""


def _pylode_ontpub() -> type:
    """pyLODE's OntPub, working around pyLODE 3.4.1 reading its version from a pyproject.toml
    that its wheel does not ship (RDFLib/pyLODE#260)."""
    if "pylode.version" not in sys.modules:
        spec = importlib.util.find_spec("pylode")
        if spec is None or spec.origin is None:
            raise DocsError("pyLODE is not installed")
        if not (Path(spec.origin).parent.parent / "pyproject.toml").is_file():
            stub = types.ModuleType("pylode.version")
            stub.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
            sys.modules["pylode.version"] = stub
    # A pyLODE module calls logging.basicConfig(level=DEBUG) on import; keep our logging as it was.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        from pylode import OntPub
    except ImportError as err:
        raise DocsError(f"pyLODE cannot be imported: {err}") from err
    finally:
        root.handlers[:], root.level = handlers, level
    return OntPub


def _for_pylode(source: Path) -> Graph:
    """The ontology as pyLODE should see it. pyLODE takes every skos:ConceptScheme for the
    document itself: the page got the title of the last scheme ("transport modes", later
    "channels") and their metadata mixed into the ontology's. Only the scheme typing is left
    out: pyLODE documents neither schemes nor concepts, with it or without it."""
    graph = Graph().parse(source, format="turtle")
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    for scheme in list(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        if scheme not in ontologies:
            graph.remove((scheme, RDF.type, SKOS.ConceptScheme))
    return graph


def write_ontology_docs(ontology_dir: Path, out_html: Path) -> None:
    """Document ``ontology_dir/kg.ttl`` as one self-contained HTML page at ``out_html``."""
    source = Path(ontology_dir) / ONTOLOGY_FILE
    if not source.is_file():
        raise DocsError(f"{source}: no such file")
    ontpub = _pylode_ontpub()
    try:
        html = ontpub(ontology=_for_pylode(source)).make_html()
    except Exception as err:  # pyLODE raises assorted types for ontologies it cannot document
        raise DocsError(f"{source}: pyLODE could not document it: {err}") from err
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(html, encoding="utf-8")
