"""Every namespace the project uses, bound once. schema: is the http form, as Wikidata uses."""

from __future__ import annotations

from typing import TypeVar

from rdflib import Graph, Namespace
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    XSD,
    ClosedNamespace,
    DefinedNamespace,
)

DEFAULT_BASE = "https://w3id.org/karabakh-kg/"

# Closed: a typo such as KG.dateSinged is an error, not a new IRI. tests/test_ontology_terms.py
# keeps this list equal to the terms kg.ttl declares.
KG_TERMS = [
    "About",
    "Actor",
    "AdministrativeDistrict",
    "Agreement",
    "Announcement",
    "AnyParty",
    "Approximation",
    "Approximations",
    "Article",
    "ArticleText",
    "AtLeast",
    "AtMost",
    "AttributionMode",
    "AttributionModes",
    "Authorial",
    "Automatic",
    "Blockade",
    "ByAir",
    "ByRail",
    "ByRoad",
    "Cancelled",
    "Channel",
    "Channels",
    "CitedSource",
    "Claim",
    "Closure",
    "Commentary",
    "Completed",
    "ConferenceCall",
    "ConflictSet",
    "DateRange",
    "DeminingActivity",
    "Deployment",
    "Description",
    "DirectQuote",
    "Displacement",
    "Establishment",
    "Event",
    "EvidenceSpan",
    "Exact",
    "ExtractionMethod",
    "ExtractionMethods",
    "GovernmentBody",
    "HandOver",
    "Implicit",
    "Mandate",
    "Manual",
    "MediaRemarks",
    "MilitaryOperation",
    "MilitaryUnit",
    "MonitoringCentre",
    "MoreThan",
    "Nearly",
    "NewsOrganization",
    "NewsReport",
    "NotRatified",
    "Organization",
    "PartyScope",
    "PartyScopes",
    "Person",
    "Place",
    "Planned",
    "PressBriefing",
    "Proposed",
    "Provision",
    "Quotation",
    "Ratified",
    "ReferenceKind",
    "ReferenceKinds",
    "ReferentResolution",
    "Region",
    "ReportedSpeech",
    "Road",
    "Route",
    "Settlement",
    "Site",
    "SpeechAct",
    "State",
    "Status",
    "Statuses",
    "Task",
    "TermProvision",
    "TransportMode",
    "TransportModes",
    "Underway",
    "UnnamedSources",
    "Unsigned",
    "VarianceSet",
    "War",
    "WikidataLink",
    "Withdrawal",
    "about",
    "accordingTo",
    "adviserTo",
    "aim",
    "approvedBy",
    "approximation",
    "asserts",
    "attributionMode",
    "authorizedStrength",
    "authorizes",
    "automaticRenewal",
    "belligerent",
    "blockaded",
    "causedBy",
    "causes",
    "channel",
    "citation",
    "cites",
    "closedEntity",
    "concerns",
    "date",
    "dateBasis",
    "dateEffective",
    "dateInferred",
    "dateSigned",
    "dateSignedWithin",
    "dateWithin",
    "decidedBy",
    "definedIn",
    "deployedUnit",
    "displacedCount",
    "duration",
    "earliest",
    "endDate",
    "endDateWithin",
    "ended",
    "endedBy",
    "establishedBy",
    "establishedEntity",
    "establishedUnder",
    "evidence",
    "extractionMethod",
    "from",
    "genre",
    "handedOverBy",
    "handedOverTo",
    "hasProvision",
    "hostState",
    "imposedBy",
    "initialTerm",
    "latest",
    "linkMethod",
    "linkSubject",
    "linkTarget",
    "locatedIn",
    "mandate",
    "mediator",
    "memberClaim",
    "names",
    "notSignedBy",
    "noticeBy",
    "noticeDeadline",
    "ofDeployment",
    "ofState",
    "onProperty",
    "onSubject",
    "operatedBy",
    "party",
    "phrase",
    "proposedBy",
    "publisher",
    "publisherBasis",
    "purpose",
    "quotes",
    "ratificationBody",
    "referenceKind",
    "refersTo",
    "renewalTerm",
    "resolvedReferent",
    "retrievedOn",
    "roleLabel",
    "route",
    "scheduledEnd",
    "scheduledEndWithin",
    "sendingState",
    "sha256",
    "signatory",
    "sourceFile",
    "speaker",
    "spokespersonFor",
    "startDate",
    "startDateWithin",
    "status",
    "strength",
    "task",
    "terminationNotice",
    "territoryOf",
    "text",
    "to",
    "transportMode",
    "underAgreement",
    "via",
    "viaSource",
]
KG = ClosedNamespace(DEFAULT_BASE + "ontology#", KG_TERMS)
KGS = Namespace(DEFAULT_BASE + "shapes#")
SCHEMA = Namespace("http://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
CC = Namespace("http://creativecommons.org/ns#")
# Wikidata's RDF vocabulary beyond wd:/wdt: (full statements, qualifiers, references, ontology).
WD_P = Namespace("http://www.wikidata.org/prop/")
WD_PS = Namespace("http://www.wikidata.org/prop/statement/")
WD_PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
WD_PR = Namespace("http://www.wikidata.org/prop/reference/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")

# The prefixes the Wikidata Query Service predeclares that users of SERVICE to Wikidata expect.
WDQS_PREFIXES: dict[str, str] = {
    "wd": str(WD),
    "wdt": str(WDT),
    "p": str(WD_P),
    "ps": str(WD_PS),
    "pq": str(WD_PQ),
    "wikibase": str(WIKIBASE),
    "schema": str(SCHEMA),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}

# What the SPARQL endpoint predeclares: WDQS's prefixes and the project's own kg:.
ENDPOINT_PREFIXES: dict[str, str] = {**WDQS_PREFIXES, "kg": DEFAULT_BASE + "ontology#"}

# rdflib's own vocabularies (RDF, OWL, ...) are DefinedNamespace classes, not Namespace objects.
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "kg": KG,
    "kgs": KGS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "nif": NIF,
    "time": TIME,
    "org": ORG,
    "foaf": FOAF,
    "schema": SCHEMA,
    "sem": SEM,
    "dcterms": DCTERMS,
    "sh": SH,
    "void": VOID,
    "wd": WD,
    "wdt": WDT,
}

# The same as plain strings: the prefixes the server's queries use (pyoxigraph's ``prefixes=``).
VOCABULARY: dict[str, str] = {p: str(ns) for p, ns in PREFIXES.items()}

# Prefixes for the things the seeds name: person:hikmet-hajiyev -> id/person/hikmet-hajiyev.
ENTITY_TYPES: tuple[str, ...] = (
    "person",
    "state",
    "organization",
    "unit",
    "place",
    "agreement",
    "deployment",
    "withdrawal",
    "event",
    "post",
    "mandate",
    "route",
)


G = TypeVar("G", bound=Graph)


def prefix_map(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Every project prefix, the vocabularies' and one per entity type (person: -> id/person/)."""
    prefixes = dict(VOCABULARY)
    prefixes.update({kind: f"{base}id/{kind}/" for kind in ENTITY_TYPES})
    return prefixes


def bind_all(graph: G, base: str = DEFAULT_BASE) -> G:
    """Bind the project prefixes on ``graph`` (replacing rdflib's https schema: binding)."""
    for prefix, ns in prefix_map(base).items():
        graph.bind(prefix, Namespace(ns), override=True, replace=True)
    return graph


def predeclared_prefixes() -> str:
    """PREFIX lines for WDQS's usual prefixes, to prepend to a user's query (a query may redeclare
    any of them: a later PREFIX wins)."""
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in WDQS_PREFIXES.items())
