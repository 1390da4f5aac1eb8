"""SPARQL 1.1 Protocol through the Flask test client: methods, formats, negotiation, errors."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from tests.server.conftest import BASE

SKOS = "http://www.w3.org/2004/02/skos/core#"
LABELS = f"SELECT ?s ?l WHERE {{ ?s <{SKOS}prefLabel> ?l }} ORDER BY ?s ?l"
CONSTRUCT = f"CONSTRUCT {{ ?s <{SKOS}prefLabel> ?l }} WHERE {{ ?s <{SKOS}prefLabel> ?l }}"
FORM = "application/x-www-form-urlencoded"
JSON_RESULTS = "application/sparql-results+json"


def labels(body: bytes) -> list[tuple[str, str]]:
    doc = json.loads(body)
    return [(b["s"]["value"], b["l"]["value"]) for b in doc["results"]["bindings"]]


EXPECTED_LABELS = [
    (f"{BASE}id/person/hikmet-hajiyev", "Hikmet Hajiyev"),
    (f"{BASE}id/state/azerbaijan", "Azerbaijan"),
    (f"{BASE}id/state/azerbaijan", "Азербайджан"),
    (f"{BASE}id/state/russia", "Russia"),
]


# --- the three ways to send a query ---------------------------------------------------------

def test_get_query_returns_sparql_json(client):
    r = client.get("/sparql", query_string={"query": LABELS})
    assert r.status_code == 200
    assert r.content_type == f"{JSON_RESULTS}; charset=utf-8"
    assert labels(r.data) == EXPECTED_LABELS
    assert json.loads(r.data)["head"]["vars"] == ["s", "l"]


def test_post_form_query_returns_sparql_json(client):
    r = client.post("/sparql", data={"query": LABELS}, content_type=FORM)
    assert r.status_code == 200
    assert labels(r.data) == EXPECTED_LABELS


def test_post_direct_query_returns_sparql_json(client):
    r = client.post("/sparql", data=LABELS.encode(), content_type="application/sparql-query")
    assert r.status_code == 200
    assert labels(r.data) == EXPECTED_LABELS


def test_post_direct_query_with_utf8_charset_is_accepted(client):
    r = client.post("/sparql", data=LABELS.encode(),
                    content_type="application/sparql-query; charset=UTF-8")
    assert r.status_code == 200


def test_head_request_has_no_body(client):
    r = client.head("/sparql", query_string={"query": "ASK {}"})
    assert r.status_code == 200
    assert r.data == b""


# --- result formats --------------------------------------------------------------------------

@pytest.mark.parametrize("accept, fmt, media", [
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON, JSON_RESULTS),
    ("application/json", ox.QueryResultsFormat.JSON, JSON_RESULTS),
])
def test_select_is_given_in_the_accepted_format(client, accept, fmt, media):
    r = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == media
    rows = [(row["s"].value, row["l"].value) for row in ox.parse_query_results(r.data, format=fmt)]
    assert rows == EXPECTED_LABELS


def test_select_as_csv(client):
    r = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    assert r.content_type == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8"))))
    assert rows[0] == ["s", "l"]
    assert [tuple(row) for row in rows[1:]] == EXPECTED_LABELS


def test_directional_literal_gives_its_direction(client):
    r = client.get("/sparql", query_string={"query": 'SELECT ("a"@ar--rtl AS ?x) {}'})
    assert r.status_code == 200
    binding = json.loads(r.data)["results"]["bindings"][0]["x"]
    assert binding == {"type": "literal", "value": "a", "xml:lang": "ar", "its:dir": "rtl"}


@pytest.mark.parametrize("query, expected", [
    ("ASK { ?s ?p ?o }", True),
    ("ASK { ?s <http://example.org/nothing> ?o }", False),
])
def test_ask_is_a_boolean_result(client, query, expected):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 200
    assert r.mimetype == JSON_RESULTS
    assert json.loads(r.data) == {"head": {}, "boolean": expected}
    xml = client.get("/sparql", query_string={"query": query, "format": "xml"})
    assert bool(ox.parse_query_results(xml.data, format=ox.QueryResultsFormat.XML)) is expected


CONSTRUCT_FORMATS = [
    ("text/turtle", "ttl", ox.RdfFormat.TURTLE),
    ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ("application/n-quads", "nq", ox.RdfFormat.N_QUADS),
    ("application/trig", "trig", ox.RdfFormat.TRIG),
    ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", "rdfxml", ox.RdfFormat.RDF_XML),
]


def triples(body: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(body, format=fmt)}


@pytest.mark.parametrize("media, key, fmt", CONSTRUCT_FORMATS)
def test_construct_is_given_in_the_accepted_rdf_format(client, media, key, fmt):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.mimetype == media
    got = triples(r.data, fmt)
    assert len(got) == 4
    assert (f"<{BASE}id/state/russia>", f"<{SKOS}prefLabel>", '"Russia"@en') in got
    by_param = client.get("/sparql", query_string={"query": CONSTRUCT, "format": key})
    assert by_param.mimetype == media
    assert triples(by_param.data, fmt) == got


def test_construct_defaults_to_turtle(client):
    r = client.get("/sparql", query_string={"query": CONSTRUCT})
    assert r.content_type == "text/turtle; charset=utf-8"


def test_describe_returns_the_resource_description(client):
    r = client.get("/sparql", query_string={"query": f"DESCRIBE <{BASE}id/state/russia>"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    got = triples(r.data, ox.RdfFormat.N_TRIPLES)
    assert {p for _s, p, _o in got} == {
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{SKOS}prefLabel>",
        f"<{SKOS}exactMatch>"}


# --- content negotiation ---------------------------------------------------------------------

@pytest.mark.parametrize("accept, media", [
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+xml;q=0.2, text/csv;q=0.9", "text/csv"),
    ("text/*", "text/csv"),
    ("*/*", JSON_RESULTS),
    ("text/csv, */*", "text/csv"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
     "application/sparql-results+xml"),
    ("", JSON_RESULTS),
])
def test_accept_q_values_and_wildcards_choose_the_format(client, accept, media):
    r = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1"},
                   headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == media


def test_format_parameter_overrides_accept(client):
    r = client.get("/sparql", query_string={"query": LABELS, "format": "tsv"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.mimetype == "text/tab-separated-values"


def test_unacceptable_media_type_is_406(client):
    r = client.get("/sparql", query_string={"query": LABELS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.get_data(as_text=True)


def test_zero_q_excludes_a_format_406(client):
    r = client.get("/sparql", query_string={"query": LABELS},
                   headers={"Accept": "application/sparql-results+json;q=0, text/html"})
    assert r.status_code == 406


def test_construct_with_only_results_formats_accepted_is_406(client):
    r = client.get("/sparql", query_string={"query": CONSTRUCT},
                   headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 406
    assert "text/turtle" in r.get_data(as_text=True)


def test_unknown_format_parameter_is_400(client):
    r = client.get("/sparql", query_string={"query": LABELS, "format": "yaml"})
    assert r.status_code == 400
    assert "format='yaml'" in r.get_data(as_text=True)


# --- errors ----------------------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parser_message(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p "})
    assert r.status_code == 400
    assert r.content_type == "text/plain; charset=utf-8"
    # The parser's expected tokens, without its character classes (hundreds of ranges).
    assert r.get_data(as_text=True) == (
        'query syntax error at line 1, column 25: expected one of "$", "\'", "\'\'\'", "(", '
        '"+", "-", ".", ":", "<", "<<", "<<(", "?", "[", "\\"", "\\"\\"\\"", "_:", "false", '
        '"true", FILTER, SELECT, VALUES (or another character)')


@pytest.mark.parametrize("query, line, column", [
    ("SELECT * WHERE { ?s foo:bar ?o }", 1, 21),
    ("SELECT * WHERE {\n  ?s ?p \"ж\" .\n  ?s foo: ?o }", 3, 6),
    ("SELECT * WHERE { ?s ?p ?o FILTER(foo:f(?o)) }", 1, 34),
    ("PREFIX bar: <http://x/> SELECT * WHERE { ?s bar:x ?o ; foo:y ?z }", 1, 56),
])
def test_an_undeclared_prefix_is_named_with_its_place(client, query, line, column):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400
    assert r.get_data(as_text=True) == (
        f"query syntax error: undeclared prefix 'foo:' at line {line}, column {column}; declare "
        "it with PREFIX foo: <...> (predeclared here: kg, p, pq, ps, rdfs, schema, skos, wd, "
        "wdt, wikibase)")


def test_an_open_iri_is_no_undeclared_prefix(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s <http://x ?o }"})
    assert r.get_data(as_text=True) == (
        'query syntax error at line 1, column 35: expected one of ">" (or another character)')


def test_two_query_parameters_are_400(client):
    r = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400
    assert "'query' parameter is given 2 times" in r.get_data(as_text=True)


def test_missing_query_with_other_parameters_is_400(client):
    r = client.get("/sparql", query_string={"default-graph-uri": "http://example.org/g"})
    assert r.status_code == 400
    assert "missing the 'query' parameter" in r.get_data(as_text=True)


def test_post_form_without_query_is_400(client):
    r = client.post("/sparql", data={"foo": "bar"}, content_type=FORM)
    assert r.status_code == 400


def test_relative_default_graph_uri_is_400(client):
    r = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert r.status_code == 400
    assert "default-graph-uri" in r.get_data(as_text=True)


def test_post_update_is_forbidden_403(client):
    r = client.post("/sparql", data=b"INSERT DATA { <a:s> <a:p> <a:o> }",
                    content_type="application/sparql-update")
    assert r.status_code == 403
    assert "read-only" in r.get_data(as_text=True)


def test_form_update_parameter_is_forbidden_403(client):
    r = client.post("/sparql", data={"update": "CLEAR ALL"}, content_type=FORM)
    assert r.status_code == 403


def test_get_update_parameter_is_forbidden_403(client):
    r = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert r.status_code == 403


def test_query_and_update_together_are_forbidden_403(client):
    r = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}, content_type=FORM)
    assert r.status_code == 403


def test_load_is_an_update_and_forbidden_403(client):
    r = client.post("/sparql", data={"update": "LOAD <http://example.org/x>"}, content_type=FORM)
    assert r.status_code == 403


def test_update_sent_as_query_is_a_syntax_error_400(client):
    r = client.get("/sparql", query_string={"query": "CLEAR ALL"})
    assert r.status_code == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client, method):
    r = client.open("/sparql", method=method, query_string={"query": "ASK {}"})
    assert r.status_code == 405
    assert "POST" in r.headers["Allow"]


def test_too_large_query_is_413(client, app):
    limit = app.config["KG"]["MAX_QUERY_BYTES"]
    query = "ASK {} #" + "x" * limit
    r = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    assert r.status_code == 413
    assert "MAX_QUERY_BYTES" in r.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": query}).status_code == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_post_with_another_body_type_is_415(client, content_type):
    r = client.post("/sparql", data=b"ASK {}", content_type=content_type)
    assert r.status_code == 415


def test_post_direct_in_utf16_is_415(client):
    r = client.post("/sparql", data="ASK {}".encode("utf-16"),
                    content_type="application/sparql-query; charset=UTF-16")
    assert r.status_code == 415


def test_too_many_rows_are_refused_naming_max_rows(make_app):
    client = make_app(MAX_ROWS=3, WORKERS=0).test_client()
    r = client.get("/sparql", query_string={"query": LABELS})
    assert r.status_code == 400
    assert "more than 3 rows" in r.get_data(as_text=True)
    assert "MAX_ROWS" in r.get_data(as_text=True)
    ok = client.get("/sparql", query_string={"query": LABELS + " LIMIT 3"})
    assert ok.status_code == 200
    construct = client.get("/sparql", query_string={"query": CONSTRUCT})
    assert construct.status_code == 400
    assert "more than 3 triples" in construct.get_data(as_text=True)


# --- CORS ------------------------------------------------------------------------------------

def test_responses_allow_any_origin(client):
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "http://x"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    err = client.get("/sparql", query_string={"query": "ASK {"})
    assert err.headers["Access-Control-Allow-Origin"] == "*"


def test_options_preflight_allows_post_with_content_type(client):
    r = client.options("/sparql", headers={
        "Origin": "http://x", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert r.headers["Access-Control-Allow-Headers"] == "content-type"


def test_select_star_columns_follow_the_query(client):
    r = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1",
                                            "format": "csv"})
    assert r.data.decode().splitlines()[0] == "s,p,o"


def test_sparqlwrapper_style_repeated_format_values_are_accepted(client):
    r = client.get("/sparql?format=tsv&format=text/tab-separated-values&query=ASK%7B%7D")
    assert r.status_code == 200
    assert r.mimetype == "text/tab-separated-values"
