"""What the home page says about the dataset: counts and the list of articles."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.namespaces import KG
from graph.query import solutions
from server.terms import Namer, Term

SCHEMA = "http://schema.org/"


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
    rows = list(solutions(store, query, union=True))
    return int(rows[0]["n"].value) if rows else 0


def counts(store: ox.Store, base: str) -> Counts:
    kg = str(KG)
    return Counts(
        quads=len(store),
        triples=_count(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                              "WHERE { GRAPH ?g { ?s ?p ?o } } }"),
        claims=_count(store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{kg}Claim> }}"),
        articles=_count(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{kg}Article> }}"),
        entities=_count(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH "
                               f"<{base}graph/entities> {{ ?e a ?t }} }}"),
        conflicts=_count(store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a ?k "
                                f"FILTER(?k IN (<{kg}ConflictSet>, <{kg}VarianceSet>)) }}"),
    )


def articles(store: ox.Store, names: Namer) -> list[ArticleRow]:
    """Every article, newest first: title, publisher, date, original URL and number of claims."""
    kg = str(KG)
    rows = list(solutions(
        store,
        f"SELECT ?a (SAMPLE(?title) AS ?t) (SAMPLE(?pub) AS ?p) (SAMPLE(?date) AS ?d) "
        f"(SAMPLE(?url) AS ?u) (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?a a <{kg}Article> "
        f"OPTIONAL {{ ?a <{SCHEMA}headline> ?title }} OPTIONAL {{ ?a <{SCHEMA}publisher> ?pub }} "
        f"OPTIONAL {{ ?a <{SCHEMA}datePublished> ?date }} OPTIONAL {{ ?a <{SCHEMA}url> ?url }} "
        f"OPTIONAL {{ ?c <http://www.w3.org/ns/prov#wasDerivedFrom> ?a ; a <{kg}Claim> }} }} "
        f"GROUP BY ?a ORDER BY DESC(SAMPLE(?date)) ?a",
        union=True))
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
