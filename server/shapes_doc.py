"""The SHACL shapes as a readable document: every shape with its targets, its constraints in
compact words (``minCount 1``, ``class kg:Place``) and the message a violation shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, SH

from graph.namespaces import bind_all

TARGETS = {SH.targetClass: "instances of", SH.targetNode: "the node",
           SH.targetSubjectsOf: "subjects of", SH.targetObjectsOf: "objects of"}
# Said elsewhere on the page than in the list of constraints.
NOT_RULES = {RDF.type, SH.path, SH.message, SH.property, SH.name, SH.description, SH.sparql,
             *TARGETS}


@dataclass
class PropertyRule:
    path: str
    rules: list[str]
    message: str


@dataclass
class Shape:
    name: str
    anchor: str
    targets: list[str]
    message: str
    rules: list[str] = field(default_factory=list)
    properties: list[PropertyRule] = field(default_factory=list)
    sparql: list[tuple[str, str]] = field(default_factory=list)  # (message, SELECT)
    notes: list[str] = field(default_factory=list)  # messages of shapes inside its rules


@dataclass
class ShapesDoc:
    iri: str
    title: str
    version: str
    node_shapes: list[Shape]
    property_shapes: list[Shape]  # the named, reusable ones


def _text(graph: Graph, node: Node) -> str:
    """A node in compact Turtle-like words: a CURIE, a quoted literal, ( a list ), [ a shape ]."""
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    if isinstance(node, Literal):
        return str(node) if node.datatype is not None and not node.language else f'"{node}"'
    if graph.value(node, RDF.first) is not None or node == RDF.nil:
        return "( " + " ".join(_text(graph, m) for m in Collection(graph, node)) + " )"
    if (inverse := graph.value(node, SH.inversePath)) is not None:
        return "^" + _text(graph, inverse)
    if (alternatives := graph.value(node, SH.alternativePath)) is not None:
        return "( " + " | ".join(_text(graph, m) for m in Collection(graph, alternatives)) + " )"
    path = graph.value(node, SH.path)
    phrases = [f"path {_text(graph, path)}"] if path is not None else []
    phrases += _rules(graph, node)
    phrases += [f"property {_text(graph, o)}"
                for o in sorted(graph.objects(node, SH.property), key=str)]
    return "[ " + " ; ".join(phrases) + " ]"


def _rules(graph: Graph, node: Node) -> list[str]:
    """The constraints of a shape, one phrase each, in a stable order."""
    out = []
    for p, o in sorted(graph.predicate_objects(node)):
        if p in NOT_RULES or not str(p).startswith(str(SH)):
            continue
        name = str(p)[len(str(SH)):]
        out.append(f"{name} {_text(graph, o)}")
    return out


def _message(graph: Graph, node: Node) -> str:
    return str(graph.value(node, SH.message) or "")


def _nested_messages(graph: Graph, node: Node, top: bool = True) -> list[str]:
    """The messages of the shapes inside a constraint (``sh:not [ ... sh:message ... ]``), and
    inside those (their ``sh:property`` too); a top shape's own properties are shown apart."""
    out = []
    for p, o in sorted(graph.predicate_objects(node)):
        if (p in NOT_RULES and (top or p != SH.property)) or not isinstance(o, BNode):
            continue
        members = list(Collection(graph, o)) if graph.value(o, RDF.first) is not None else [o]
        for member in members:
            if isinstance(member, BNode):
                out += [m for m in [_message(graph, member)] if m]
                out += _nested_messages(graph, member, top=False)
    return out


def _shape(graph: Graph, node: Node) -> Shape:
    name = _text(graph, node)
    shape = Shape(name=name, anchor=name.rsplit(":", 1)[-1],
                  targets=[f"{words} {_text(graph, o)}" for p, words in TARGETS.items()
                           for o in sorted(graph.objects(node, p), key=str)],
                  message=_message(graph, node), rules=_rules(graph, node),
                  notes=_nested_messages(graph, node))
    for prop in graph.objects(node, SH.property):
        path = graph.value(prop, SH.path)
        shown = _text(graph, path) if path is not None else ""
        if isinstance(prop, BNode):
            messages = [_message(graph, prop), *_nested_messages(graph, prop)]
            shape.properties.append(PropertyRule(shown, _rules(graph, prop),
                                                 " ".join(m for m in messages if m)))
        else:  # a named, reusable property shape: described in its own section
            shape.properties.append(PropertyRule(shown, [f"see {_text(graph, prop)}"], ""))
    shape.properties.sort(key=lambda r: r.path)
    for constraint in graph.objects(node, SH.sparql):
        shape.sparql.append((_message(graph, constraint),
                             str(graph.value(constraint, SH.select) or "").strip()))
    if path := graph.value(node, SH.path):
        shape.targets.insert(0, f"path {_text(graph, path)}")
    return shape


def read(turtle: bytes) -> ShapesDoc:
    """The document of the shapes file ``turtle``."""
    graph = bind_all(Graph())
    graph.parse(data=turtle, format="turtle")
    iri = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)

    def of_type(kind: URIRef) -> list[Shape]:
        named = (s for s in set(graph.subjects(RDF.type, kind)) if isinstance(s, URIRef))
        return sorted((_shape(graph, s) for s in named), key=lambda s: s.name)

    return ShapesDoc(
        iri=str(iri or ""),
        title=str(graph.value(iri, DCTERMS.title) or "Shapes") if iri else "Shapes",
        version=str(graph.value(iri, OWL.versionInfo) or "") if iri else "",
        node_shapes=of_type(SH.NodeShape),
        property_shapes=of_type(SH.PropertyShape),
    )
