"""A federated join of our claims with the Wikidata stand-in, through Comunica (unmodified).

Comunica (@comunica/query-sparql, a JavaScript SPARQL client and federation engine) runs in node
via comunica_query.js against a real `kg serve` on 127.0.0.1, which serves the wikidata_build
output with https://query.wikidata.org/sparql mapped onto the stand-in. Two ways to the same rows:

(a) our endpoint is Comunica's single source and the query holds the SERVICE block (example 20 as
    it is): Comunica sends it on, our endpoint evaluates SERVICE through its allowlist and map;
(b) no SERVICE: Comunica federates over two sources itself, our /sparql and the stand-in, and
    joins on the QID of skos:exactMatch (kg:party and skos:exactMatch are ours only, wdt:P36 is
    the stand-in's only).

comunica_query.js refuses any request off loopback and reports each request it makes, so the tests
also check whom Comunica asked. Needs node and `npm ci`; without them the tests skip, saying why,
except under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.wikidata import WIKIDATA_SPARQL
from tests.live import kg_serve
from tests.wikidata.wikidata_helpers import ROOT

pytestmark = [pytest.mark.wikidata, pytest.mark.live]
SCRIPT = Path(__file__).with_name("comunica_query.js")
COMUNICA = ROOT / "node_modules" / "@comunica" / "query-sparql" / "package.json"
EXAMPLE_20 = ROOT / "queries" / "examples" / "20-trilateral-parties-capitals.rq"
WD = "http://www.wikidata.org/entity/"
FETCHED = "comunica-fetch: "

# Example 20 without its SERVICE block, for Comunica to find which source holds which triples.
# The Russian-name filter sits in its own group with its pattern, so Comunica sends it to the
# sources with the pattern; as a filter of the whole group (as in example 20), Comunica fetches
# every rdfs:label of both sources and joins them itself, which takes it ~8 s instead of ~1.5 s.
JOIN = """PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT DISTINCT ?party ?item ?nameRu ?capital ?capitalName WHERE {
  <https://w3id.org/karabakh-kg/id/agreement/trilateral-statement-2020> kg:party ?state .
  ?state skos:prefLabel ?party ; skos:exactMatch ?item .
  FILTER(LANG(?party) = "en")
  ?item wdt:P31 wd:Q6256 ; wdt:P36 ?capital .
  { ?item rdfs:label ?nameRu . FILTER(LANG(?nameRu) = "ru") }
  ?capital rdfs:label ?capitalName .
  FILTER(LANG(?capitalName) = "en")
}
ORDER BY ?party
"""

def _row(party: str, qid: str, name_ru: str, capital: str, capital_name: str) -> dict:
    return {"party": {"type": "literal", "value": party, "lang": "en"},
            "item": {"type": "uri", "value": WD + qid},
            "nameRu": {"type": "literal", "value": name_ru, "lang": "ru"},
            "capital": {"type": "uri", "value": WD + capital},
            "capitalName": {"type": "literal", "value": capital_name, "lang": "en"}}


# The rows of example 20 through the Flask client (test_wikidata_examples.py), as RDF terms.
EXPECTED = [
    _row("Armenia", "Q399", "Армения", "Q1953", "Yerevan"),
    _row("Azerbaijan", "Q227", "Азербайджан", "Q9248", "Baku"),
    _row("Russia", "Q159", "Россия", "Q649", "Moscow"),
]


def _missing() -> str | None:
    """Why Comunica cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (Node.js 20 or later)"
    if not COMUNICA.is_file():
        return "@comunica/query-sparql is not installed: run `npm ci`"
    return None


@pytest.fixture(scope="session")
def comunica_or_skip() -> None:
    """Before the (session) build and server fixtures, so a skip costs nothing."""
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the Comunica tests cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def live_sparql(comunica_or_skip: None, wikidata_build, wikidata_nq: Path, wikidata_standin,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve` over the build on a free port, SERVICE_MAP pointing Wikidata at the stand-in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_SERVICE_MAP": json.dumps({WIKIDATA_SPARQL: wikidata_standin.url}),
                "KG_SERVICE_ALLOWLIST": json.dumps([WIKIDATA_SPARQL]),
                "KG_SERVICE_TIMEOUT": "10", "KG_QUERY_TIMEOUT": "30",
                "KG_QUERIES_DIR": str(ROOT / "queries"),
                "KG_BUILD_DIR": wikidata_build[0]["BUILD_DIR"]})
    log_path = tmp_path_factory.mktemp("comunica-serve") / "serve.log"
    with kg_serve(["--data", str(wikidata_nq), "--union", "--workers", "2"], env, log_path,
                  cwd=ROOT) as url:
        yield url


def comunica(query: str, sources: list[str]) -> tuple[list[dict], list[dict]]:
    """Run ``query`` with Comunica over ``sources``: (its rows, the requests it made, each
    {method, url, query})."""
    done = subprocess.run(["node", str(SCRIPT)], input=json.dumps({"query": query,
                                                                  "sources": sources}),
                          capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 0, f"comunica exited {done.returncode}: {done.stderr[-2000:]}"
    requested = [json.loads(line[len(FETCHED):]) for line in done.stderr.splitlines()
                 if line.startswith(FETCHED)]
    return json.loads(done.stdout), requested


def _endpoint(request: dict) -> str:
    return request["url"].split("?", 1)[0]


def test_comunica_through_our_endpoint_which_calls_wikidata_by_service(live_sparql) -> None:
    query = EXAMPLE_20.read_text(encoding="utf-8")
    assert f"SERVICE <{WIKIDATA_SPARQL}>" in query
    rows, requested = comunica(query, [live_sparql])
    assert rows == EXPECTED
    # Comunica sent the query as it is to our endpoint and asked nobody else: the capitals came
    # through our SERVICE evaluation (allowlist, then SERVICE_MAP onto the stand-in).
    assert {_endpoint(r) for r in requested} == {live_sparql}
    assert query in [r["query"] for r in requested]


def test_comunica_federates_our_endpoint_and_the_standin_itself(live_sparql,
                                                                wikidata_standin) -> None:
    assert "SERVICE" not in JOIN.upper()
    rows, requested = comunica(JOIN, [live_sparql, wikidata_standin.url])
    assert rows == EXPECTED
    # Comunica asked both sources, nobody else, and never sent SERVICE to either.
    assert {_endpoint(r) for r in requested} == {live_sparql, wikidata_standin.url}
    assert not [r for r in requested if "SERVICE" in (r["query"] or "").upper()]
