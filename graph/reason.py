"""OWL 2 RL materialisation on a copy; keep only the useful new triples about our own things."""

from __future__ import annotations

from collections.abc import Iterable

import reasonable
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

# Inferred predicates that say nothing a user would query for.
SKIP_PREDICATES = {
    OWL.sameAs,
    OWL.differentFrom,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    RDFS.domain,
    RDFS.range,
}
SKIP_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


Triple = tuple[Node, Node, Node]


def materialise(asserted: Iterable[Triple], ontology: Graph, id_base: str) -> Graph:
    """Run OWL 2 RL over asserted data (a graph, or its triples in any order, repeats allowed)
    + ontology; return new triples whose subject is ours.

    The reasoner is reasonable (Rust, ~40x faster than owlrl here); tests/test_reason.py holds it
    to owlrl's closure over every triple, triple for triple. Its input is a set of triples, not
    an rdflib graph: the same triples, without ~3 s of indexing at 1,000 articles.
    """
    work = _reasoned_over(set(asserted), ontology)  # a new set: inputs stay untouched
    for s, p, o in ontology:
        if p not in _DOCUMENTATION:  # labels and definitions feed no rule
            work.add((s, p, o))
    before = {(s, p, _rdf11(o)) for s, p, o in work}
    inferred = Graph()
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(list(work))
    for s, p, o in reasoner.reason():
        o = _rdf11(o)
        if (s, p, o) in before or not _useful(s, p, o, id_base):
            continue
        inferred.add((s, p, o))
    return inferred


def _rdf11(term: Node) -> Node:
    """"x"^^xsd:string as "x": the same RDF 1.1 term, which rdflib keeps apart (reasonable writes
    every plain literal typed), so that a literal the input had is not taken for a new one."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


# What a property's own triples in the ontology may say without giving OWL 2 RL a rule to fire:
# its kind and its documentation.
_PLAIN_KINDS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
_DOCUMENTATION = {RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso, SKOS.definition,
                  SKOS.prefLabel, SKOS.altLabel, SKOS.note, SKOS.example, SKOS.scopeNote,
                  OWL.deprecated}


def _reasoned_over(asserted: set[Triple], ontology: Graph) -> set[Triple]:
    """The asserted triples the closure can draw anything from.

    A data triple matters to OWL 2 RL only through rdf:type, owl:sameAs, or an axiom that mentions
    its property: its domain or range, a super-, equivalent or inverse property, a characteristic
    (functional, symmetric, transitive, ...), a restriction, a key or a chain (which name the
    property as an object). Triples of a property the ontology only declares and documents
    (a text, a quote, an offset, a label, a provenance link) are left out, which cuts the
    closure's work by about half and changes nothing it infers (tests/test_reason.py).
    """
    if any(p == OWL.sameAs for _s, p, _o in asserted):
        return asserted  # equality rewrites every triple: nothing can be left out
    mentioned: set[Node] = set(ontology.objects())
    for p, q, o in ontology:
        if (q == RDF.type and o not in _PLAIN_KINDS) or (q != RDF.type
                                                         and q not in _DOCUMENTATION):
            mentioned.add(p)
    return {(s, p, o) for s, p, o in asserted if p == RDF.type or p in mentioned}


def _useful(s, p, o, id_base: str) -> bool:
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode) or isinstance(p, BNode):
        return False
    if not (isinstance(s, URIRef) and str(s).startswith(id_base)):
        return False
    if p in SKIP_PREDICATES or s == o:  # reflexive closure (x exactMatch x) is noise
        return False
    return not (p == RDF.type and o in SKIP_TYPES)
