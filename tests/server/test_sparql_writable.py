"""Writable scratch mode (WRITABLE, `kg serve --writable --data FILE`): SPARQL Update at /sparql.

Read-only stays the default (see test_sparql_protocol.py); LOAD and SERVICE never fetch anything,
and the --data file is never written.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from cli import kg
from graph.settings import SettingError
from server import update
from server.protocol import ProtocolError
from tests.server.conftest import BASE, MINI, TEST_CONFIG
from tests.server.test_sparql_federation import Canary

FORM = "application/x-www-form-urlencoded"
UPDATE = "application/sparql-update"
EX = "http://example.org/"
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A scratch copy of the test data."""
    path = tmp_path / "scratch.trig"
    shutil.copy(MINI, path)
    return path


@pytest.fixture
def writable(make_app: Callable[..., Flask], scratch: Path) -> Flask:
    return make_app(DATA=str(scratch), WRITABLE=True, UNION_DEFAULT_GRAPH=False)


@pytest.fixture
def wclient(writable: Flask) -> FlaskClient:
    return writable.test_client()


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


def ask(client: FlaskClient, query: str) -> bool:
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 200, r.get_data(as_text=True)
    return json.loads(r.data)["boolean"]


def post_update(client: FlaskClient, text: str, direct: bool = False, url: str = "/sparql"):
    if direct:
        return client.post(url, data=text.encode(), content_type=UPDATE)
    return client.post(url, data={"update": text}, content_type=FORM)


# --- the default stays read-only -------------------------------------------------------------

def test_default_server_refuses_updates_and_does_not_advertise_them(client):
    assert post_update(client, f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }}").status_code == 403
    assert post_update(client, "CLEAR ALL", direct=True).status_code == 403
    sd = client.get("/sparql", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    assert f"<{SD}SPARQL11Query>" in sd
    assert f"<{SD}SPARQL11Update>" not in sd


def test_writable_needs_a_data_file(make_app):
    with pytest.raises(SettingError, match="KG_WRITABLE needs KG_DATA"):
        make_app(DATA="", WRITABLE=True)


# --- updates and queries see the same store --------------------------------------------------

def test_writable_runs_in_process_and_advertises_update(writable, wclient):
    assert TEST_CONFIG["WORKERS"] > 0
    assert writable.config["KG"]["WORKERS"] == 0
    assert "kg_workers" not in writable.extensions
    sd = wclient.get("/sparql", headers={"Accept": "application/n-triples"})
    assert f"<{SD}SPARQL11Update>" in sd.get_data(as_text=True)


@pytest.mark.parametrize("direct", [False, True])
def test_insert_then_select_then_delete(wclient, direct):
    triple = f"<{EX}s> <{EX}p> \"o\""
    r = post_update(wclient, f"INSERT DATA {{ GRAPH <{EX}g> {{ {triple} }} }}", direct)
    assert r.status_code == 204
    assert r.data == b""
    query = f"SELECT ?o {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}"
    r = wclient.get("/sparql", query_string={"query": query})
    assert [b["o"]["value"] for b in json.loads(r.data)["results"]["bindings"]] == ["o"]
    assert post_update(wclient, f"DELETE DATA {{ GRAPH <{EX}g> {{ {triple} }} }}",
                       direct).status_code == 204
    assert not ask(wclient, f"ASK {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}")


def test_delete_insert_where_and_relative_iris_use_the_endpoint_as_base(wclient):
    assert post_update(wclient, f"INSERT DATA {{ <{EX}a> <{EX}p> <rel> }}").status_code == 204
    assert ask(wclient, f"ASK {{ <{EX}a> <{EX}p> <http://localhost/rel> }}")
    r = post_update(wclient, f"DELETE {{ ?s <{EX}p> ?o }} INSERT {{ ?s <{EX}q> ?o }} "
                             f"WHERE {{ ?s <{EX}p> ?o }}")
    assert r.status_code == 204
    assert ask(wclient, f"ASK {{ <{EX}a> <{EX}q> ?o FILTER NOT EXISTS {{ ?x <{EX}p> ?y }} }}")


def test_counts_follow_the_updates(wclient):
    def quads() -> int:
        body = wclient.get("/.well-known/void", headers={"Accept": "application/n-triples"}).data
        return next(int(t.object.value) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                    if t.subject.value == f"{BASE}dataset"
                    and t.predicate.value == "http://rdfs.org/ns/void#triples")

    before = quads()
    assert post_update(wclient, f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }}").status_code == 204
    assert quads() == before + 1


