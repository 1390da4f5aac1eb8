"""Every resource a query can consume is bounded: memory, result bytes, nesting, network, and
a client's share of the workers. Each test is named after the attack it stops."""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from server import isolation
from tests.server.test_sparql_federation import Canary

# Five-way cross product, sorted: gigabytes of intermediate rows on the small dataset.
MEMORY_HOG = ("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } "
              "ORDER BY ?a ?d ?g ?j")
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u }")


def test_query_past_query_memory_is_503_and_its_worker_replaced(make_app):
    app = make_app(WORKERS=2, QUERY_MEMORY=128, QUERY_TIMEOUT=30.0, MAX_ROWS=10)
    client = app.test_client()
    for _ in range(2):
        r = client.get("/sparql", query_string={"query": MEMORY_HOG})
        assert r.status_code == 503
        assert r.get_data(as_text=True) == (
            "the query needed more than 128 MiB, the memory one query may use (QUERY_MEMORY); "
            "narrow the query or add LIMIT")
        r = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1"})
        assert r.status_code == 200
    pool = app.extensions["kg_workers"]
    deadline = time.monotonic() + 20
    while len(pool._all) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pool._all) == 2


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_rows_past_max_response_bytes_are_refused_not_cut(make_app, fmt):
    client = make_app(WORKERS=1, MAX_RESPONSE_BYTES=400).test_client()
    r = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }", "format": fmt})
    assert r.status_code == 400
    assert r.get_data(as_text=True).startswith(
        "the result is larger than 400 bytes, the limit of this endpoint (MAX_RESPONSE_BYTES)")
    small = client.get("/sparql", query_string={"query": "SELECT ?s { ?s ?p ?o } LIMIT 1",
                                                "format": fmt})
    assert small.status_code == 200


def test_one_huge_row_past_max_response_bytes_is_refused(make_app):
    # One row, 2^22 characters, built by the query itself: MAX_ROWS cannot see it.
    doubling = "".join(f'BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1}) ' for i in range(22))
    query = f'SELECT ?x22 {{ BIND("a" AS ?x0) {doubling}}}'
    client = make_app(WORKERS=1, MAX_RESPONSE_BYTES=1_000_000).test_client()
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400
    assert "larger than 1000000 bytes" in r.get_data(as_text=True)


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples",
                                    "application/ld+json", "application/rdf+xml"])
def test_graph_past_max_response_bytes_is_refused(make_app, accept):
    client = make_app(WORKERS=1, MAX_RESPONSE_BYTES=300).test_client()
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": accept})
    assert r.status_code == 400
    assert "(MAX_RESPONSE_BYTES)" in r.get_data(as_text=True)


@pytest.mark.parametrize("depth", [129, 3000])
@pytest.mark.parametrize("brackets", ["{}", "()"])
def test_deeply_nested_query_is_400_before_evaluation(make_app, depth, brackets):
    client = make_app(MAX_QUERY_BYTES=100_000).test_client()
    open_, close = brackets
    if open_ == "{":
        query = "SELECT * WHERE " + open_ * depth + " ?s ?p ?o " + close * depth
        levels = depth
    else:  # inside "{ FILTER(": two levels more
        query = "SELECT * WHERE { FILTER(" + open_ * depth + "1" + close * depth + ") }"
        levels = depth + 2
    for r in (client.get("/sparql", query_string={"query": query}),
              client.post("/sparql", data=query, content_type="application/sparql-query")):
        assert r.status_code == 400
        assert r.get_data(as_text=True) == (
            f"query nested too deeply: {levels} levels of brackets, the limit is 128\n")
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_nesting_up_to_the_limit_is_answered(client):
    query = "SELECT * WHERE " + "{" * 127 + " ?s ?p ?o " + "}" * 127 + " LIMIT 1"
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


