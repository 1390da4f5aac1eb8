"""Counts of the built dataset: by class, by graph, by article."""

from __future__ import annotations

import pyoxigraph as ox

from graph.namespaces import VOCABULARY
from graph.query import Substitutions, solutions

# Each query projects ?base, the dataset's base IRI as a literal, substituted (never pasted in).
BY_CLASS = """
SELECT ?base ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class }
  FILTER(STRSTARTS(STR(?class), STR(kg:)))
  FILTER(STR(?g) != CONCAT(?base, "graph/ontology"))
} GROUP BY ?base ?class ORDER BY DESC(?n) ?class
"""

BY_GRAPH = """
SELECT ?base ?kind (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?triples) WHERE {
  GRAPH ?g { ?s ?p ?o }
  BIND(IF(STRSTARTS(STR(?g), CONCAT(?base, "id/claim/")), "claims", STR(?g)) AS ?kind)
} GROUP BY ?base ?kind ORDER BY ?kind
"""

BY_ARTICLE = """
SELECT ?base ?article (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?q) AS ?quotations)
       (COUNT(DISTINCT ?t) AS ?triples) WHERE {
  BIND(IRI(CONCAT(?base, "graph/provenance")) AS ?provenance)
  GRAPH ?provenance { ?claim prov:wasDerivedFrom ?article }
  GRAPH ?claim { ?s ?p ?o BIND(CONCAT(STR(?s), STR(?p), STR(?o)) AS ?t)
                 OPTIONAL { ?q a kg:Quotation } }
} GROUP BY ?base ?article ORDER BY ?article
"""


def stats(store: ox.Store, base: str) -> dict[str, list[dict[str, str]]]:
    """Counts by class, by graph and by article of the dataset minted under ``base``."""
    out = {}
    given: Substitutions = {ox.Variable("base"): ox.Literal(base)}
    for name, query in (("by class", BY_CLASS), ("by graph", BY_GRAPH), ("by article", BY_ARTICLE)):
        results = solutions(store, query, substitutions=given, prefixes=VOCABULARY)
        names = [v.value for v in results.variables if v.value != "base"]
        out[name] = [{n: row[n].value for n in names} for row in results]
    return out
