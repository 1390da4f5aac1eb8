"""The RDF of a resource page: what its HTML shows, as data. Its statements in the graphs that
hold them (claim graphs, entities, inferred), the links to it, the conflict sets on it, the
provenance of every claim involved (article, attribution, evidence span and selectors), and the
labels of what it links to. A format that holds datasets (TriG, N-Quads, JSON-LD) keeps the graphs;
a triples-only one (Turtle, N-Triples) gets them merged, as the endpoint's default graph is, with
a note naming the dataset formats."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset

from graph.formats import Format
from graph.namespaces import RDF, RDFS, SKOS, prefix_map
from graph.query import as_bytes

MAX_INCOMING = 500  # links to the resource, as the page shows them
LABELS = (ox.NamedNode(str(SKOS.prefLabel)), ox.NamedNode(str(RDFS.label)))
RDF_TYPE = ox.NamedNode(str(RDF.type))


class ResourceRdf:
    """Collects the quads of one resource's description from ``store`` (IRIs under ``base``)."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store = store
        self.base = base
        self.provenance = ox.NamedNode(base + "graph/provenance")
        self.conflicts = ox.NamedNode(base + "graph/conflicts")
        self.kg = base + "ontology#"

    def _is_claim(self, graph: object) -> bool:
        return isinstance(graph, ox.NamedNode) and graph.value.startswith(self.base + "id/claim/")

    def quads(self, iri: str) -> list[ox.Quad]:
        """Every quad the description holds, sorted, without duplicates."""
        this = ox.NamedNode(iri)
        quads = set(self.store.quads_for_pattern(this, None, None, None))
        incoming = sorted(self.store.quads_for_pattern(None, None, this, None), key=str)
        quads.update(incoming[:MAX_INCOMING])
        quads.update(self.store.quads_for_pattern(None, None, None, this))  # a claim's statements
        on_this = ox.NamedNode(self.kg + "onSubject")
        for found in self.store.quads_for_pattern(None, on_this, this, self.conflicts):
            quads.update(self.store.quads_for_pattern(found.subject, None, None, self.conflicts))
        member = ox.NamedNode(self.kg + "memberClaim")
        nodes = [q.graph_name for q in quads] + [q.object for q in quads if q.predicate == member]
        claims = {n for n in [*nodes, this] if isinstance(n, ox.NamedNode) and self._is_claim(n)}
        for claim in sorted(claims, key=str):
            quads.update(self._provenance(claim))
        quads.update(self._labels({t for q in quads for t in (q.subject, q.object)
                                   if isinstance(t, ox.NamedNode) and t != this}))
        return sorted(quads, key=str)

    def _provenance(self, claim: ox.NamedNode) -> set[ox.Quad]:
        """The claim's provenance triples and those of the nodes minted for it (its evidence span
        and selectors, its referents): IRIs under id/span/ or under the claim's own IRI."""
        out: set[ox.Quad] = set()
        todo, seen = [claim], {claim}
        while todo:
            node = todo.pop()
            for quad in self.store.quads_for_pattern(node, None, None, self.provenance):
                out.add(quad)
                obj = quad.object
                if isinstance(obj, ox.NamedNode) and obj not in seen and (
                        obj.value.startswith(self.base + "id/span/")
                        or obj.value.startswith(claim.value + "/")):
                    seen.add(obj)
                    todo.append(obj)
        return out

    def _labels(self, nodes: set[ox.NamedNode]) -> set[ox.Quad]:
        return {q for node in nodes for label in LABELS
                for q in self.store.quads_for_pattern(node, label, None, None)}


def prefixes(base: str, quads: list[ox.Quad]) -> dict[str, str]:
    """The project's prefixes that ``quads`` use."""
    iris = {t.value for q in quads for t in (q.subject, q.predicate, q.object, q.graph_name)
            if isinstance(t, ox.NamedNode)}
    return {p: ns for p, ns in prefix_map(base).items()
            if any(i.startswith(ns) and "/" not in i[len(ns):] for i in iris)}


def serialize(quads: list[ox.Quad], fmt: Format, base: str, dataset_url: str) -> bytes:
    """The description in ``fmt``: a dataset, or merged triples with a note (``dataset_url``
    names where the graphs are kept)."""
    used = prefixes(base, quads)
    if fmt.key == "jsonld":
        return _json_ld(quads, used)
    if fmt.rdf.supports_datasets:
        return as_bytes(ox.serialize(quads, format=fmt.rdf,
                                     prefixes=used if fmt.key == "trig" else None))
    triples = sorted({q.triple for q in quads}, key=str)
    note = (f"# All graphs merged. Which claim states what, and who says so (the named graphs "
            f"and their provenance): {dataset_url}.trig or {dataset_url}.nq\n")
    body = as_bytes(ox.serialize(triples, format=fmt.rdf,
                                 prefixes=used if fmt.key == "ttl" else None))
    return note.encode("utf-8") + body


def _json_ld(quads: list[ox.Quad], used: dict[str, str]) -> bytes:
    """JSON-LD with an @context of the project's prefixes, each graph named (rdflib compacts;
    pyoxigraph writes full IRIs only)."""
    dataset = Dataset()
    dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    text = dataset.serialize(format="json-ld", context=dict(sorted(used.items())),
                             auto_compact=True)
    return text.encode("utf-8")
