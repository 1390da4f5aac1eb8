"""OWL 2 RL materialisation on a copy; keep only the useful new triples about our own things."""

from __future__ import annotations

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
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


def materialise(asserted: Graph, ontology: Graph, id_base: str) -> Graph:
    """Run OWL 2 RL over asserted data + ontology; return new triples whose subject is ours."""
    work = _reasoned_over(asserted, ontology) + ontology  # a new graph: inputs stay untouched
    before = set(work)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    inferred = Graph()
    for s, p, o in work:
        if (s, p, o) in before or not _useful(s, p, o, id_base):
            continue
        inferred.add((s, p, o))
    return inferred


def _reasoned_over(asserted: Graph, ontology: Graph) -> Graph:
    """The asserted triples the closure can draw anything from.

    A triple whose object is a literal (a text, a quote, a label, an offset, a date) matters to
    OWL 2 RL only through an axiom on its property: its domain, a super-, equivalent or inverse
    property, functionality, or a restriction on it (owl:onProperty). The others are left out,
    which cuts the closure's work by about a third and changes nothing it infers.
    """
    axiomatic: set[Node] = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    axiomatic |= set(ontology.objects(None, OWL.onProperty))
    for axiom in (RDFS.domain, RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf):
        axiomatic |= set(ontology.subjects(axiom, None))
    work = Graph()
    for s, p, o in asserted:
        if not isinstance(o, Literal) or p in axiomatic:
            work.add((s, p, o))
    return work


def _useful(s, p, o, id_base: str) -> bool:
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode) or isinstance(p, BNode):
        return False
    if not (isinstance(s, URIRef) and str(s).startswith(id_base)):
        return False
    if p in SKIP_PREDICATES or s == o:  # reflexive closure (x exactMatch x) is noise
        return False
    return not (p == RDF.type and o in SKIP_TYPES)
