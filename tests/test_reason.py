"""OWL 2 RL materialisation: the closure draws on every triple an axiom can use, and only those."""

from __future__ import annotations

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, TIME, XSD

from graph.namespaces import KG
from graph.ontology import load_ontology
from graph.reason import _useful, materialise
from tests.conftest import ROOT

ID = "https://w3id.org/karabakh-kg/id/"


def test_a_literal_still_reaches_its_super_property_and_types_by_its_domain() -> None:
    ontology = load_ontology(ROOT / "ontology").graph
    term, war = URIRef(ID + "value/a/1-x"), URIRef(ID + "event/war")
    data = Graph()
    data.add((term, RDF.type, KG.TermProvision))
    data.add((term, KG.initialTerm, Literal("P5Y", datatype=XSD.duration)))
    data.add((war, KG.duration, Literal("P42D", datatype=XSD.duration)))
    inferred = materialise(data, ontology, ID)
    assert (term, TIME.hasXSDDuration, Literal("P5Y", datatype=XSD.duration)) in inferred
    assert (war, TIME.hasXSDDuration, Literal("P42D", datatype=XSD.duration)) in inferred
    assert (war, RDF.type, KG.Event) in inferred  # kg:duration's domain


def full_closure(data: Graph, ontology: Graph, base: str) -> Graph:
    """The closure over every asserted and ontology triple, kept as materialise keeps it: the
    reference the reasoner's input cut must match."""
    work = data + ontology
    before = set(work)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    kept = Graph()
    for triple in work:
        if triple not in before and _useful(*triple, base):
            kept.add(triple)
    return kept


def test_the_build_infers_what_owlrl_infers_over_everything_on_the_real_data(built) -> None:
    """The build reasons with reasonable over the triples an axiom can use; on the five articles
    it infers exactly what owlrl's closure over every triple infers."""
    _settings, result, _dir = built
    ontology = load_ontology(ROOT / "ontology").graph
    data = result.mapped.asserted()
    cut = materialise(data, ontology, ID)
    assert len(cut) > 2000
    assert set(cut) == set(full_closure(data, ontology, ID))
    # The build hands the reasoner the dataset's triples as they come, not a graph of them.
    assert set(materialise(result.mapped.triples(), ontology, ID)) == set(cut)


def test_a_property_with_only_a_characteristic_is_still_reasoned_over() -> None:
    """A property the ontology only types (symmetric here) gives the closure a rule."""
    ontology = load_ontology(ROOT / "ontology").graph
    near = URIRef(ID + "near")
    ontology = ontology + Graph()
    ontology.add((near, RDF.type, OWL.SymmetricProperty))
    a, b = URIRef(ID + "place/a"), URIRef(ID + "place/b")
    data = Graph()
    data.add((a, near, b))
    assert (b, near, a) in materialise(data, ontology, ID)


def test_equality_keeps_every_triple() -> None:
    """owl:sameAs rewrites every triple of its terms, so nothing is left out of the closure."""
    ontology = load_ontology(ROOT / "ontology").graph
    a, b = URIRef(ID + "person/a"), URIRef(ID + "person/b")
    note = URIRef(ID + "undeclared-property")
    data = Graph()
    data.add((a, OWL.sameAs, b))
    data.add((a, note, Literal("x")))
    assert (b, note, Literal("x")) in materialise(data, ontology, ID)
