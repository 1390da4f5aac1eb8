"""The dataset a query sees: union default graph, FROM / FROM NAMED, protocol graph parameters."""

from __future__ import annotations

import json

import pytest

from tests.server.conftest import BASE

ENTITIES = f"{BASE}graph/entities"
PROVENANCE = f"{BASE}graph/provenance"
CLAIM_1 = f"{BASE}id/claim/a1/1"
CLAIM_2 = f"{BASE}id/claim/a1/2"
SIGNED = f"SELECT ?d WHERE {{ ?a <{BASE}ontology#dateSigned> ?d }} ORDER BY ?d"
DEFAULT_ONLY = "ASK { <http://example.org/only-in-default> ?p ?o }"


def values(r, var: str) -> list[str]:
    assert r.status_code == 200, r.data
    return [b[var]["value"] for b in json.loads(r.data)["results"]["bindings"] if var in b]


def test_union_default_graph_sees_every_claim(client):
    assert values(client.get("/sparql", query_string={"query": SIGNED}), "d") == [
        "2020-11-09", "2020-11-10"]


def test_graph_pattern_tells_which_claim_says_so(client):
    date = '"2020-11-10"^^<http://www.w3.org/2001/XMLSchema#date>'
    q = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?a <{BASE}ontology#dateSigned> {date} }} }}"
    assert values(client.get("/sparql", query_string={"query": q}), "g") == [CLAIM_2]


def test_from_selects_the_default_graph_even_with_union_on(client):
    q = SIGNED.replace("WHERE", f"FROM <{CLAIM_1}> WHERE")
    assert values(client.get("/sparql", query_string={"query": q}), "d") == ["2020-11-09"]


def test_from_named_limits_graph_patterns(client):
    q = f"SELECT ?g FROM NAMED <{CLAIM_2}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    assert values(client.get("/sparql", query_string={"query": q}), "g") == [CLAIM_2]


def test_default_graph_uri_parameter_sets_the_default_graph(client):
    r = client.get("/sparql", query_string={"query": SIGNED, "default-graph-uri": CLAIM_2})
    assert values(r, "d") == ["2020-11-10"]


def test_several_default_graph_uris_are_merged(client):
    r = client.post("/sparql", data={"query": SIGNED, "default-graph-uri": [CLAIM_1, CLAIM_2]},
                    content_type="application/x-www-form-urlencoded")
    assert values(r, "d") == ["2020-11-09", "2020-11-10"]


def test_named_graph_uri_parameter_sets_the_named_graphs(client):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", query_string={"query": q, "named-graph-uri": PROVENANCE})
    assert values(r, "g") == [PROVENANCE]
    # with only named graphs given, the default graph is empty
    r = client.get("/sparql", query_string={"query": SIGNED, "named-graph-uri": PROVENANCE})
    assert values(r, "d") == []


def test_protocol_dataset_overrides_from_in_the_query(client):
    q = SIGNED.replace("WHERE", f"FROM <{CLAIM_1}> WHERE")
    r = client.post("/sparql?default-graph-uri=" + CLAIM_2, data=q.encode(),
                    content_type="application/sparql-query")
    assert values(r, "d") == ["2020-11-10"]


def test_relative_iris_resolve_against_the_endpoint(client):
    r = client.get("/sparql", query_string={"query": "SELECT (<x> AS ?x) {}"})
    assert values(r, "x") == ["http://localhost/x"]


@pytest.mark.parametrize("union, expected", [(True, True), (False, True)])
def test_default_graph_triples_are_visible(make_app, union, expected):
    client = make_app(UNION_DEFAULT_GRAPH=union, WORKERS=0).test_client()
    r = client.get("/sparql", query_string={"query": DEFAULT_ONLY})
    assert json.loads(r.data)["boolean"] is expected


def test_without_union_the_default_graph_is_only_the_default_graph(make_app):
    client = make_app(UNION_DEFAULT_GRAPH=False, WORKERS=0).test_client()
    assert values(client.get("/sparql", query_string={"query": SIGNED}), "d") == []
