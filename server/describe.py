"""What the endpoint says about itself: the SPARQL service description and the VoID description."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import namespace

from graph.formats import GRAPH, SOLUTIONS, Format, of_kind
from graph.query import solutions
from server.store import KGStore

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = str(namespace.VOID)
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode(str(namespace.RDF.type))
DCT = str(namespace.DCTERMS)
PREFIXES = {"sd": SD, "void": VOID, "formats": FORMATS, "dcterms": DCT,
            "skos": str(namespace.SKOS)}



def _format_iri(fmt: Format) -> str:
    """The format's IRI in the W3C formats namespace (pyoxigraph names JSON-LD by a newer one)."""
    iri = fmt.engine.iri if fmt.engine is not None else ""
    return iri if iri.startswith(FORMATS) else FORMATS + iri.rsplit("/", 1)[-1]


RESULT_FORMATS = [_format_iri(f) for f in of_kind(SOLUTIONS) + of_kind(GRAPH)]
# Named graphs listed one by one, beyond the system graphs; the rest are summed up.
MAX_LISTED_GRAPHS = 100


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(str(namespace.XSD.integer)))


@dataclass(frozen=True)
class Counts:
    """Triples per named graph and in the default graph (as queries see it); entities per class
    and quads per property (VoID's partitions); links to Wikidata."""

    default: int
    graphs: dict[str, int]
    quads: int
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    wikidata_links: int = 0


LICENSE = "https://creativecommons.org/licenses/by/4.0/"  # as the footer of every page says
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
WIKIDATA = "https://www.wikidata.org/"  # the dataset the links point into
SKOS_EXACT = str(namespace.SKOS.exactMatch)


def counts(kg: KGStore) -> Counts:
    """Count triples per named graph and in the query default graph (cached on the store)."""
    return kg.memo("describe.counts", lambda: _counts(kg))


