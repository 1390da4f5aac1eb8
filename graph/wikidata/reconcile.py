"""Find the Wikidata item of registry entries that have an English Wikipedia title but no QID.

Two kinds of evidence, both asked of the configured endpoint: the item whose English Wikipedia
sitelink has exactly that title, and items with exactly the entry's English label and an expected
P31 type. A link is confirmed only when all the evidence names one and the same item; nothing is
guessed, and a curated QID is never touched.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import SeedError
from graph.seeds import Entity, read_yaml
from graph.wikidata import ENWIKI, sparql_string
from graph.wikidata.client import SparqlClient, value

# Expected P31 values per registry class: only QIDs from the verified list.
EXPECTED_TYPES: dict[str, tuple[str, ...]] = {
    "kg:Person": ("Q5",),
    "kg:State": ("Q6256", "Q3624078", "Q10711424", "Q15239622"),
    "kg:Settlement": ("Q515",),
    "kg:War": ("Q198",),
    "kg:Agreement": ("Q131569",),
}
ITEM = re.compile(r"^http://www\.wikidata\.org/entity/(Q[1-9][0-9]*)$")


@dataclass(frozen=True)
class Candidate:
    qid: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    entity: Entity
    candidates: tuple[Candidate, ...]

    @property
    def confirmed(self) -> Candidate | None:
        """The one candidate, if there is exactly one."""
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def verdict(self) -> str:
        n = len(self.candidates)
        return "confirmed" if n == 1 else "no candidate" if n == 0 else f"ambiguous ({n} items)"

    @property
    def method(self) -> str:
        """The wikidata_method written for a confirmed link."""
        assert self.confirmed is not None
        return "reconciled: " + "; ".join(self.confirmed.evidence)


def pending(entities: dict[str, Entity]) -> list[Entity]:
    """Entries to reconcile: a Wikipedia title and no curated QID."""
    return [e for e in entities.values() if e.wikipedia and not e.wikidata]


def expected_types(entity: Entity) -> tuple[str, ...]:
    return tuple(q for t in entity.types for q in EXPECTED_TYPES.get(t, ()))


def reconcile_entity(client: SparqlClient, entity: Entity) -> Outcome:
    """Ask the endpoint for the entity's candidates, each with the evidence that names it."""
    found: dict[str, list[str]] = {}
    title = entity.wikipedia or ""
    sitelink = f"""PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?item WHERE {{
  ?article schema:about ?item ; schema:isPartOf <{ENWIKI}> ;
           schema:name {sparql_string(title)}@en .
}}"""
    for row in client.select(sitelink):
        m = ITEM.match(value(row, "item") or "")
        if m:
            found.setdefault(m.group(1), []).append(f"enwiki sitelink {json.dumps(title)}")
    label, types = entity.labels.get("en"), expected_types(entity)
    if label and types:
        by_label = f"""PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?item ?type WHERE {{
  VALUES ?type {{ {" ".join("wd:" + q for q in types)} }}
  ?item rdfs:label {sparql_string(label)}@en ; wdt:P31 ?type .
}}"""
        for row in client.select(by_label):
            m = ITEM.match(value(row, "item") or "")
            kind = ITEM.match(value(row, "type") or "")
            if m and kind:
                found.setdefault(m.group(1), []).append(
                    f"English label {json.dumps(label)} with P31 {kind.group(1)}")
    candidates = tuple(Candidate(q, tuple(ev)) for q, ev in sorted(found.items(), key=_qid_order))
    return Outcome(entity, candidates)


def _qid_order(item: tuple[str, list[str]]) -> int:
    return int(item[0][1:])


def reconcile(client: SparqlClient, entities: list[Entity]) -> list[Outcome]:
    return [reconcile_entity(client, e) for e in entities]


def write_links(path: Path, outcomes: list[Outcome], date: str) -> list[Outcome]:
    """Insert ``wikidata``, ``wikidata_method`` and ``wikidata_date`` under each confirmed entry.

    Edits the registry as text (comments and layout stay); skips entries that meanwhile got a
    QID; re-reads the result and writes it only if it parses to exactly the intended links.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    written = []
    for outcome in outcomes:
        c = outcome.confirmed
        if c is None:
            continue
        where = _block(lines, outcome.entity.id, path)
        if where is None:
            continue
        end, indent = where
        lines[end:end] = [f"{indent}wikidata: {c.qid}\n",
                          f"{indent}wikidata_method: {json.dumps(outcome.method)}\n",
                          f"{indent}wikidata_date: {date}\n"]
        written.append(outcome)
    if not written:
        return []
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text("".join(lines), encoding="utf-8")
    try:
        doc = read_yaml(tmp)
        got = {i["id"]: i.get("wikidata") for i in doc["entities"]}
        for o in written:
            if got.get(o.entity.id) != o.confirmed.qid:  # type: ignore[union-attr]
                raise SeedError(path, o.entity.line, f"{o.entity.id}: edit did not take; "
                                "the registry was left unchanged")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written


def _block(lines: list[str], entity_id: str, path: Path) -> tuple[int, str] | None:
    """(index after the entry's last line, key indentation), or None if it already has a QID."""
    head = re.compile(r"^(\s*)- id:\s*" + re.escape(entity_id) + r"\s*(#.*)?$")
    for i, line in enumerate(lines):
        m = head.match(line.rstrip("\n"))
        if not m:
            continue
        dash = len(m.group(1))
        indent = " " * (dash + 2)
        end = i + 1
        for j in range(i + 1, len(lines)):
            text = lines[j].rstrip("\n")
            if not text.strip():
                continue
            if len(text) - len(text.lstrip()) <= dash:
                break
            if re.match(rf"^{indent}wikidata\s*:", text):
                return None  # never overwrite a curated (or earlier) QID
            end = j + 1
        return end, indent
    raise SeedError(path, None, f"entry {entity_id!r} not found as '- id: {entity_id}'")
