"""SERVICE policy and SSRF: nothing is fetched unless allowlisted, and allowed calls are joined."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import pytest

from graph.wikidata import standin
from server import federation, service_plan
from tests.server.conftest import DATA, WIKIDATA, free_port

SKOS = "http://www.w3.org/2004/02/skos/core#"
LABEL_JOIN = f"""PREFIX skos: <{SKOS}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?state ?label WHERE {{
  ?state skos:exactMatch ?wd .
  SERVICE <{WIKIDATA}> {{ ?wd rdfs:label ?label }}
}} ORDER BY ?label"""


class Canary:
    """A loopback HTTP listener that records every request it gets (and can hang)."""

    def __init__(self, hang: float = 0.0) -> None:
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def handle_one_request(self) -> None:
                canary.hits.append(self.client_address[0])
                time.sleep(hang)
                super().handle_one_request()

            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.end_headers()
                self.wfile.write(b"<http://canary/s> <http://canary/p> <http://canary/o> .")

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gave up waiting (the timeout test) is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="module")
def wikidata_standin() -> Iterator[str]:
    """The project's Wikidata stand-in (Oxigraph on loopback) with a small Wikidata-like file."""
    with standin.start([DATA / "wikidata-mini.ttl"]) as server:
        yield server.url


# --- finding SERVICE calls before evaluation ------------------------------------------------

@pytest.mark.parametrize("query, endpoint", [
    ("SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", "http://a.example/sparql"),
    ("PREFIX e: <http://a.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
     "http://a.example/sparql"),
    ("BASE <http://a.example/x/> SELECT * { SERVICE <../sparql> { ?s ?p ?o } }",
     "http://a.example/sparql"),
    ("PREFIX : <http://a.example/> SELECT * { SERVICE:sparql{ ?s ?p ?o } }",
     "http://a.example/sparql"),
    ("select * { service <http://a.example/sparql> { ?s ?p ?o } }", "http://a.example/sparql"),
    ("SELECT * { ?s ?p \"SERVICE <http://no>\" . # SERVICE <http://no2>\n"
     " SERVICE <http://a.example/sparql> { ?s ?p ?o } }", "http://a.example/sparql"),
])
def test_service_endpoints_are_found_however_written(query, endpoint):
    with pytest.raises(service_plan.ServiceRefused) as refused:
        service_plan.plan(query, [])
    assert refused.value.status == 403
    assert f"<{endpoint}> is not allowed" in str(refused.value)
    assert service_plan.plan(query, [endpoint]).calls[0].endpoint == endpoint


def test_service_in_strings_comments_and_names_is_not_a_call():
    query = ('PREFIX service: <http://x/> SELECT ?service { ?s service:p "SERVICE <http://x>" }'
             " # SERVICE <http://y> { }")
    assert service_plan.plan(query, []).calls == ()


def test_service_hidden_behind_a_less_than_comparison_is_still_found():
    query = ("SELECT * { BIND(1 AS ?a) FILTER(?a<'>') SERVICE <http://evil.example/> "
             "{ ?s ?p ?o } FILTER('x' = \"'\") }")
    with pytest.raises(service_plan.ServiceRefused) as refused:
        service_plan.plan(query, [WIKIDATA])
    assert refused.value.status in (400, 403)


def test_nested_service_clauses_are_each_checked_and_the_outermost_replaced():
    query = (f"SELECT * {{ SERVICE <{WIKIDATA}> {{ SERVICE <http://evil.example/> {{ ?s ?p ?o }} }}"
             " }")
    with pytest.raises(service_plan.ServiceRefused) as refused:
        service_plan.plan(query, [WIKIDATA])
    assert refused.value.status == 403
    assert "<http://evil.example/> is not allowed" in str(refused.value)
    plan = service_plan.plan(query, [WIKIDATA, "http://evil.example/"])
    assert [c.endpoint for c in plan.calls] == [WIKIDATA]
    assert plan.calls[0].remote_query.endswith(
        "SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }")


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICESILENT<http://evil.example/>{ ?s ?p ?o } }",
    "PREFIX c: <http://evil.example/> SELECT * { SERVICEc:x{ ?s ?p ?o } }",
    'SELECT * { ?s ?p ?o FILTER(?o <#>""" ) } SERVICE <http://evil.example/> { ?s ?p ?o } """)}',
])
def test_glued_or_hidden_service_is_refused_not_passed_on(query):
    with pytest.raises(service_plan.ServiceRefused) as refused:
        service_plan.plan(query, [WIKIDATA])
    assert refused.value.status == 400
    assert str(refused.value).startswith("cannot check the SERVICE calls of this query")


def test_a_base_that_is_no_url_is_a_400_not_a_500():
    """Found by the HTTP fuzz: urljoin raised ValueError on an unclosed IPv6 bracket."""
    query = "BASE <http://[canary.invalid/x/> SELECT * { SERVICE <../sparql> { ?s ?p ?o } }"
    with pytest.raises(service_plan.ServiceRefused) as refused:
        service_plan.plan(query, [WIKIDATA])
    assert refused.value.status == 400
    assert str(refused.value) == (
        "cannot resolve <../sparql> against the base <http://[canary.invalid/x/>: "
        "Invalid IPv6 URL")