def test_using_graph_uri_sets_the_dataset_of_the_where_clause(wclient):
    graphs = " ".join(f"GRAPH <{EX}g{i}> {{ <{EX}d{i}> a <{EX}Doc> }}" for i in (1, 2, 3))
    load = f"INSERT DATA {{ {graphs} }}"
    assert post_update(wclient, load).status_code == 204
    insert = (f"INSERT {{ GRAPH <{EX}out> {{ ?s <{EX}in> ?in }} }} WHERE {{ "
              f"{{ GRAPH ?g {{ ?s a <{EX}Doc> }} BIND(?g AS ?in) }} UNION "
              f"{{ ?s a <{EX}Doc> BIND(\"default\" AS ?in) }} }}")
    url = f"/sparql?using-graph-uri={EX}g1&using-named-graph-uri={EX}g2"
    assert post_update(wclient, insert, direct=True, url=url).status_code == 204
    r = wclient.get("/sparql", query_string={
        "query": f"SELECT ?s ?in {{ GRAPH <{EX}out> {{ ?s <{EX}in> ?in }} }} ORDER BY ?s"})
    rows = [(b["s"]["value"], b["in"]["value"]) for b in json.loads(r.data)["results"]["bindings"]]
    assert rows == [(f"{EX}d1", "default"), (f"{EX}d2", f"{EX}g2")]


def test_dataset_rewrite_adds_using_to_every_where_clause():
    text = "INSERT DATA { <a:x> <a:y> 1 } ; DELETE WHERE { ?s ?p ?o } ; INSERT { ?s ?p 2 } WHERE " \
           "{ { SELECT ?s ?p WHERE { ?s ?p ?o } } }"
    out = update.with_dataset(text, ["http://g/1"], ["http://g/2"])
    using = "USING <http://g/1> USING NAMED <http://g/2> "
    assert out == ("INSERT DATA { <a:x> <a:y> 1 } ; DELETE { ?s ?p ?o } " + using +
                   "WHERE { ?s ?p ?o } ; INSERT { ?s ?p 2 } " + using +
                   "WHERE { { SELECT ?s ?p WHERE { ?s ?p ?o } } }")
    assert update.with_dataset(text, [], []) == text


# --- protocol errors -------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "head"])
def test_update_by_get_is_400(wclient, method):
    r = getattr(wclient, method)("/sparql", query_string={"update": "CLEAR ALL"})
    assert r.status_code == 400
    if method == "get":
        assert "must be sent with POST" in r.get_data(as_text=True)


@pytest.mark.parametrize("kwargs, message", [
    ({"data": "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "content_type": FORM},
     "'update' parameter is given 2 times"),
    ({"data": {"query": "ASK {}", "update": "CLEAR ALL"}, "content_type": FORM},
     "either 'query' or 'update'"),
    ({"data": b"CLEAR ALL", "content_type": UPDATE, "query_string": {"update": "CLEAR ALL"}},
     "in the body"),
    ({"data": {"update": "CLEAR ALL", "default-graph-uri": EX}, "content_type": FORM},
     "using-graph-uri"),
    ({"data": {"update": "CLEAR ALL", "using-graph-uri": "not an iri"}, "content_type": FORM},
     "not an absolute IRI"),
    ({"data": {"update": "CLEAR XYZ"}, "content_type": FORM},
     "update syntax error at line 1, column 10: expected one of ALL"),
    ({"data": {"update": f"DROP GRAPH <{EX}missing>"}, "content_type": FORM}, "does not exist"),
    ({"data": f"WITH <{EX}g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}".encode(),
      "content_type": UPDATE, "query_string": {"using-named-graph-uri": EX}},
     "its own WITH clause"),
])
def test_bad_update_requests_are_400(wclient, kwargs, message):
    r = wclient.post("/sparql", **kwargs)
    assert r.status_code == 400
    assert message in r.get_data(as_text=True)


@pytest.mark.parametrize("content_type", [
    "text/plain", None, "application/sparql-update; charset=UTF-16"])
def test_update_with_another_body_type_or_charset_is_415(wclient, content_type):
    assert wclient.post("/sparql", data=b"CLEAR ALL", content_type=content_type).status_code == 415


def test_a_failed_update_changes_nothing(wclient):
    r = post_update(wclient, f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }} ; DROP GRAPH <{EX}missing>")
    assert r.status_code == 400
    assert not ask(wclient, f"ASK {{ <{EX}s> ?p ?o }}")


# --- nothing is ever fetched -----------------------------------------------------------------

LOADS = [
    "LOAD <{url}x>",
    "load silent <{url}x> into graph <http://example.org/g>",
    "LOADSILENT<{url}x>",
    "PREFIX ex: <{url}> LOADex:x",
    "PREFIX : <{url}> LOAD:x",
    "INSERT DATA {{ <a:s> <a:p> 1 }};LOAD<{url}x>",
    # '<' as less-than makes the tokenizer read an IRI and a string that hides LOAD
    "DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?o <'x>' ) }} ; LOAD <{url}x> ; "
    "INSERT DATA {{ <a:s> <a:p> 'y' }}",
]


