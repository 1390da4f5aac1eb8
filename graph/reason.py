"""OWL 2 RL materialisation on a copy; keep only the useful new triples about our own things."""

from __future__ import annotations

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

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
    work = asserted + ontology  # a new graph: the closure never touches its inputs
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


def _useful(s, p, o, id_base: str) -> bool:
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode) or isinstance(p, BNode):
        return False
    if not (isinstance(s, URIRef) and str(s).startswith(id_base)):
        return False
    if p in SKIP_PREDICATES or s == o:  # reflexive closure (x exactMatch x) is noise
        return False
    return not (p == RDF.type and o in SKIP_TYPES)
