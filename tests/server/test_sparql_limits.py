"""Time limits: a runaway query is stopped with a clear error while other requests are answered."""

from __future__ import annotations

import json
import threading
import time

# Seven-way cross product over the small dataset: ~10^8 solutions to count, never finishes soon.
RUNAWAY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
           "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u }")
TIMEOUT = 2.0


def test_runaway_query_times_out_while_other_requests_are_answered(make_app):
    app = make_app(WORKERS=2, QUERY_TIMEOUT=TIMEOUT)
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # warm up
    result: dict = {}

    def runaway() -> None:
        start = time.monotonic()
        r = app.test_client().get("/sparql", query_string={"query": RUNAWAY})
        result.update(status=r.status_code, text=r.get_data(as_text=True),
                      seconds=time.monotonic() - start)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    start = time.monotonic()
    other = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 2"})
    assert other.status_code == 200
    assert len(json.loads(other.data)["results"]["bindings"]) == 2
    assert thread.is_alive(), "the second request was only answered after the runaway one"
    assert time.monotonic() - start < TIMEOUT
    thread.join(TIMEOUT + 5)
    assert result["status"] == 503
    assert "query timed out after 2 s (QUERY_TIMEOUT)" in result["text"]
    assert TIMEOUT <= result["seconds"] < TIMEOUT + 1, result
    # the killed worker is replaced: the endpoint keeps answering
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_a_cheap_query_is_answered_while_a_slow_one_holds_every_worker(make_app):
    """With the only worker held past SLOW_AFTER, another client's query gets an extra worker
    instead of waiting for the slow one; the extra worker stops once no slow query runs."""
    from server.workers import SLOW_AFTER

    app = make_app(WORKERS=1, QUERY_TIMEOUT=8.0)
    pool = app.extensions["kg_workers"]
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200  # warm up
    result: dict = {}

    def runaway() -> None:
        r = app.test_client().get("/sparql", query_string={"query": RUNAWAY})
        result.update(status=r.status_code)

    thread = threading.Thread(target=runaway)
    thread.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any(
            time.monotonic() - started > SLOW_AFTER for started in list(pool._busy.values())):
        time.sleep(0.05)
    other = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 2"},
                       environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    assert thread.is_alive(), "the cheap query was only answered after the slow one"
    assert pool._extra == 1
    thread.join(15)
    assert result["status"] == 503  # the slow one still meets its time limit
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (pool._extra or len(pool._all) != 1):
        time.sleep(0.1)
    assert (pool._extra, len(pool._all)) == (0, 1)
