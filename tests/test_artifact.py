"""The artifact writer: N-Quads round-trip exactly, in sorted order, refusing blank nodes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from graph.artifact import ArtifactError, sorted_nquads, to_store

G = URIRef("https://w3id.org/karabakh-kg/graph/test")
S = URIRef("https://w3id.org/karabakh-kg/id/person/x")
P = URIRef("https://w3id.org/karabakh-kg/ontology#roleLabel")

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
literals = st.one_of(
    texts.map(Literal),
    st.tuples(texts, st.sampled_from(["en", "ru", "az", "hy"])).map(
        lambda t: Literal(t[0], lang=t[1])
    ),
    st.integers(-(10**12), 10**12).map(lambda n: Literal(str(n), datatype=XSD.integer)),
)


# Regression: U+0085 and U+2028 inside a literal once split an N-Quads line in two.
@settings(max_examples=60, deadline=None)
@given(values=st.lists(literals, min_size=1, max_size=6))
def test_literals_round_trip_through_the_sorted_nquads(values: list[Literal]) -> None:
    ds = Dataset()
    for value in values:
        ds.graph(G).add((S, P, value))
    data = sorted_nquads(to_store(ds))
    lines = data.decode("utf-8").split("\n")[:-1]
    assert lines == sorted(lines) and len(lines) == len(set(values))
    again = ox.Store()
    again.load(data, format=ox.RdfFormat.N_QUADS)
    assert set(again) == set(to_store(ds))


def test_same_content_same_bytes_whatever_the_insertion_order() -> None:
    triples = [(S, P, Literal(f"v{i}", lang="en")) for i in range(20)]
    first, second = Dataset(), Dataset()
    for t in triples:
        first.graph(G).add(t)
    for t in reversed(triples):
        second.graph(G).add(t)
    assert sorted_nquads(to_store(first)) == sorted_nquads(to_store(second))


def test_blank_nodes_are_refused() -> None:
    ds = Dataset()
    ds.graph(G).add((S, P, BNode()))
    with pytest.raises(ArtifactError, match="blank node"):
        to_store(ds)
