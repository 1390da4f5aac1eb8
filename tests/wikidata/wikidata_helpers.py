"""Helpers for the Wikidata tests: paths, settings, the TEST-ONLY fake items, result rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph import settings as settings_mod

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "wikidata"
RETRIEVED = "2026-11-23"

# TEST-ONLY items with made-up QIDs (Q9000000xx are not real Wikidata items). They live only in a
# temporary file of the test session and must never be written to seeds/.
FAKE_ITEMS = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
wd:Q900000001 rdfs:label "Test-only Sitelinked Person"@en ; wdt:P31 wd:Q5 ;
    wdt:P625 "Point(1.5 2.5)"^^geo:wktLiteral .
<https://en.wikipedia.org/wiki/Test-only_Sitelinked_Person> schema:about wd:Q900000001 ;
    schema:isPartOf <https://en.wikipedia.org/> ; schema:name "Test-only Sitelinked Person"@en .
wd:Q900000002 rdfs:label "Test-only Namesake"@en ; wdt:P31 wd:Q5 .
wd:Q900000003 rdfs:label "Test-only Namesake"@en ; wdt:P31 wd:Q5 .
wd:Q900000004 rdfs:label "Test-only Labelled Person"@en ; wdt:P31 wd:Q5 .
wd:Q900000005 rdfs:label "Test-only Labelled Person"@en ; wdt:P31 wd:Q6256 .
"""


def repo_settings(**overrides: Any) -> dict[str, Any]:
    """Settings pointing at the repository's seeds, ontology and queries, plus ``overrides``."""
    values = {"SEEDS_DIR": str(ROOT / "seeds"), "ONTOLOGY_DIR": str(ROOT / "ontology"),
              "QUERIES_DIR": str(ROOT / "queries")}
    values.update(overrides)
    return settings_mod.load(environ={}, **values)


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Run a SELECT on a store (union default graph); rows of plain values ('' if unbound)."""
    results = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in results]


def sparql_json(client, query: str):
    """POST a query to /sparql; return (status, JSON results or the text of the error)."""
    response = client.post("/sparql", data={"query": query},
                           headers={"Accept": "application/sparql-results+json"})
    if response.status_code != 200:
        return response.status_code, response.get_data(as_text=True)
    return 200, response.get_json()


def rows(results: dict) -> list[dict[str, str]]:
    """SPARQL JSON solutions as rows of plain values ('' when unbound)."""
    names = results["head"]["vars"]
    return [{n: b[n]["value"] if n in b else "" for n in names}
            for b in results["results"]["bindings"]]
