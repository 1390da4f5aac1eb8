"""The closed kg: namespace in the code and the terms kg.ttl declares are the same set."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from graph.namespaces import KG, KG_TERMS
from tests.conftest import ROOT


def test_code_namespace_lists_exactly_the_ontology_terms() -> None:
    ns = str(KG)
    graph = Graph().parse(ROOT / "ontology" / "kg.ttl")
    declared = {
        str(s)[len(ns) :]
        for s in graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(ns)
    }
    assert set(KG_TERMS) == declared


def test_a_typo_in_a_term_is_an_error_not_a_new_iri() -> None:
    assert KG.dateSigned == URIRef(str(KG) + "dateSigned")
    with pytest.raises(AttributeError):
        _ = KG.dateSinged
