"""Cache what Wikidata says about our linked items, so joins with it work offline.

The cache (seeds/wikidata-cache.nt) is sorted N-Triples in Wikidata's own vocabulary: labels and
descriptions in en/ru/az/hy, wdt:P31, wdt:P625 and the English Wikipedia sitelink, plus one
``<item> kg:retrievedOn "date"^^xsd:date`` per item. `kg build` reads it into graph/wikidata.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import KG
from graph.seeds import Entity
from graph.wikidata import ENWIKI, LABEL_LANGUAGES, WD
from graph.wikidata.client import Binding, SparqlClient

XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
RETRIEVED_ON = ox.NamedNode(str(KG.retrievedOn))
BATCH = 50


@dataclass(frozen=True)
class Fetched:
    lines: list[str]
    items: list[str]
    missing: list[str]


def linked_items(entities: dict[str, Entity]) -> list[str]:
    """Every QID in the registry, once, in numeric order."""
    return sorted({e.wikidata for e in entities.values() if e.wikidata}, key=lambda q: int(q[1:]))


def facts_query(qids: list[str]) -> str:
    langs = ", ".join(f'"{lang}"' for lang in LABEL_LANGUAGES)
    values = " ".join(f"wd:{q}" for q in qids)
    return f"""PREFIX wd: <{WD}>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
SELECT ?item ?s ?p ?o WHERE {{
  VALUES ?item {{ {values} }}
  {{ VALUES ?p {{ rdfs:label schema:description }}
     ?item ?p ?o . FILTER(LANG(?o) IN ({langs})) BIND(?item AS ?s) }}
  UNION
  {{ VALUES ?p {{ wdt:P31 wdt:P625 }} ?item ?p ?o . BIND(?item AS ?s) }}
  UNION
  {{ ?s schema:about ?item ; schema:isPartOf <{ENWIKI}> .
     VALUES ?p {{ schema:about schema:isPartOf schema:name }} ?s ?p ?o . }}
}}"""


def _term(term: dict[str, str]) -> ox.NamedNode | ox.Literal | None:
    kind = term.get("type")
    if kind == "uri":
        return ox.NamedNode(term["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in term:
            return ox.Literal(term["value"], language=term["xml:lang"])
        if "datatype" in term:
            return ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"]))
        return ox.Literal(term["value"])
    return None  # blank nodes are not cached: the build holds none


def _line(row: Binding) -> str | None:
    s, p, o = (_term(row[k]) if k in row else None for k in ("s", "p", "o"))
    if not isinstance(s, ox.NamedNode) or not isinstance(p, ox.NamedNode) or o is None:
        return None
    return f"{s} {p} {o} ."


def fetch(client: SparqlClient, qids: list[str], date: str) -> Fetched:
    """Ask the endpoint about ``qids`` (in batches); return the cache's lines, sorted."""
    lines: set[str] = set()
    seen: set[str] = set()
    for i in range(0, len(qids), BATCH):
        for row in client.select(facts_query(qids[i:i + BATCH])):
            line = _line(row)
            if line is None:
                continue
            lines.add(line)
            seen.add(row.get("item", {}).get("value", "")[len(str(WD)):])
    found = [q for q in qids if q in seen]
    date_literal = ox.Literal(date, datatype=XSD_DATE)
    for q in found:
        lines.add(f"{ox.NamedNode(str(WD[q]))} {RETRIEVED_ON} {date_literal} .")
    return Fetched(sorted(lines), found, [q for q in qids if q not in seen])


def write_cache(path: Path, lines: list[str]) -> None:
    """Write the cache atomically (a failed fetch leaves the old cache as it was)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    os.replace(tmp, path)