def test_escaped_service_keyword_is_found():
    query = "SELECT * { \\u0053ERVIC\\u0045 <http://evil.example/> { ?s ?p ?o } }"
    with pytest.raises(service_plan.ServiceRefused) as refused:
        service_plan.plan(query, [WIKIDATA])
    assert refused.value.status == 403
    assert "<http://evil.example/> is not allowed" in str(refused.value)


def test_escaped_escape_in_a_service_query_is_refused():
    query = "SELECT * { \\u005Cu0053ERVICE <http://evil.example/> { ?s ?p ?o } }"
    with pytest.raises(service_plan.ServiceRefused) as refused:
        service_plan.plan(query, [WIKIDATA])
    assert refused.value.status == 400
    assert "escaped codepoint escape" in str(refused.value)


def test_service_with_a_variable_endpoint_is_refused_403(client):
    r = client.get("/sparql", query_string={
        "query": "SELECT * { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }"})
    assert r.status_code == 403
    assert "SERVICE ?e" in r.get_data(as_text=True)


def _results(*bindings: dict) -> bytes:
    return json.dumps({"head": {"vars": ["a", "b"]},
                       "results": {"bindings": list(bindings)}}).encode()


def test_values_block_keeps_unbound_and_typed_terms():
    block = federation.values_group(_results(
        {"a": {"type": "uri", "value": "http://x/1"},
         "b": {"type": "literal", "value": "say \"hi\"", "xml:lang": "en"}},
        {"a": {"type": "literal", "value": "3",
               "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}))
    assert block == ('{ VALUES (?a ?b) { (<http://x/1> "say \\"hi\\""@en) '
                     '("3"^^<http://www.w3.org/2001/XMLSchema#integer> UNDEF) } }')


@pytest.mark.parametrize("bad", [
    {"type": "literal", "value": "x", "xml:lang": "en } SERVICE <http://evil.example/> {"},
    {"type": "uri", "value": "http://x/> } SERVICE <http://evil.example/> { <http://y/"},
    {"type": "literal", "value": "1", "datatype": "http://x/> . } SERVICE <http://e/> {"},
])
def test_remote_results_go_in_as_terms_never_as_text(bad):
    """An allowlisted endpoint cannot inject SPARQL through a term of its answer."""
    with pytest.raises(ValueError):
        federation.values_group(_results({"a": bad}))


def test_non_sparql_answer_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="not SPARQL JSON results"):
        federation.values_group(b"<http://canary/s> <http://canary/p> <http://canary/o> .")


# --- SSRF: nothing is fetched ---------------------------------------------------------------

def test_from_never_fetches_a_url(client, canary):
    r = client.get("/sparql", query_string={"query": f"SELECT * FROM <{canary.url}x> "
                                                     f"FROM NAMED <{canary.url}y> {{ ?s ?p ?o }}"})
    assert r.status_code == 200
    assert json.loads(r.data)["results"]["bindings"] == []
    assert canary.hits == []


def test_load_is_forbidden_and_never_fetches(client, canary):
    r = client.post("/sparql", data={"update": f"LOAD <{canary.url}x>"},
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 403
    r = client.post("/sparql", data=f"LOAD <{canary.url}x>".encode(),
                    content_type="application/sparql-update")
    assert r.status_code == 403
    r = client.get("/sparql", query_string={"query": f"LOAD <{canary.url}x>"})
    assert r.status_code == 400
    assert canary.hits == []


def test_service_to_an_endpoint_not_allowed_is_403_and_never_fetched(client, canary):
    r = client.get("/sparql", query_string={
        "query": f"SELECT * {{ SERVICE <{canary.url}sparql> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 403
    assert f"SERVICE <{canary.url}sparql> is not allowed" in r.get_data(as_text=True)
    assert "SERVICE_ALLOWLIST" in r.get_data(as_text=True)
    assert canary.hits == []


def test_service_silent_to_an_endpoint_not_allowed_is_skipped_unfetched(client, canary):
    q = (f"SELECT ?s WHERE {{ ?s a ?t OPTIONAL {{ SERVICE SILENT <{canary.url}sparql> "
         "{ ?s ?p ?o } } }")
    r = client.get("/sparql", query_string={"query": q})
    assert r.status_code == 200
    assert len(json.loads(r.data)["results"]["bindings"]) == 3
    assert r.headers["X-KG-Service-Skipped"] == f"{canary.url}sparql"
    assert canary.hits == []


# --- allowed SERVICE calls, through the endpoint map ---------------------------------------

@pytest.mark.wikidata
def test_allowed_service_is_called_through_the_map_and_joined(make_app, wikidata_standin):
    client = make_app(WORKERS=1, SERVICE_MAP={WIKIDATA: wikidata_standin}).test_client()
    r = client.get("/sparql", query_string={"query": LABEL_JOIN})
    assert r.status_code == 200, r.data
    rows = [(b["state"]["value"].rsplit("/", 1)[1], b["label"]["value"])
            for b in json.loads(r.data)["results"]["bindings"]]
    assert rows == [("azerbaijan", "Azerbaijan"), ("russia", "Russia")]


@pytest.mark.wikidata
def test_service_failure_is_502_and_silent_failure_is_ignored(make_app):
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    client = make_app(WORKERS=0, SERVICE_MAP={WIKIDATA: dead}).test_client()
    r = client.get("/sparql", query_string={"query": LABEL_JOIN})
    assert r.status_code == 502
    assert f"SERVICE <{WIKIDATA}> failed" in r.get_data(as_text=True)
    silent = LABEL_JOIN.replace("SERVICE", "OPTIONAL { SERVICE SILENT").replace(
        "?label }", "?label } }")
    r = client.get("/sparql", query_string={"query": silent})
    assert r.status_code == 200
    assert len(json.loads(r.data)["results"]["bindings"]) == 2


@pytest.mark.wikidata
def test_slow_service_is_cut_at_service_timeout():
    hanging = Canary(hang=5)
    try:
        plan = service_plan.plan(f"SELECT * {{ SERVICE SILENT <{WIKIDATA}> {{ ?s ?p ?o }} }}",
                                 [WIKIDATA])
        start = time.monotonic()
        query = federation.rewrite(plan, lambda calls: federation.fetch(
            calls, {WIKIDATA: hanging.url}, timeout=0.5, max_bytes=1000))
        assert time.monotonic() - start < 2
        assert query == "SELECT * { {}  }"
        assert hanging.hits
    finally:
        hanging.close()


def test_non_sparql_answer_from_an_allowed_endpoint_is_502(make_app, canary):
    client = make_app(WORKERS=1, SERVICE_MAP={WIKIDATA: canary.url}).test_client()
    r = client.get("/sparql", query_string={"query": LABEL_JOIN})
    assert r.status_code == 502
    text = r.get_data(as_text=True)
    assert text.startswith(f"SERVICE <{WIKIDATA}> failed: the answer is not SPARQL JSON results")
    assert len(text.strip().splitlines()) == 1
    assert len(canary.hits) == 1


def test_file_endpoint_in_the_map_is_502_never_read(make_app, tmp_path):
    client = make_app(WORKERS=0, SERVICE_MAP={WIKIDATA: (tmp_path / "x").as_uri()}).test_client()
    r = client.get("/sparql", query_string={"query": LABEL_JOIN})
    assert r.status_code == 502
    assert "is not an http(s) URL (SERVICE_MAP)" in r.get_data(as_text=True)


def test_oversized_remote_answer_is_502(make_app, wikidata_standin):
    client = make_app(WORKERS=0, SERVICE_MAP={WIKIDATA: wikidata_standin},
                      MAX_RESPONSE_BYTES=50).test_client()
    r = client.get("/sparql", query_string={"query": LABEL_JOIN})
    assert r.status_code == 502
    assert "larger than 50 bytes (MAX_RESPONSE_BYTES)" in r.get_data(as_text=True)


@pytest.mark.parametrize("endpoint, header", [
    ("http://例え.example/sparql", "http://%E4%BE%8B%E3%81%88.example/sparql"),
    ("http://x.example/a\\u00e9b", "http://x.example/a%C3%A9b"),
])
def test_skipped_service_header_is_encoded(client, endpoint, header):
    r = client.get("/sparql", query_string={
        "query": f"SELECT * {{ OPTIONAL {{ SERVICE SILENT <{endpoint}> {{ ?s ?p ?o }} }} }}"})
    assert r.status_code == 200
    assert r.headers["X-KG-Service-Skipped"] == header


def test_control_character_in_a_skipped_service_iri_is_400(client):
    r = client.get("/sparql", query_string={
        "query": "SELECT * { SERVICE SILENT <http://x.example/\\u000A> { ?s ?p ?o } }"})
    assert r.status_code == 400
    assert r.get_data(as_text=True).startswith(
        "cannot check the SERVICE calls of this query: the checker's SPARQL parser stops at "
        "line 1, column 12")


# --- failures in one line ----------------------------------------------------------------------

def test_a_failed_call_is_named_in_words_not_by_exception_class():
    reply = federation.fetch([federation.Request(WIKIDATA, "ASK {}")],
                             {WIKIDATA: "http://[::1/sparql"}, timeout=1.0, max_bytes=1000)[0]
    assert reply.failure == "the call to http://[::1/sparql failed: not a valid URL"


def test_a_long_or_multi_line_reason_is_one_short_line():
    plan = service_plan.plan(f"SELECT * {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}", [WIKIDATA])
    reason = "first line of a parser's message " + "x" * 300 + "\nsecond line\n  third"
    with pytest.raises(federation.ServiceFailed) as failed:
        federation.rewrite(plan, lambda calls: [federation.Reply(failure=reason)])
    message = failed.value.message
    assert "\n" not in message
    assert message == (f"SERVICE <{WIKIDATA}> failed: " + reason[:federation.MAX_REASON - 1]
                       + "…")
