"""KG_STORE: the front end over a real Oxigraph server (started here, loaded by `kg load
--store`) answers as it does over the embedded store: query forms and formats, pages, search,
SERVICE policy, limits; an unreachable or slow store is a 502/503 naming it, never a 500."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask

from cli import kg as cli
from cli import serve as serve_cli
from graph import examples as ex
from graph import settings as settings_mod
from graph.wikidata.standin import free_port
from server import create_app
from server.remote_store import RemoteStore, with_values
from tests.conftest import BASE, ROOT
from tests.remote import oxigraph_serve

EXAMPLES = [e for e in ex.examples(ROOT / "queries") if not e.needs_wikidata]
HAJIYEV = BASE + "id/person/hikmet-hajiyev"
SELECT = ("SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label LIMIT 20")
CONSTRUCT = (f"CONSTRUCT {{ <{HAJIYEV}> ?p ?o }} WHERE {{ <{HAJIYEV}> ?p ?o }}")
ASK = f"ASK {{ <{HAJIYEV}> ?p ?o }}"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory, built_nq: Path) -> Iterator[str]:
    """An Oxigraph server holding the build, loaded by `kg load --store`."""
    folder = tmp_path_factory.mktemp("oxigraph")
    with oxigraph_serve(folder / "db", folder / "oxigraph.log") as url:
        result = CliRunner().invoke(cli, ["load", "--store", url, "--data", str(built_nq)])
        assert result.exit_code == 0, result.output
        yield url


def _settings(built_nq: Path, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"DATA": str(built_nq), "UNION_DEFAULT_GRAPH": True, "WORKERS": 0,
                              "BUILD_DIR": str(built_nq.parent),
                              "ONTOLOGY_DIR": str(ROOT / "ontology"),
                              "QUERIES_DIR": str(ROOT / "queries"), "MAX_ROWS": 1000}
    values.update(overrides)
    return settings_mod.load_checked(environ={}, **values)


@pytest.fixture(scope="module")
def remote(store_url: str, built_nq: Path) -> Flask:
    return create_app(_settings(built_nq, STORE=store_url), TESTING=True)


@pytest.fixture(scope="module")
def embedded(built_nq: Path) -> Flask:
    return create_app(_settings(built_nq), TESTING=True)


def _same(remote: Flask, embedded: Flask, url: str, **kwargs: Any) -> Any:
    """GET ``url`` from both; assert the same status, type and body; the remote answer."""
    ours = remote.test_client().get(url, **kwargs)
    theirs = embedded.test_client().get(url, **kwargs)
    assert (ours.status_code, ours.content_type) == (theirs.status_code, theirs.content_type)
    # Pages link assets by the server's version, which says whether a remote store answers.
    versions = [app.config["KG_VERSION"][:16].encode() for app in (remote, embedded)]
    assert ours.data.replace(versions[0], b"V") == theirs.data.replace(versions[1], b"V"), url
    return ours


# -- kg load --------------------------------------------------------------------------------

def test_kg_load_puts_every_quad_in_its_named_graph(store_url: str, built_nq: Path) -> None:
    store = RemoteStore(store_url + "/query", 10.0, 10_000_000)
    quads = list(ox.parse(path=str(built_nq), format=ox.RdfFormat.N_QUADS))
    assert len(store) == len(quads)
    assert sorted(map(str, store)) == sorted(map(str, quads))


def test_kg_load_falls_back_to_one_put_per_graph(tmp_path: Path) -> None:
    trig = ROOT / "tests" / "data" / "site.trig"  # TriG: not one N-Quads body
    with oxigraph_serve(None, tmp_path / "oxigraph.log") as url:
        result = CliRunner().invoke(cli, ["load", "--store", url, "--data", str(trig)])
        assert result.exit_code == 0, result.output
        stored = set(map(str, RemoteStore(url + "/query", 10.0, 10_000_000)))
    embedded = ox.Store()  # which, like the server, normalises e.g. integer datatypes
    embedded.load(path=str(trig), format=ox.RdfFormat.TRIG)
    named = {str(q) for q in embedded if isinstance(q.graph_name, ox.NamedNode)}
    assert stored == named
    assert f"graphs, one request each): {len(named)} quads in named graphs" in result.output


def test_kg_load_names_an_unreachable_store(built_nq: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["load", "--store", url, "--data", str(built_nq)])
    assert result.exit_code == 2
    assert result.output == f"error: {url}/store is unreachable: ConnectionError\n"


def test_kg_load_names_the_status_a_store_refuses_with(store_url: str, built_nq: Path) -> None:
    result = CliRunner().invoke(cli, ["load", "--store", store_url, "--data", str(built_nq)],
                                env={"KG_STORE_DATA_PATH": "/nothing-here"})
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {store_url}/nothing-here answered HTTP 404")


def test_kg_load_names_a_file_that_does_not_parse(store_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", "--store", store_url, "--data", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {bad}: ")
    assert result.output.count("\n") == 1


def test_kg_serve_start_line_names_a_store_it_cannot_reach(built_nq: Path) -> None:
    store = f"http://127.0.0.1:{free_port()}"
    app = create_app(_settings(built_nq, STORE=store), TESTING=True)
    settings = app.config["KG"]
    assert serve_cli._size(app.extensions["kg"], settings) == \
        f"quads in KG_STORE={store}, not reachable now"


def test_kg_load_needs_a_store() -> None:
    result = CliRunner().invoke(cli, ["load"])
    assert result.exit_code == 2
    assert "no store: give --store URL or set KG_STORE" in result.output


# -- the same answers -----------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_example_answers_as_expected_from_the_store(remote: Flask, embedded: Flask,
                                                          example: ex.Example) -> None:
    assert ex.answer_finding(remote.extensions["kg"].store, example) is None
    ours = _same(remote, embedded, "/sparql", query_string={"query": example.text},
                 headers={"Accept": "text/tab-separated-values"})
    assert ours.data.decode("utf-8") == example.expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("query", [SELECT, CONSTRUCT, ASK, "SELECT * WHERE { ?s ?p ?o } "
                                   "ORDER BY ?s ?p ?o LIMIT 5"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"])
def test_query_forms_in_each_format_as_the_embedded_store(remote: Flask, embedded: Flask,
                                                          query: str, fmt: str) -> None:
    args = {"query_string": {"query": query, "format": fmt}}
    ours, theirs = (app.test_client().get("/sparql", **args) for app in (remote, embedded))
    # For a graph json is JSON-LD, xml RDF/XML; a format of the other kind is refused.
    fits = fmt in (("json", "xml", "ttl", "nt", "jsonld") if query == CONSTRUCT else
                   ("json", "xml", "csv", "tsv"))
    assert (ours.status_code, ours.content_type) == (200 if fits else 400, theirs.content_type)
    if query != CONSTRUCT or not fits:  # solutions in the order ORDER BY gives; a refusal
        assert ours.data == theirs.data
        return
    # A graph is a set: each engine writes its triples in an order of its own.
    rdf = ox.RdfFormat.from_media_type(ours.content_type.split(";")[0])
    assert rdf is not None
    triples = [sorted(map(str, ox.parse(r.data, format=rdf))) for r in (ours, theirs)]
    assert triples[0] == triples[1] != []


@pytest.mark.parametrize("url", ["/", "/id/person/hikmet-hajiyev",
                                 "/id/person/hikmet-hajiyev.ttl", "/id/person/hikmet-hajiyev.nq",
                                 "/graph/entities.nt", "/search?q=hajiyev", "/sparql",
                                 "/.well-known/void", "/dump.nq", "/query", "/nowhere"])
def test_pages_as_from_the_embedded_store(remote: Flask, embedded: Flask, url: str) -> None:
    _same(remote, embedded, url)


def test_a_substituted_term_is_a_value_never_query_text(remote: Flask) -> None:
    store = remote.extensions["kg"].store
    hostile = ox.Literal('x" } } ; DROP ALL ; SELECT * { ?a ?b "\n>#', language="en")
    query = "SELECT ?v ?n WHERE { BIND(STRLEN(?v) AS ?n) }"
    rows = list(store.query(query, substitutions={ox.Variable("v"): hostile}))
    assert [(r["v"], r["n"].value) for r in rows] == [(hostile, str(len(hostile.value)))]
    embedded = ox.Store().query(query, substitutions={ox.Variable("v"): hostile})
    assert [(r["v"], r["n"]) for r in embedded] == [(r["v"], r["n"]) for r in rows]
    with pytest.raises(ValueError, match="Invalid IRI"):  # an IRI cannot hold what ends one
        ox.NamedNode("https://example.org/a> } DROP ALL")
    with pytest.raises(TypeError, match="blank node"):
        with_values("SELECT ?b {}", {ox.Variable("b"): ox.BlankNode("b1")})


# -- SERVICE, limits, errors ----------------------------------------------------------------

def test_no_service_clause_ever_reaches_the_store(remote: Flask, embedded: Flask,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    store = remote.extensions["kg"].store
    post = store._post
    monkeypatch.setattr(store, "_post", lambda text, *a: sent.append(text) or post(text, *a))
    refused = _same(remote, embedded, "/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <https://evil.example/sparql> { ?s ?p ?o } }"})
    assert refused.status_code == 403
    skipped = _same(remote, embedded, "/sparql", query_string={
        "query": "SELECT ?s WHERE { SERVICE SILENT <https://evil.example/sparql> { ?s ?p ?o } "
                 f"BIND(<{HAJIYEV}> AS ?s) }}", "format": "json"})
    assert skipped.status_code == 200
    assert skipped.headers["X-KG-Service-Skipped"] == "https://evil.example/sparql"
    assert sent and not any("SERVICE" in text.upper() for text in sent)


def test_an_update_is_refused_and_never_sent(remote: Flask,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    store = remote.extensions["kg"].store
    monkeypatch.setattr(store, "_post", lambda text, *a: sent.append(text))
    r = remote.test_client().post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403
    assert sent == []


def test_max_rows_holds_for_the_store(store_url: str, built_nq: Path) -> None:
    app = create_app(_settings(built_nq, STORE=store_url, MAX_ROWS=5), TESTING=True)
    r = app.test_client().get("/sparql", query_string={"query": SELECT})
    assert r.status_code == 400
    assert "more than 5 rows" in r.text and "MAX_ROWS" in r.text


def test_an_answer_too_large_to_read_is_refused(store_url: str, built_nq: Path) -> None:
    app = create_app(_settings(built_nq, STORE=store_url, MAX_RESPONSE_BYTES=500), TESTING=True)
    r = app.test_client().get("/sparql", query_string={"query": SELECT})  # 20 rows: > 2000 B
    assert r.status_code == 400
    assert r.text == (f"the answer of the store KG_STORE={store_url}/query is larger than 2000 "
                      "bytes (4 × MAX_RESPONSE_BYTES, read); select fewer or shorter values, or "
                      "add LIMIT")


def test_an_answer_read_but_too_large_to_send_is_refused(remote: Flask, store_url: str,
                                                         built_nq: Path) -> None:
    size = len(remote.test_client().get("/sparql", query_string={"query": SELECT,
                                                                 "format": "tsv"}).data)
    app = create_app(_settings(built_nq, STORE=store_url, MAX_RESPONSE_BYTES=size - 1),
                     TESTING=True)
    r = app.test_client().get("/sparql", query_string={"query": SELECT, "format": "tsv"})
    assert r.status_code == 400
    assert r.text.startswith(f"the result is larger than {size - 1} bytes, the limit of this "
                             "endpoint (MAX_RESPONSE_BYTES)")


def test_a_syntax_error_is_the_clients_400(remote: Flask) -> None:
    r = remote.test_client().get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s"})
    assert r.status_code == 400
    assert f"the store KG_STORE={remote.config['KG']['STORE']}/query refused the query" in r.text


class _Fake(BaseHTTPRequestHandler):
    """A SPARQL endpoint answering every query with ``reply``: (seconds before the headers,
    status, content type, body chunks, seconds between chunks)."""

    reply: tuple[float, int, str, list[bytes], float]
    cut: list[bool]  # whether the client went away before the whole answer was sent

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        wait, status, content_type, chunks, pause = self.reply
        time.sleep(wait)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(sum(map(len, chunks))))
            self.end_headers()
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: as it should
            self.cut.append(True)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_store() -> Iterator[type[_Fake]]:
    """A fake store's handler class: set its ``reply``; its URL is ``handler.url``."""
    handler = type("Handler", (_Fake,), {"cut": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler
    server.shutdown()
    server.server_close()


EMPTY = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
JSON = "application/sparql-results+json"


@pytest.mark.parametrize("reply", [
    (1.0, 200, JSON, [EMPTY], 0.0),  # slow to answer
    (0.0, 200, JSON, [b" "] * 60 + [EMPTY], 0.05),  # quick, but drips its answer for 3 s
])
def test_a_store_slower_than_query_timeout_is_503(fake_store: Any, built_nq: Path,
                                                  reply: tuple) -> None:
    fake_store.reply = reply
    app = create_app(_settings(built_nq, STORE=fake_store.url, QUERY_TIMEOUT=0.3), TESTING=True)
    r = app.test_client().get("/sparql", query_string={"query": "SELECT * {}"})
    assert r.status_code == 503
    assert r.text == (f"the query took longer than QUERY_TIMEOUT (0.3 s) at the store "
                      f"KG_STORE={fake_store.url}/query; narrow the query or add LIMIT")
    if reply[4]:  # the server stopped reading long before the end, not after it
        time.sleep(0.2)
        assert fake_store.cut == [True]


@pytest.mark.parametrize(("reply", "message"), [
    ((0.0, 500, "text/plain", [b"oops"], 0.0), "answered HTTP 500"),
    ((0.0, 200, JSON, [b'{"head": '], 0.0),
     "sent an answer that does not parse (application/sparql-results+json): "),
])
def test_a_store_that_fails_is_502_naming_it(fake_store: Any, built_nq: Path, reply: tuple,
                                             message: str) -> None:
    fake_store.reply = reply
    app = create_app(_settings(built_nq, STORE=fake_store.url), TESTING=True)
    for url in ("/sparql?query=SELECT%20*%20%7B%7D", "/id/person/hikmet-hajiyev"):
        r = app.test_client().get(url)
        assert r.status_code == 502
        assert r.text.startswith(f"the store KG_STORE={fake_store.url}/query {message}")


@pytest.mark.parametrize("url", ["/sparql?query=ASK%20%7B%7D", "/id/person/hikmet-hajiyev",
                                 "/", "/.well-known/void"])
def test_an_unreachable_store_is_502_naming_it(built_nq: Path, url: str) -> None:
    store = f"http://127.0.0.1:{free_port()}"
    app = create_app(_settings(built_nq, STORE=store), TESTING=True)
    r = app.test_client().get(url)
    assert r.status_code == 502
    # A page's refusal ends with a newline; the endpoint's answer is the message as it is.
    assert r.text.rstrip("\n") == f"the store KG_STORE={store}/query is unreachable: " \
                                  "ConnectionError"


# -- settings -------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "message"), [
    ({"STORE": "ftp://host"}, "KG_STORE='ftp://host': expected an http(s) URL"),
    ({"STORE": "http://host", "WRITABLE": True, "DATA": "x.nq"},
     "KG_WRITABLE cannot be used with KG_STORE"),
    ({"STORE": "http://host", "UNION_DEFAULT_GRAPH": False},
     "KG_UNION_DEFAULT_GRAPH=false cannot be used with KG_STORE"),
    ({"STORE": "http://host", "STORE_QUERY_PATH": "query"},
     "KG_STORE_QUERY_PATH='query': expected a path starting with /"),
])
def test_settings_refuse_a_store_they_cannot_use(values: dict[str, Any], message: str) -> None:
    with pytest.raises(settings_mod.SettingError, match="^" + message.replace("(", r"\(")
                       .replace(")", r"\)")):
        settings_mod.load_checked(environ={}, **values)


def test_a_store_runs_queries_itself_not_in_workers() -> None:
    values = settings_mod.load_checked(environ={}, STORE="http://host:7878", WORKERS=4)
    assert (values["WORKERS"], values["UNION_DEFAULT_GRAPH"]) == (0, True)