@pytest.mark.parametrize("text", LOADS)
def test_load_is_refused_403_and_never_fetches(wclient, canary, text):
    for direct in (False, True):
        r = post_update(wclient, text.format(url=canary.url), direct)
        # Glued forms (LOADSILENT<x>) do not parse for the checker: refused all the same.
        assert r.status_code == (400 if "LOADSILENT" in text or "LOADex" in text else 403)
        assert "LOAD" in r.get_data(as_text=True)
    assert canary.hits == []
    assert not ask(wclient, "ASK { <a:s> ?p ?o }")


@pytest.mark.parametrize("text", [
    "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
    "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{url}sparql> {{ ?s ?p ?o }} }}",
    "DELETE WHERE {{ ?s ?p ?o }} ; INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE?x {{ ?s ?p ?o }} }}",
])
def test_service_in_an_update_is_refused_403_and_never_fetched(wclient, canary, text):
    r = post_update(wclient, text.format(url=canary.url))
    assert r.status_code == 403
    assert "SERVICE" in r.get_data(as_text=True)
    assert canary.hits == []


def test_rejects_load_hidden_behind_the_protocol_dataset():
    with pytest.raises(ProtocolError) as refused:
        update.check(update.with_dataset("CLEAR ALL ; LOAD <http://x/>", ["http://g/"], []))
    assert refused.value.status == 403


# --- the file is never written -----------------------------------------------------------------

def test_the_data_file_is_unchanged_after_updates(wclient, scratch):
    before, mtime = scratch.read_bytes(), scratch.stat().st_mtime_ns
    assert post_update(wclient, f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }}").status_code == 204
    assert post_update(wclient, "DROP ALL", direct=True).status_code == 204
    assert not ask(wclient, "ASK { GRAPH ?g { ?s ?p ?o } }")
    assert scratch.read_bytes() == before
    assert scratch.stat().st_mtime_ns == mtime
    assert MINI.read_bytes() == before


# --- kg serve --writable -----------------------------------------------------------------------

def test_serve_writable_without_data_is_a_usage_error_exit_2():
    result = CliRunner().invoke(kg, ["serve", "--writable"])
    assert result.exit_code == 2
    assert "Error: KG_WRITABLE needs KG_DATA (or --data FILE), a scratch copy" in result.output
    assert "never modified" in result.output


def test_writable_setting_without_data_is_refused_too():
    result = CliRunner().invoke(kg, ["serve"], env={"KG_WRITABLE": "true", "KG_DATA": ""})
    assert result.exit_code == 2
    assert "KG_WRITABLE needs KG_DATA (or --data FILE)" in result.output


def _served(monkeypatch, args: list[str], env: dict[str, str]) -> dict:
    """The settings `kg serve ARGS` would serve with (waitress is not started)."""
    import waitress

    served: list = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: served.append(app))
    result = CliRunner().invoke(kg, ["serve", *args], env=env)
    assert result.exit_code == 0, result.output
    return served[0].config["KG"]


def test_writable_and_data_settings_work_as_the_options_do(monkeypatch, scratch):
    """Regression: KG_WRITABLE=1 KG_DATA=f was refused although --data f --writable worked."""
    by_env = _served(monkeypatch, [], {"KG_WRITABLE": "1", "KG_DATA": str(scratch)})
    by_options = _served(monkeypatch, ["--data", str(scratch), "--writable"], {})
    assert by_env == by_options
    assert by_env["WRITABLE"] is True and by_env["DATA"] == str(scratch)


def test_data_setting_turns_the_union_default_graph_off_as_the_option_does(monkeypatch, scratch):
    """Regression: --data f turned the union default graph off, KG_DATA=f left it on."""
    assert _served(monkeypatch, [], {"KG_DATA": str(scratch)})["UNION_DEFAULT_GRAPH"] is False
    assert _served(monkeypatch, ["--data", str(scratch)], {})["UNION_DEFAULT_GRAPH"] is False
    on = _served(monkeypatch, [], {"KG_DATA": str(scratch), "KG_UNION_DEFAULT_GRAPH": "1"})
    assert on["UNION_DEFAULT_GRAPH"] is True
    assert _served(monkeypatch, ["--data", str(scratch), "--union"], {})["UNION_DEFAULT_GRAPH"]


def test_serve_writable_says_the_time_limit_is_off(monkeypatch, scratch):
    import waitress

    served: list[object] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: served.append(app))
    result = CliRunner().invoke(kg, ["serve", "--data", str(scratch), "--writable"])
    assert result.exit_code == 0, result.output
    assert served and served[0].config["KG"]["WRITABLE"] is True
    assert "QUERY_TIMEOUT is NOT enforced" in result.output
    assert "file is never written" in result.output
