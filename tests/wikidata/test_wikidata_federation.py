"""SERVICE to Wikidata through our /sparql, with https://query.wikidata.org/sparql mapped onto
the local stand-in: joins, SERVICE SILENT, failures, the per-call time limit, WDQS prefixes."""

from __future__ import annotations

import time

import pytest

from graph.namespaces import predeclared_prefixes
from graph.wikidata import WIKIDATA_SPARQL
from tests.wikidata.wikidata_helpers import rows, sparql_json

pytestmark = pytest.mark.wikidata
WD = "http://www.wikidata.org/entity/"
AGREEMENT = "https://w3id.org/karabakh-kg/id/agreement/trilateral-statement-2020"

JOIN = f"""
PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT DISTINCT ?state ?capital WHERE {{
  <{AGREEMENT}> kg:party ?s . ?s skos:exactMatch ?item ; skos:prefLabel ?state .
  FILTER(LANG(?state) = "en")
  SERVICE %s<{WIKIDATA_SPARQL}> {{ ?item wdt:P36 ?capital }}
}} ORDER BY ?state"""


def test_a_join_of_our_claims_with_wikidata(sparql_client) -> None:
    status, body = sparql_json(sparql_client, JOIN % "")
    assert status == 200, body
    assert [(r["state"], r["capital"]) for r in rows(body)] == [
        ("Armenia", WD + "Q1953"), ("Azerbaijan", WD + "Q9248"), ("Russia", WD + "Q649")]


def test_a_failing_remote_is_a_clear_502(make_client, closed_endpoint) -> None:
    client = make_client({WIKIDATA_SPARQL: closed_endpoint})
    status, body = sparql_json(client, JOIN % "")
    assert status == 502
    assert f"SERVICE <{WIKIDATA_SPARQL}> failed" in body


def test_service_silent_turns_a_failure_into_one_empty_solution(make_client,
                                                                 closed_endpoint) -> None:
    client = make_client({WIKIDATA_SPARQL: closed_endpoint})
    status, body = sparql_json(client, JOIN % "SILENT ")
    assert status == 200, body
    assert [(r["state"], r["capital"]) for r in rows(body)] == [
        ("Armenia", ""), ("Azerbaijan", ""), ("Russia", "")]


def test_each_remote_call_has_a_time_limit(make_client, silent_endpoint) -> None:
    client = make_client({WIKIDATA_SPARQL: silent_endpoint}, timeout=0.5)
    start = time.monotonic()
    status, body = sparql_json(client, JOIN % "")
    took = time.monotonic() - start
    assert status == 502, body
    assert f"SERVICE <{WIKIDATA_SPARQL}> failed" in body and "timed out" in body.lower()
    assert took < 10


def test_silent_and_slow_is_empty_too(make_client, silent_endpoint) -> None:
    client = make_client({WIKIDATA_SPARQL: silent_endpoint}, timeout=0.5)
    status, body = sparql_json(client, JOIN % "SILENT ")
    assert status == 200, body
    assert len(rows(body)) == 3


def test_predeclared_prefixes_text() -> None:
    text = predeclared_prefixes()
    for prefix in ("wd", "wdt", "p", "ps", "pq", "wikibase", "schema", "rdfs", "skos"):
        assert f"PREFIX {prefix}: <" in text
    assert "PREFIX schema: <http://schema.org/>" in text


def test_wdqs_prefixes_are_predeclared(sparql_client) -> None:
    query = f"""SELECT ?capital WHERE {{
      SERVICE <{WIKIDATA_SPARQL}> {{ wd:Q227 wdt:P36 ?capital . ?capital rdfs:label ?l .
        FILTER(LANG(?l) = "en") }} }}"""
    status, body = sparql_json(sparql_client, query)
    assert status == 200, body
    assert [r["capital"] for r in rows(body)] == [WD + "Q9248"]
