"""The service description at /sparql and the VoID description at /.well-known/void."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tests.server.conftest import BASE

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def graph(body: bytes, fmt: ox.RdfFormat, base: str = "http://localhost/") -> ox.Store:
    store = ox.Store()
    store.load(body, format=fmt, base_iri=base)
    return store


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(f"PREFIX sd: <{SD}> PREFIX void: <{VOID}> ASK {{ {query} }}"))


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_get_without_query_is_the_service_description(client, accept, fmt):
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == accept
    sd = graph(r.data, fmt)
    assert ask(sd, "<http://localhost/sparql> a sd:Service ;"
                   " sd:endpoint <http://localhost/sparql> ;"
                   " sd:supportedLanguage sd:SPARQL11Query ;"
                   " sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> ;"
                   " sd:feature sd:UnionDefaultGraph")


def test_service_description_counts_the_graphs(client):
    sd = graph(client.get("/sparql", headers={"Accept": "text/turtle"}).data, ox.RdfFormat.TURTLE)
    assert ask(sd, f"?s sd:defaultDataset [ sd:namedGraph [ sd:name <{BASE}graph/entities> ;"
                   " sd:graph [ void:triples 9 ] ] ; sd:defaultGraph [ void:triples 16 ] ]")


def test_service_description_has_no_union_feature_when_off(make_app):
    client = make_app(UNION_DEFAULT_GRAPH=False, WORKERS=0).test_client()
    sd = graph(client.get("/sparql", headers={"Accept": "text/turtle"}).data, ox.RdfFormat.TURTLE)
    assert not ask(sd, "?s sd:feature sd:UnionDefaultGraph")


def test_browsers_get_the_service_description_as_readable_text(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.content_type == "text/plain; charset=utf-8"
    assert ask(graph(r.data, ox.RdfFormat.TURTLE), "?s a sd:Service")


# What Comunica sends: HTML is named, but below every RDF syntax.
COMUNICA = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
            "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
            "text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,text/xml;q=0.3,"
            "text/html;q=0.2,application/xhtml+xml;q=0.18,application/json;q=0.135")


@pytest.mark.parametrize("accept, media_type", [
    (COMUNICA, "application/n-quads"),
    ("text/turtle, text/html;q=0.9", "text/turtle"),
    ("text/html;q=0.5, */*;q=0.6", "text/turtle"),
    ("text/html, text/turtle", "text/turtle"),  # a tie goes to the data
    ("text/html;q=0, */*", "text/turtle"),
    ("text/html, application/xhtml+xml;q=0.9, */*;q=0.8", "text/plain"),  # a browser
    ("TEXT/HTML", "text/plain"),
])
def test_the_service_description_is_rdf_unless_html_is_preferred(client, accept, media_type):
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == media_type
    # text/plain: the Turtle, for a browser to show
    fmt = ox.RdfFormat.TURTLE if media_type == "text/plain" else \
        ox.RdfFormat.from_media_type(media_type)
    assert ask(graph(r.data, fmt), "?s a sd:Service")


def test_void_gives_triples_per_system_graph_and_for_all_claims(client):
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    void = graph(r.data, ox.RdfFormat.TURTLE)
    dataset = f"<{BASE}dataset>"
    assert ask(void, f"{dataset} a void:Dataset ; void:triples 16 ;"
                     " void:sparqlEndpoint <http://localhost/sparql>")
    assert ask(void, f"{dataset} void:subset <{BASE}graph/entities> ."
                     f" <{BASE}graph/entities> void:triples 9")
    assert ask(void, f"{dataset} void:subset <{BASE}graph/provenance> ."
                     f" <{BASE}graph/provenance> void:triples 2")
    assert ask(void, f"{dataset} void:subset <{BASE}dataset/claims> ."
                     f" <{BASE}dataset/claims> void:triples 4")


def test_void_as_json_ld(client):
    r = client.get("/.well-known/void", query_string={"format": "jsonld"})
    assert r.mimetype == "application/ld+json"
    assert ask(graph(r.data, ox.RdfFormat.JSON_LD), "?d void:triples 16")


def test_void_states_the_license_of_the_footer(client):
    void = graph(client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
                 ox.RdfFormat.TURTLE)
    assert ask(void, f"<{BASE}dataset> <http://purl.org/dc/terms/license> "
                     "<https://creativecommons.org/licenses/by/4.0/>")


def test_void_partitions_by_class_and_by_property(client):
    void = graph(client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
                 ox.RdfFormat.TURTLE)
    kg, skos = BASE + "ontology#", "http://www.w3.org/2004/02/skos/core#"
    classes = {(r["c"].value, int(r["n"].value)) for r in void.query(
        f"PREFIX void: <{VOID}> SELECT ?c ?n {{ <{BASE}dataset> void:classPartition "
        "[ void:class ?c ; void:entities ?n ] }")}
    assert classes == {(kg + "State", 2), (kg + "Person", 1)}
    properties = {(r["p"].value, int(r["n"].value)) for r in void.query(
        f"PREFIX void: <{VOID}> SELECT ?p ?n {{ <{BASE}dataset> void:propertyPartition "
        "[ void:property ?p ; void:triples ?n ] }")}
    assert properties == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", 3), (skos + "exactMatch", 2),
        (skos + "prefLabel", 4), ("http://www.w3.org/ns/prov#wasDerivedFrom", 2),
        (kg + "dateSigned", 2), (kg + "party", 2), (skos + "note", 1)}
    # Every quad is in one property partition: they add up to the dataset's void:triples.
    assert sum(n for _, n in properties) == 16


def test_void_has_a_linkset_to_wikidata(client):
    void = graph(client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
                 ox.RdfFormat.TURTLE)
    assert ask(void, f"<{BASE}dataset> void:subset ?links . ?links a void:Linkset ;"
                     f" void:subjectsTarget <{BASE}dataset> ;"
                     " void:objectsTarget <https://www.wikidata.org/> ;"
                     " void:linkPredicate <http://www.w3.org/2004/02/skos/core#exactMatch> ;"
                     " void:triples 2")


@pytest.mark.parametrize("path", ["/dataset", "/dataset/claims", "/dataset/wikidata-links"])
def test_the_dataset_iri_resolves_to_the_void_description(client, path):
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.data == client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data
    assert ask(graph(r.data, ox.RdfFormat.TURTLE), f"<{BASE}{path[1:]}> ?p ?o")
    assert client.get("/dataset/other").status_code == 404
