"""Load the ontology and its import module; know which terms are declared."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from graph.errors import SeedError
from graph.namespaces import bind_all

ONTOLOGY_FILES = ("kg.ttl", "imports.ttl")
SHAPES_FILE = "shapes.ttl"

# Terms every RDF tool knows without a declaration.
BUILTIN = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, OWL.sameAs, RDF.value}


@dataclass
class Ontology:
    graph: Graph
    shapes: Graph
    declared: frozenset[URIRef]
    paths: tuple[Path, ...]

    def is_declared(self, term: Node) -> bool:
        return term in self.declared or term in BUILTIN or str(term).startswith(str(XSD))

    def is_object_property(self, term: Node) -> bool:
        """Its values are resources (IRIs), never literals."""
        return (term, RDF.type, OWL.ObjectProperty) in self.graph


def load_ontology(directory: Path) -> Ontology:
    graph = bind_all(Graph())
    paths = []
    for name in ONTOLOGY_FILES:
        path = directory / name
        paths.append(path)
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError:
            raise SeedError(path, None, "ontology file not found") from None
        except Exception as err:  # rdflib raises several unrelated types for bad Turtle
            raise SeedError(path, _line(err), f"Turtle syntax error: {err}") from None
    shapes_path = directory / SHAPES_FILE
    paths.append(shapes_path)
    shapes = bind_all(Graph())
    try:
        shapes.parse(shapes_path, format="turtle")
    except FileNotFoundError:
        raise SeedError(shapes_path, None, "shapes file not found") from None
    except Exception as err:
        raise SeedError(shapes_path, _line(err), f"Turtle syntax error: {err}") from None
    declared = frozenset(s for s in graph.subjects() if isinstance(s, URIRef))
    return Ontology(graph=graph, shapes=shapes, declared=declared, paths=tuple(paths))


def _line(err: Exception) -> int | None:
    import re

    m = re.search(r"line (\d+)", str(err))
    return int(m.group(1)) if m else None