def _counts(kg: KGStore) -> Counts:
    graphs = {row["g"].value: int(row["n"].value) for row in solutions(
        kg.store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    default = solutions(kg.store,
                        "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                        union=kg.union)
    # Over every quad, the default graph's too, as the dataset's void:triples counts them.
    properties = Counter(q.predicate.value for q in kg.store)
    typed = {(q.subject, q.object.value) for q in kg.store.quads_for_pattern(None, RDF_TYPE, None)
             if isinstance(q.object, ox.NamedNode)}
    classes = Counter(cls for _, cls in typed)
    links = {(q.subject, q.object) for q in kg.store.quads_for_pattern(None, _n(SKOS_EXACT), None)
             if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(WIKIDATA_ENTITY)}
    return Counts(int(next(iter(default))["n"].value), dict(sorted(graphs.items())),
                  len(kg), dict(sorted(classes.items())),
                  dict(sorted(properties.items())), len(links))


def _split(graphs: dict[str, int], base_iri: str) -> tuple[dict[str, int], dict[str, int]]:
    """(graphs listed one by one, claim graphs summed up)."""
    claims_prefix = base_iri + "id/claim/"
    claims = {g: n for g, n in graphs.items() if g.startswith(claims_prefix)}
    listed = {g: n for g, n in graphs.items() if g not in claims}
    if len(listed) > MAX_LISTED_GRAPHS:
        system = base_iri + "graph/"
        listed = {g: n for g, n in listed.items() if g.startswith(system)}
        claims = {g: n for g, n in graphs.items() if g not in listed}
    return listed, claims


def service_description(kg: KGStore, endpoint: str, base_iri: str, federated: bool,
                        writable: bool = False) -> list:
    """The sd:Service at ``endpoint``, with its dataset and the graph sizes."""
    svc, ds, dg = _n(endpoint), ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    t = [ox.Triple(svc, RDF_TYPE, _n(SD + "Service")),
         ox.Triple(svc, _n(SD + "endpoint"), svc),
         ox.Triple(svc, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
         ox.Triple(svc, _n(SD + "defaultEntailmentRegime"),
                   _n("http://www.w3.org/ns/entailment/Simple")),
         ox.Triple(svc, _n(SD + "defaultDataset"), ds),
         ox.Triple(ds, RDF_TYPE, _n(SD + "Dataset")),
         ox.Triple(ds, _n(SD + "defaultGraph"), dg),
         ox.Triple(dg, RDF_TYPE, _n(SD + "Graph"))]
    t += [ox.Triple(svc, _n(SD + "resultFormat"), _n(f)) for f in RESULT_FORMATS]
    if writable:
        t.append(ox.Triple(svc, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    if kg.union:
        t.append(ox.Triple(svc, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")))
    if federated:
        t.append(ox.Triple(svc, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    c = counts(kg)
    t.append(ox.Triple(dg, _n(VOID + "triples"), _int(c.default)))
    listed, claims = _split(c.graphs, base_iri)
    for i, (graph, n) in enumerate(listed.items()):
        ng, g = ox.BlankNode(f"ng{i}"), ox.BlankNode(f"g{i}")
        t += [ox.Triple(ds, _n(SD + "namedGraph"), ng),
              ox.Triple(ng, RDF_TYPE, _n(SD + "NamedGraph")),
              ox.Triple(ng, _n(SD + "name"), _n(graph)),
              ox.Triple(ng, _n(SD + "graph"), g),
              ox.Triple(g, RDF_TYPE, _n(SD + "Graph")),
              ox.Triple(g, _n(VOID + "triples"), _int(n))]
    if claims:
        t.append(ox.Triple(ds, _n(DCT + "description"), ox.Literal(
            f"{len(listed) + len(claims)} named graphs: those listed, and {len(claims)} claim "
            f"graphs (one per claim, named by the claim IRI) holding {sum(claims.values())} "
            "triples")))
    return t


def void_description(kg: KGStore, site: str, base_iri: str) -> list:
    """The VoID description of the dataset: totals, license, system graphs and claims as
    subsets, class and property partitions, and the linkset to Wikidata."""
    dataset = _n(base_iri + "dataset")
    c = counts(kg)
    t = [ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")),
         ox.Triple(dataset, _n(DCT + "title"), ox.Literal("Karabakh KG")),
         ox.Triple(dataset, _n(DCT + "license"), _n(LICENSE)),
         ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), _n(site + "sparql")),
         ox.Triple(dataset, _n(VOID + "dataDump"), _n(site + "dump")),
         ox.Triple(dataset, _n(VOID + "uriSpace"), ox.Literal(base_iri + "id/")),
         ox.Triple(dataset, _n(VOID + "triples"), _int(c.quads)),
         ox.Triple(dataset, _n(VOID + "feature"), _n(FORMATS + "N-Quads"))]
    listed, claims = _split(c.graphs, base_iri)
    for graph, n in listed.items():
        subset = _n(graph)
        t += [ox.Triple(dataset, _n(VOID + "subset"), subset),
              ox.Triple(subset, RDF_TYPE, _n(VOID + "Dataset")),
              ox.Triple(subset, _n(SD + "name"), subset),
              ox.Triple(subset, _n(VOID + "triples"), _int(n))]
    if claims:
        subset = _n(base_iri + "dataset/claims")
        t += [ox.Triple(dataset, _n(VOID + "subset"), subset),
              ox.Triple(subset, RDF_TYPE, _n(VOID + "Dataset")),
              ox.Triple(subset, _n(DCT + "title"), ox.Literal("Claims")),
              ox.Triple(subset, _n(DCT + "description"), ox.Literal(
                  f"{len(claims)} claim graphs, one per claim, each named by the claim IRI")),
              ox.Triple(subset, _n(VOID + "triples"), _int(sum(claims.values())))]
    return t + _partitions(dataset, c) + _linkset(dataset, c, base_iri)


def _partitions(dataset: ox.NamedNode, c: Counts) -> list:
    """void:classPartition (entities per class) and void:propertyPartition (triples per
    property, each quad counted, as the dataset's void:triples counts them)."""
    t = []
    for i, (cls, n) in enumerate(c.classes.items()):
        part = ox.BlankNode(f"class{i}")
        t += [ox.Triple(dataset, _n(VOID + "classPartition"), part),
              ox.Triple(part, _n(VOID + "class"), _n(cls)),
              ox.Triple(part, _n(VOID + "entities"), _int(n))]
    for i, (prop, n) in enumerate(c.properties.items()):
        part = ox.BlankNode(f"property{i}")
        t += [ox.Triple(dataset, _n(VOID + "propertyPartition"), part),
              ox.Triple(part, _n(VOID + "property"), _n(prop)),
              ox.Triple(part, _n(VOID + "triples"), _int(n))]
    return t


def _linkset(dataset: ox.NamedNode, c: Counts, base_iri: str) -> list:
    """The links to Wikidata (skos:exactMatch, DESIGN.md 6) as a void:Linkset."""
    if not c.wikidata_links:
        return []
    links, wikidata = _n(base_iri + "dataset/wikidata-links"), _n(WIKIDATA)
    return [ox.Triple(dataset, _n(VOID + "subset"), links),
            ox.Triple(links, RDF_TYPE, _n(VOID + "Linkset")),
            ox.Triple(links, _n(DCT + "title"), ox.Literal("Links to Wikidata")),
            ox.Triple(links, _n(VOID + "subjectsTarget"), dataset),
            ox.Triple(links, _n(VOID + "objectsTarget"), wikidata),
            ox.Triple(links, _n(VOID + "linkPredicate"), _n(SKOS_EXACT)),
            ox.Triple(links, _n(VOID + "triples"), _int(c.wikidata_links)),
            ox.Triple(wikidata, RDF_TYPE, _n(VOID + "Dataset")),
            ox.Triple(wikidata, _n(DCT + "title"), ox.Literal("Wikidata")),
            ox.Triple(wikidata, _n(VOID + "uriSpace"), ox.Literal(WIKIDATA_ENTITY))]