def _engine_service_call(url: str, out: Any) -> None:
    """In a fresh process: cut the network, then let pyoxigraph call SERVICE itself."""
    import pyoxigraph as ox

    out.put(isolation.cut_network())
    try:
        list(ox.Store().query(f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        out.put("answered")
    except Exception as err:  # noqa: BLE001 - any failure to reach the canary is the point
        out.put(f"{type(err).__name__}: {err}")


def test_query_worker_without_network_cannot_reach_a_service_even_if_one_slips_through():
    """The second wall: were a SERVICE clause to pass the policy, the engine could not call it."""
    canary = Canary()
    try:
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        process = ctx.Process(target=_engine_service_call, args=(canary.url, out))
        process.start()
        cut = out.get(timeout=30)
        if cut is not None:
            pytest.skip(f"this machine does not allow a network namespace: {cut}")
        outcome = out.get(timeout=30)
        process.join(10)
        assert outcome != "answered"
        assert canary.hits == []
    finally:
        canary.close()


def test_query_workers_run_without_network(make_app):
    app = make_app(WORKERS=1)
    assert app.test_client().get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    pool = app.extensions["kg_workers"]
    if os.geteuid() != 0 and pool.isolated is False:
        pytest.skip("unprivileged, and user namespaces are off on this machine")
    assert pool.isolated is True


def test_runaway_client_cannot_starve_other_clients(make_app):
    """A client whose queries run long holds at most WORKERS - 1 workers; others keep being
    answered, and its surplus queries wait, then get 429 with Retry-After.

    Times (QUERY_TIMEOUT 3 s): the first runaway holds a worker from 0 to 3 s (503). Two more
    arrive at 1.5 s, when their client is heavy; each may start until 3.5 s (SLOW_AFTER before
    its deadline). At 3 s one starts and times out at 4.5 s (503); the other is refused at 3.5 s
    (429): it could only have started with less than SLOW_AFTER left."""
    app = make_app(WORKERS=2, QUERY_TIMEOUT=3.0)
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.2"
    assert other.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # warm up
    results: list[tuple[int, str, dict[str, str]]] = []

    def runaway() -> None:
        r = app.test_client().get("/sparql", query_string={"query": RUNAWAY},
                                  environ_base={"REMOTE_ADDR": "192.0.2.1"})
        results.append((r.status_code, r.get_data(as_text=True), dict(r.headers)))

    threads = [threading.Thread(target=runaway)]
    threads[0].start()
    time.sleep(1.5)  # the first runaway is now a long query: its client is heavy
    threads += [threading.Thread(target=runaway) for _ in range(2)]
    for t in threads[1:]:
        t.start()
    time.sleep(0.2)
    for _ in range(5):
        start = time.monotonic()
        r = other.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 2"})
        assert r.status_code == 200
        assert time.monotonic() - start < 1.0
    for t in threads:
        t.join(10)
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [429, 503, 503]
    refused = next(r for r in results if r[0] == 429)
    assert refused[1].startswith("this client already has 1 long queries running")
    assert refused[2]["Retry-After"] == "3"


def test_cheap_queries_of_one_client_may_use_every_worker(make_app):
    app = make_app(WORKERS=2)
    pool = app.extensions["kg_workers"]
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    errors: list[int] = []

    def ask() -> None:
        for _ in range(20):
            r = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
            if r.status_code != 200:
                errors.append(r.status_code)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert pool._running == {}


def test_json_results_are_unchanged_by_the_bounds(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?s { ?s a ?t } ORDER BY ?s LIMIT 1"})
    assert r.status_code == 200
    assert list(json.loads(r.data)["results"]["bindings"][0]) == ["s"]


def test_syntax_error_position_is_in_the_users_query(client):
    """The predeclared prefixes go to the engine as prefixes, not as text before the query."""
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.get_data(as_text=True).startswith("query syntax error at line 1, column 25:")


def test_a_query_may_redeclare_a_predeclared_prefix(client):
    query = "PREFIX wd: <http://x/> SELECT (wd:a AS ?a) {}"
    r = client.get("/sparql", query_string={"query": query})
    assert json.loads(r.data)["results"]["bindings"] == [
        {"a": {"type": "uri", "value": "http://x/a"}}]
    r = client.get("/sparql", query_string={"query": "SELECT (wd:Q1 AS ?a) {}"})
    assert json.loads(r.data)["results"]["bindings"][0]["a"]["value"] == (
        "http://www.wikidata.org/entity/Q1")


@pytest.mark.parametrize("query, status", [
    ("ASK { FILTER(" + "!" * 16000 + "true) }", 200),
    ("SELECT * { ?s <p>" + "|<p>" * 16000 + " ?o }", 200),
    ("ASK { {} " + "UNION {} " * 8000 + "}", 200),
    # "service" in a comment sends it through the SERVICE checker's parser too
    ("SELECT * { ?s ?p ?o " + "MINUS { } " * 3000 + "} LIMIT 1 # service", 200),
])
def test_long_operator_chains_do_not_crash_a_worker(make_app, query, status):
    """Found by the HTTP fuzz: 16-48 KB of flat repetition overflowed a worker's 8 MiB stack."""
    client = make_app(WORKERS=1, MAX_QUERY_BYTES=100_000, QUERY_TIMEOUT=20.0).test_client()
    r = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert r.status_code == status, r.data[:300]
    assert "worker stopped" not in r.get_data(as_text=True)


def test_kg_is_predeclared_at_the_endpoint(client):
    r = client.get("/sparql", query_string={"query": "SELECT (kg:Claim AS ?c) {}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert json.loads(r.data)["results"]["bindings"] == [
        {"c": {"type": "uri", "value": "https://w3id.org/karabakh-kg/ontology#Claim"}}]


def _nice(pid: int) -> set[int]:
    """The nice values of a process's threads."""
    values = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            values.add(int((task / "stat").read_text().rsplit(")", 1)[1].split()[16]))
    return values


# About 16 million rows over the 16 test quads: 2-3 s, under the time limit.
SLOW_BUT_DONE = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
                 "?m ?n1 ?o . ?p ?q ?r }")


def test_a_slow_query_runs_at_a_lower_cpu_priority_and_its_worker_is_restored(make_app):
    from server.workers import BURST_AFTER, SLOW_NICE

    app = make_app(WORKERS=1, QUERY_TIMEOUT=20.0)
    pool = app.extensions["kg_workers"]
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    (worker,) = pool._all
    assert _nice(worker.pid) == {0}
    result: dict = {}

    def slow() -> None:
        r = app.test_client().get("/sparql", query_string={"query": SLOW_BUT_DONE,
                                                           "format": "csv"})
        result.update(status=r.status_code, body=r.data)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(BURST_AFTER + 0.4)
    assert thread.is_alive()
    assert _nice(worker.pid) == {SLOW_NICE}  # every thread of it
    thread.join(20)
    assert result == {"status": 200, "body": b"n\r\n16777216\r\n"}
    # Back at the usual priority: raised again (as root), or replaced by a fresh fork.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(pool._all) < 1:
        time.sleep(0.05)
    (now,) = pool._all
    assert _nice(now.pid) == {0}
    assert (now is worker) == (os.geteuid() == 0)
