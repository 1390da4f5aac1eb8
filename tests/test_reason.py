"""OWL 2 RL materialisation: literal-valued triples are reasoned over where an axiom uses them."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, TIME, XSD

from graph.namespaces import KG
from graph.ontology import load_ontology
from graph.reason import materialise
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
