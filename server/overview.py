"""What the home page says about the dataset: counts and the list of articles."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.namespaces import RDF, VOCABULARY
from graph.query import solutions
from server.terms import Namer, Term

CLAIMS = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Claim }"
ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
CONFLICTS = """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a ?k FILTER(?k IN (kg:ConflictSet, kg:VarianceSet)) }"""
TRIPLES = """SELECT (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"""
# Every article, newest first: title, publisher, date, original URL and number of claims.
ARTICLE_ROWS = """
SELECT ?a (SAMPLE(?title) AS ?t) (SAMPLE(?pub) AS ?p) (SAMPLE(?date) AS ?d) (SAMPLE(?url) AS ?u)
       (COUNT(DISTINCT ?c) AS ?n)
WHERE {
  ?a a kg:Article
  OPTIONAL { ?a schema:headline ?title }
  OPTIONAL { ?a schema:publisher ?pub }
  OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?c prov:wasDerivedFrom ?a ; a kg:Claim }
} GROUP BY ?a ORDER BY DESC(SAMPLE(?date)) ?a"""


@dataclass
class Counts:
    quads: int
    triples: int
    claims: int
    articles: int
    entities: int
    conflicts: int


@dataclass
class ArticleRow:
    article: Term
    title: str | None
    publisher: Term | None
    date: str | None
    url: str | None
    claims: int


def _count(store: ox.Store, query: str) -> int:
    rows = list(solutions(store, query, union=True, prefixes=VOCABULARY))
    return int(rows[0]["n"].value) if rows else 0


def counts(store: ox.Store, base: str) -> Counts:
    """The home page's figures: each a pass over the whole dataset (the caller keeps them)."""
    entities = store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None,
                                       ox.NamedNode(base + "graph/entities"))
    return Counts(
        quads=len(store),
        triples=_count(store, TRIPLES),
        claims=_count(store, CLAIMS),
        articles=_count(store, ARTICLES),
        entities=len({q.subject for q in entities}),
        conflicts=_count(store, CONFLICTS),
    )


def articles(store: ox.Store, names: Namer) -> list[ArticleRow]:
    """Every article, newest first: title, publisher, date, original URL and number of claims."""
    rows = list(solutions(store, ARTICLE_ROWS, union=True, prefixes=VOCABULARY))
    names.load_labels([r[v].value for r in rows for v in ("a", "p") if r[v] is not None])
    return [
        ArticleRow(
            article=names.term(r["a"]),
            title=r["t"].value if r["t"] is not None else None,
            publisher=names.term(r["p"]) if r["p"] is not None else None,
            date=r["d"].value if r["d"] is not None else None,
            url=r["u"].value if r["u"] is not None else None,
            claims=int(r["n"].value),
        )
        for r in rows
    ]
