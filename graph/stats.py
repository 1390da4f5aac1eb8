"""Counts of the built dataset: by class, by graph, by article."""

from __future__ import annotations

import pyoxigraph as ox

from graph.query import solutions

BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER(STRSTARTS(STR(?class), "https://w3id.org/karabakh-kg/ontology#"))
  FILTER(?g != <BASEgraph/ontology>)
} GROUP BY ?class ORDER BY DESC(?n) ?class
"""

BY_GRAPH = """
SELECT ?kind (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?triples) WHERE {
  GRAPH ?g { ?s ?p ?o }
  BIND(IF(STRSTARTS(STR(?g), "BASEid/claim/"), "claims", STR(?g)) AS ?kind)
} GROUP BY ?kind ORDER BY ?kind
"""

BY_ARTICLE = """
PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?article (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?q) AS ?quotations)
       (COUNT(DISTINCT ?t) AS ?triples) WHERE {
  GRAPH <BASEgraph/provenance> { ?claim prov:wasDerivedFrom ?article }
  GRAPH ?claim { ?s ?p ?o BIND(CONCAT(STR(?s), STR(?p), STR(?o)) AS ?t)
                 OPTIONAL { ?q a kg:Quotation } }
} GROUP BY ?article ORDER BY ?article
"""


def stats(store: ox.Store, base: str) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name, query in (("by class", BY_CLASS), ("by graph", BY_GRAPH), ("by article", BY_ARTICLE)):
        results = solutions(store, query.replace("BASE", base))
        names = [v.value for v in results.variables]
        out[name] = [{n: row[n].value for n in names} for row in results]
    return out
