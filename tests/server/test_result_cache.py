"""Repeated queries are answered from the result cache: exact, bounded, never for SERVICE."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from server import sparql
from server.lexer import analyse
from server.result_cache import ResultCache
from server.results import Answer, Job

QUERY = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3"
JSON = "application/sparql-results+json"


def job(query: str = QUERY, accept: str = JSON) -> Job:
    return Job(query=query, shape=analyse(query), accept=accept)


def answer(body: bytes, status: int = 200) -> Answer:
    return Answer(status, JSON, body)


def test_the_same_job_is_a_hit_and_another_format_is_not() -> None:
    cache = ResultCache(1000)
    cache.put(job(), answer(b"rows"))
    hit = cache.get(job())
    assert hit is not None and hit.body == b"rows"
    assert cache.get(job(accept="text/csv")) is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_only_complete_answers_without_service_are_kept() -> None:
    cache = ResultCache(1000)
    cache.put(job(), answer(b"timed out", status=503))
    remote = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    cache.put(job(remote), answer(b"remote rows"))
    cache.put(job("ASK {}"), answer(b"x" * 126))  # more than an eighth of the cache
    assert len(cache) == 0


def test_the_least_recently_used_answer_goes_first_within_the_bound() -> None:
    cache = ResultCache(300)
    for n in range(3):
        cache.put(job(f"ASK {{ <urn:x:{n}> ?p ?o }}"), answer(bytes(30)))
    assert cache.get(job("ASK { <urn:x:0> ?p ?o }")) is not None  # 0 is now the most recent
    for n in range(3, 11):
        cache.put(job(f"ASK {{ <urn:x:{n}> ?p ?o }}"), answer(bytes(30)))
    assert cache.size == 300 and len(cache) == 10
    assert cache.get(job("ASK { <urn:x:1> ?p ?o }")) is None
    assert cache.get(job("ASK { <urn:x:0> ?p ?o }")) is not None


def test_a_hit_is_a_copy_callers_may_add_headers_to() -> None:
    cache = ResultCache(1000)
    cache.put(job(), answer(b"rows"))
    first = cache.get(job())
    assert first is not None
    first.headers["X-Test"] = "1"
    again = cache.get(job())
    assert again is not None and "X-Test" not in again.headers


def test_a_repeated_query_is_not_evaluated_again(make_app: Callable[..., Flask],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(WORKERS=0)
    evaluated: list[str] = []
    run = sparql.run

    def counting(job: Job, settings: dict) -> Answer:
        evaluated.append(job.query)
        return run(job, settings)

    monkeypatch.setattr(sparql, "run", counting)
    client = app.test_client()
    first = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": JSON})
    second = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": JSON})
    as_csv = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "text/csv"})
    assert first.status_code == second.status_code == as_csv.status_code == 200
    assert second.data == first.data and second.content_type == first.content_type
    assert as_csv.content_type.startswith("text/csv")
    assert evaluated == [QUERY, QUERY]  # JSON once, CSV once


def test_no_cache_when_writable_or_switched_off(make_app: Callable[..., Flask]) -> None:
    """An update changes what a query answers; 0 bytes switches the cache off."""
    assert "kg_result_cache" not in make_app(RESULT_CACHE_BYTES=0).extensions
    assert "kg_result_cache" not in make_app(WRITABLE=True).extensions
    assert "kg_result_cache" in make_app().extensions
