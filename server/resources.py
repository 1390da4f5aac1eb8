"""Describe one resource of the dataset: its facts, the claims behind each, links both ways, and
the conflicts on it (SPARQL against the in-process store, over all named graphs)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import NIF, RDF, SKOS, VOCABULARY
from graph.query import Substitutions, solutions
from server.evidence import Evidence, EvidenceReader
from server.terms import Namer, Term, iris_in, natural

RDF_TYPE = str(RDF.type)
SKOS_ALT = str(SKOS.altLabel)
NIF_STRING = str(NIF.isString)
THIS = ox.Variable("this")

# The queries of a page. No value is ever pasted into their text: the resource goes in as ?this
# (a pyoxigraph term, by substitution), which a SELECT must therefore project.
EXISTS = """ASK { { GRAPH ?g { ?this ?p ?o } } UNION { GRAPH ?g { ?s ?p ?this } }
                UNION { GRAPH ?this { ?s ?p ?o } } }"""
OUTGOING = "SELECT ?this ?p ?o ?g WHERE { GRAPH ?g { ?this ?p ?o } }"
# Links in, at most 500 of them.
INCOMING = """
SELECT DISTINCT ?this ?s ?p WHERE { GRAPH ?g { ?s ?p ?this } } ORDER BY ?p ?s LIMIT 500"""
STATED = "SELECT ?this ?s ?p ?o WHERE { GRAPH ?this { ?s ?p ?o } }"  # when ?this is a claim
VALUE_DETAILS = "SELECT DISTINCT ?this ?p ?o WHERE { ?this ?p ?o } ORDER BY ?p ?o"
DISAGREEMENTS = """
SELECT ?this ?set ?kind ?prop ?claim ?value WHERE {
  ?set kg:onSubject ?this ; kg:onProperty ?prop ; kg:memberClaim ?claim ; a ?kind .
  FILTER(?kind IN (kg:ConflictSet, kg:VarianceSet))
  OPTIONAL { GRAPH ?claim { ?this ?prop ?value } }
} ORDER BY ?set ?claim ?value"""
# Labels of the resources whose IRI starts with ?prefix (a literal, by substitution).
LABELLED = """
SELECT DISTINCT ?prefix ?s ?l WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel rdfs:label }
  GRAPH ?g { ?s ?p ?l }
  FILTER(STRSTARTS(STR(?s), ?prefix))
}"""


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
    subject: Term | None = None


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
    """A figure or a date range in words: the source's own (kg:phrase, "Nearly 2,000"), else from
    its description ("more than 1960 troops", "2024-04-07 – 2024-04-14")."""
    by = {p.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: o for p, o in details}
    if "phrase" in by:  # the source's own words: "Nearly 2,000", "late 2022"
        return by["phrase"].label
    if "earliest" in by or "latest" in by:  # a date range without words: its days
        return " – ".join(by[k].label if k in by else "…" for k in ("earliest", "latest"))
    if "value" in by:
        amount = by["value"].label
    elif "minValue" in by and "maxValue" in by:
        amount = f"{by['minValue'].label}–{by['maxValue'].label}"
    else:
        amount = next((by[k].label for k in ("minValue", "maxValue") if k in by), "")
    words = [by["approximation"].label if "approximation" in by else "", amount,
             by["unitText"].label if "unitText" in by else ""]
    return " ".join(w for w in words if w) if amount else ""


def as_iri(text: str) -> ox.NamedNode | None:
    """``text`` as an IRI; None when it is not one (a space, a brace, U+FFFD from bad UTF-8)."""
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


class Describer:
    """Reads descriptions of resources out of ``store`` (IRIs under ``base``)."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store = store
        self.base = base
        self.names = Namer(store, base)
        self.evidence = EvidenceReader(store, self.names)

    def _select(self, query: str, **terms: ox.NamedNode | ox.Literal) -> list:
        """The solutions of ``query`` over all graphs, with ``terms`` substituted for the
        variables of their names."""
        subs: Substitutions = {ox.Variable(name): term for name, term in terms.items()}
        return list(solutions(self.store, query, union=True, substitutions=subs,
                              prefixes=VOCABULARY))

    def exists(self, iri: str) -> bool:
        """Whether the dataset mentions ``iri`` (False for a string that is not an IRI at all)."""
        this = as_iri(iri)
        return this is not None and bool(self.store.query(EXISTS, substitutions={THIS: this}))

    def describe(self, iri: str) -> Description:
        this = ox.NamedNode(iri)
        rows = self._select(OUTGOING, this=this)
        incoming_rows = self._select(INCOMING, this=this)
        stated_rows = self._select(STATED, this=this)
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
            for g in sorted(gs, key=natural):
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
            incoming=[(self.names.term(r["s"]), self.names.term(r["p"])) for r in sorted(
                incoming_rows, key=lambda r: (r["p"].value, natural(r["s"].value)))],
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
            rows = self._select(VALUE_DETAILS, this=node)
            self.names.load_labels(iris_in(n for r in rows for n in (r["p"], r["o"])))
            term.details = [(self.names.term(r["p"]), self.names.term(r["o"])) for r in rows]
            if term.label == self.names.fallback_label(node.value):
                term.label = summarize(term.details) or term.label
        return term

    def disagreements(self) -> list[Disagreement]:
        """Every conflict and variance set of the dataset: conflicts first, then by label."""
        found = self._disagreements(None)
        return sorted(found, key=lambda d: (d.kind != "conflict", d.iri.label.lower()))

    def _disagreements(self, iri: str | None) -> list[Disagreement]:
        """The sets on ``iri`` (on any subject when None)."""
        rows = self._select(DISAGREEMENTS, **({} if iri is None else {"this": ox.NamedNode(iri)}))
        sets: dict[str, dict] = {}
        for r in rows:
            entry = sets.setdefault(r["set"].value, {
                "kind": "conflict" if r["kind"].value.endswith("ConflictSet") else "variance",
                "prop": r["prop"], "subject": r["this"], "claims": defaultdict(list)})
            values = entry["claims"][r["claim"].value]
            if r["value"] is not None:
                values.append(r["value"])
        out = []
        for set_iri, entry in sets.items():
            evidence = self.evidence.for_claims(sorted(entry["claims"]))
            self.names.load_labels([set_iri, entry["prop"].value])
            sides = []
            for claim, values in sorted(entry["claims"].items(), key=lambda kv: natural(kv[0])):
                for ev in evidence.get(claim, []) or [self.evidence.bare(claim)]:
                    sides.append(([self._object(v) for v in values], ev))
            out.append(Disagreement(entry["kind"], self.names.term(ox.NamedNode(set_iri)),
                                    self.names.term(entry["prop"]), sides,
                                    self.names.term(entry["subject"])))
        return out

    def suggest(self, path: str, limit: int = 5) -> list[Term]:
        """Resources whose labels share words with the last segment of ``path`` (for a 404)."""
        words = {w for w in re.split(r"[^a-z0-9]+", path.rsplit("/", 1)[-1].lower()) if len(w) > 1}
        if not words:
            return []
        rows = self._select(LABELLED, prefix=ox.Literal(self.base + "id/"))
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
