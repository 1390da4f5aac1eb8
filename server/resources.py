"""Describe one resource of the dataset: its facts, the claims behind each, links both ways, and
the conflicts on it (SPARQL against the in-process store, over all named graphs)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import KG
from graph.query import solutions, triples
from server.evidence import Evidence, EvidenceReader
from server.terms import Namer, Term, iris_in

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_ALT = SKOS + "altLabel"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NIF_STRING = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
MAX_INCOMING = 500


@dataclass
class Fact:
    """One (predicate, object) of the resource, with the claims that state it and the system
    graphs (entities, inferred, ...) that hold it."""

    predicate: Term
    object: Term
    evidence: list[Evidence] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)


@dataclass
class Disagreement:
    """A conflict or variance set on this resource: the values side by side, each with its claim."""

    kind: str  # "conflict" or "variance"
    iri: Term
    predicate: Term
    values: list[tuple[list[Term], Evidence]]


@dataclass
class Description:
    iri: str
    label: str
    types: list[Term]
    alt_labels: list[str]
    facts: list[Fact]
    incoming: list[tuple[Term, Term]]
    disagreements: list[Disagreement]
    stated: list[tuple[Term, Term, Term]]  # the triples of this claim, when it is a claim graph
    own_evidence: list[Evidence]  # the evidence of this claim, when it is one
    text: str | None  # the verbatim text, when this is an article text


def summarize(details: list[tuple[Term, Term]]) -> str:
    """A figure in words from its description: "nearly 2000 soldiers", "more than 1960 troops"."""
    by = {p.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: o for p, o in details}
    if "value" in by:
        amount = by["value"].label
    elif "minValue" in by and "maxValue" in by:
        amount = f"{by['minValue'].label}–{by['maxValue'].label}"
    else:
        amount = next((by[k].label for k in ("minValue", "maxValue") if k in by), "")
    words = [by["approximation"].label if "approximation" in by else "", amount,
             by["unitText"].label if "unitText" in by else ""]
    return " ".join(w for w in words if w) if amount else ""


class Describer:
    """Reads descriptions of resources out of ``store`` (IRIs under ``base``)."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store = store
        self.base = base
        self.names = Namer(store, base)
        self.kg = str(KG)
        self.evidence = EvidenceReader(store, self.names, self.kg)

    def _select(self, query: str) -> list:
        return list(solutions(self.store, query, union=True))

    def exists(self, iri: str) -> bool:
        i = f"<{iri}>"
        return bool(self.store.query(
            f"ASK {{ {{ GRAPH ?g {{ {i} ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p {i} }} }} "
            f"UNION {{ GRAPH {i} {{ ?s ?p ?o }} }} }}"))

    def describe(self, iri: str) -> Description:
        i = f"<{iri}>"
        rows = self._select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {i} ?p ?o }} }}")
        incoming_rows = self._select(
            f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {i} }} }} ORDER BY ?p ?s "
            f"LIMIT {MAX_INCOMING}")
        stated_rows = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {i} {{ ?s ?p ?o }} }}")
        nodes = [iri] + iris_in(n for r in rows for n in (r["p"], r["o"]))
        nodes += iris_in(n for r in incoming_rows for n in (r["s"], r["p"]))
        nodes += iris_in(n for r in stated_rows for n in (r["s"], r["p"], r["o"]))
        self.names.load_labels(nodes)

        by_fact: dict[tuple, set[str]] = defaultdict(set)
        for r in rows:
            by_fact[(r["p"], r["o"])].add(r["g"].value)
        graphs = {g for gs in by_fact.values() for g in gs}
        evidence = self.evidence.for_claims(sorted(graphs))
        facts, types, alt = [], [], []
        for (p, o), gs in by_fact.items():
            if p.value == RDF_TYPE:
                types.append(self.names.term(o))
            if p.value == SKOS_ALT:
                alt.append(o.value)
            fact = Fact(self.names.term(p), self._object(o))
            for g in sorted(gs):
                if g in evidence:
                    fact.evidence.extend(evidence[g])
                else:
                    fact.graphs.append(self._graph_name(g))
            facts.append(fact)
        facts.sort(key=lambda f: (f.predicate.value != RDF_TYPE, f.predicate.label.lower(),
                                  f.object.label.lower()))
        text = next((o.value for (p, o) in by_fact if p.value == NIF_STRING), None)
        return Description(
            iri=iri,
            label=self.names.label(iri),
            types=sorted(types, key=lambda t: t.label),
            alt_labels=sorted(set(alt)),
            facts=facts,
            incoming=[(self.names.term(r["s"]), self.names.term(r["p"])) for r in incoming_rows],
            disagreements=self._disagreements(iri),
            stated=[(self.names.term(r["s"]), self.names.term(r["p"]), self._object(r["o"]))
                    for r in stated_rows],
            own_evidence=self.evidence.for_claims([iri]).get(iri, []),
            text=text,
        )

    def _graph_name(self, graph: str) -> str:
        prefix = self.base + "graph/"
        return graph[len(prefix):] if graph.startswith(prefix) else self.names.fallback_label(graph)

    def _object(self, node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
        """A term; a value node minted inside a claim (a figure, a role) comes with its details."""
        term = self.names.term(node)
        if isinstance(node, ox.NamedNode) and node.value.startswith(self.base + "id/value/"):
            rows = self._select(f"SELECT DISTINCT ?p ?o WHERE {{ <{node.value}> ?p ?o }} "
                                "ORDER BY ?p ?o")
            self.names.load_labels(iris_in(n for r in rows for n in (r["p"], r["o"])))
            term.details = [(self.names.term(r["p"]), self.names.term(r["o"])) for r in rows]
            if term.label == self.names.fallback_label(node.value):
                term.label = summarize(term.details) or term.label
        return term

    def _disagreements(self, iri: str) -> list[Disagreement]:
        kg = self.kg
        rows = self._select(
            f"SELECT ?set ?kind ?prop ?claim ?value WHERE {{ ?set <{kg}onSubject> <{iri}> ; "
            f"<{kg}onProperty> ?prop ; <{kg}memberClaim> ?claim ; a ?kind . "
            f"FILTER(?kind IN (<{kg}ConflictSet>, <{kg}VarianceSet>)) "
            f"OPTIONAL {{ GRAPH ?claim {{ <{iri}> ?prop ?value }} }} }} "
            "ORDER BY ?set ?claim ?value")
        sets: dict[str, dict] = {}
        for r in rows:
            entry = sets.setdefault(r["set"].value, {
                "kind": "conflict" if r["kind"].value.endswith("ConflictSet") else "variance",
                "prop": r["prop"], "claims": defaultdict(list)})
            values = entry["claims"][r["claim"].value]
            if r["value"] is not None:
                values.append(r["value"])
        out = []
        for set_iri, entry in sets.items():
            evidence = self.evidence.for_claims(sorted(entry["claims"]))
            self.names.load_labels([set_iri, entry["prop"].value])
            sides = []
            for claim, values in sorted(entry["claims"].items()):
                for ev in evidence.get(claim, []) or [self.evidence.bare(claim)]:
                    sides.append(([self._object(v) for v in values], ev))
            out.append(Disagreement(entry["kind"], self.names.term(ox.NamedNode(set_iri)),
                                    self.names.term(entry["prop"]), sides))
        return out

    def rdf(self, iri: str) -> list[ox.Triple]:
        """The resource's triples as subject (all graphs, deduplicated) and labels of what it
        links to, sorted."""
        i = f"<{iri}>"
        labels = f"<{SKOS}prefLabel> <{RDFS_LABEL}>"
        result = triples(
            self.store,
            f"CONSTRUCT {{ {i} ?p ?o . ?o ?lp ?l }} WHERE {{ GRAPH ?g {{ {i} ?p ?o }} "
            f"OPTIONAL {{ VALUES ?lp {{ {labels} }} GRAPH ?g2 {{ ?o ?lp ?l }} }} }}")
        return sorted(set(result), key=str)

    def suggest(self, path: str, limit: int = 5) -> list[Term]:
        """Resources whose labels share words with the last segment of ``path`` (for a 404)."""
        words = {w for w in re.split(r"[^a-z0-9]+", path.rsplit("/", 1)[-1].lower()) if len(w) > 1}
        if not words:
            return []
        rows = self._select(
            f"SELECT DISTINCT ?s ?l WHERE {{ VALUES ?p {{ <{SKOS}prefLabel> <{SKOS}altLabel> "
            f"<{RDFS_LABEL}> }} GRAPH ?g {{ ?s ?p ?l }} "
            f"FILTER(STRSTARTS(STR(?s), \"{self.base}id/\")) }}")
        scores: dict[str, int] = {}
        for r in rows:
            label_words = set(re.split(r"[^\w]+", r["l"].value.lower()))
            score = len(words & label_words)
            if score:
                s = r["s"].value
                scores[s] = max(scores.get(s, 0), score)
        best = sorted(scores, key=lambda s: (-scores[s], s))[:limit]
        self.names.load_labels(best)
        return [self.names.term(ox.NamedNode(s)) for s in best]
