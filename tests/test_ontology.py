"""The ontology (kg.ttl + imports.ttl) and the SHACL shapes: well-formed, documented, consistent."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
KG_TTL = ONTOLOGY_DIR / "kg.ttl"
IMPORTS_TTL = ONTOLOGY_DIR / "imports.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"

KG = Namespace("https://w3id.org/karabakh-kg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/karabakh-kg/ontology")
IMPORTS_IRI = URIRef("https://w3id.org/karabakh-kg/ontology/imports")
VERSION_PREFIX = "https://w3id.org/karabakh-kg/ontology/"

# Namespaces whose terms kg.ttl may build on; each such term must be declared in imports.ttl.
EXTERNAL = (
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
    "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "http://schema.org/",
    "http://www.w3.org/ns/oa#",
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "http://www.w3.org/2006/time#",
    "http://www.w3.org/2004/02/skos/core#",
)
DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    SKOS.Concept,
    SKOS.ConceptScheme,
)


@pytest.fixture(scope="module")
def kg() -> Graph:
    return Graph().parse(KG_TTL)


@pytest.fixture(scope="module")
def imports() -> Graph:
    return Graph().parse(IMPORTS_TTL)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL)


@pytest.fixture(scope="module")
def ontology(kg: Graph, imports: Graph) -> Graph:
    return kg + imports


def kg_terms(kg: Graph) -> set[URIRef]:
    return {s for s in kg.subjects() if isinstance(s, URIRef) and s.startswith(str(KG))}


def kg_classes(kg: Graph) -> set[URIRef]:
    return {c for c in kg.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c in KG}


def external(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(EXTERNAL)


# --- files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [KG_TTL, IMPORTS_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_file_parses(path: Path) -> None:
    assert len(Graph().parse(path)) > 0


def test_no_https_schema_org_anywhere(kg: Graph, imports: Graph, shapes: Graph) -> None:
    for path in (KG_TTL, IMPORTS_TTL):
        assert "https://schema.org" not in path.read_text(encoding="utf-8"), path.name
    for graph in (kg, imports, shapes):
        for triple in graph:
            for term in triple:
                if isinstance(term, URIRef):
                    assert not str(term).startswith("https://schema.org/"), triple


# --- header and versioning ------------------------------------------------------------------------


def test_header_and_version_consistent(kg: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in kg
    infos = list(kg.objects(ONTOLOGY_IRI, OWL.versionInfo))
    version_iris = list(kg.objects(ONTOLOGY_IRI, OWL.versionIRI))
    assert len(infos) == 1 and len(version_iris) == 1
    version = str(infos[0])
    parts = version.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts), f"not semver: {version}"
    assert str(version_iris[0]) == VERSION_PREFIX + version
    assert (ONTOLOGY_IRI, OWL.imports, IMPORTS_IRI) in kg


def test_imports_module_has_its_own_iri(imports: Graph) -> None:
    assert (IMPORTS_IRI, RDF.type, OWL.Ontology) in imports


def test_all_files_share_one_version(kg: Graph, imports: Graph, shapes: Graph) -> None:
    versions = {
        str(v)
        for graph in (kg, imports, shapes)
        for ont in graph.subjects(RDF.type, OWL.Ontology)
        for v in graph.objects(ont, OWL.versionInfo)
    }
    assert len(versions) == 1, versions


@pytest.mark.parametrize("path", [KG_TTL, IMPORTS_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_schema_prefix_is_http(path: Path) -> None:
    graph = Graph(bind_namespaces="none").parse(path)
    assert dict(graph.namespaces())["schema"] == URIRef("http://schema.org/")


# --- documentation of terms -----------------------------------------------------------------------


def test_every_kg_term_is_documented(kg: Graph) -> None:
    missing = []
    for term in sorted(kg_terms(kg)):
        labels = [x for x in kg.objects(term, RDFS.label) if isinstance(x, Literal)]
        definitions = [x for x in kg.objects(term, SKOS.definition) if isinstance(x, Literal)]
        if not any(x.language == "en" for x in labels):
            missing.append(f"{term}: rdfs:label@en")
        if not any(x.language == "en" for x in definitions):
            missing.append(f"{term}: skos:definition@en")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in kg:
            missing.append(f"{term}: rdfs:isDefinedBy")
        if not any((term, RDF.type, t) in kg for t in TERM_TYPES):
            missing.append(f"{term}: no declaration (class, property or individual)")
    assert not missing, "\n".join(missing)


def test_every_kg_iri_used_is_defined(kg: Graph, shapes: Graph) -> None:
    defined = kg_terms(kg)
    used = {
        term
        for graph in (kg, shapes)
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and term in KG
    }
    assert not used - defined, sorted(used - defined)


def test_concepts_are_in_their_scheme(kg: Graph) -> None:
    for concept_class, scheme in (
        (KG.AttributionMode, KG.AttributionModes),
        (KG.Approximation, KG.Approximations),
        (KG.Status, KG.Statuses),
        (KG.TransportMode, KG.TransportModes),
        (KG.ReferenceKind, KG.ReferenceKinds),
        (KG.PartyScope, KG.PartyScopes),
        (KG.Channel, KG.Channels),
    ):
        members = set(kg.subjects(RDF.type, concept_class))
        assert members, concept_class
        for member in members:
            assert (member, RDF.type, SKOS.Concept) in kg
            assert (member, SKOS.inScheme, scheme) in kg
            assert list(kg.objects(member, SKOS.prefLabel)), member


def test_property_characteristics(kg: Graph) -> None:
    assert (KG.locatedIn, RDF.type, OWL.TransitiveProperty) in kg
    for a, b in (
        (KG.underAgreement, KG.authorizes),
        (KG.ended, KG.endedBy),
        (KG.causes, KG.causedBy),
    ):
        assert (a, OWL.inverseOf, b) in kg or (b, OWL.inverseOf, a) in kg
    assert not list(kg.subjects(RDF.type, OWL.FunctionalProperty))


def test_external_super_terms_are_declared_in_imports(kg: Graph, imports: Graph) -> None:
    supers = {
        o for p in (RDFS.subClassOf, RDFS.subPropertyOf) for o in kg.objects(None, p) if external(o)
    }
    assert supers, "kg.ttl builds on no external term?"
    missing = [
        str(term)
        for term in sorted(supers)
        if not any((term, RDF.type, t) in imports for t in DECLARATION_TYPES)
        or not list(imports.objects(term, RDFS.label))
    ]
    assert not missing, "declare (with a label) in imports.ttl: " + ", ".join(missing)


def test_external_classes_in_shapes_are_declared(ontology: Graph, shapes: Graph) -> None:
    used = {
        o for p in (SH.targetClass, SH["class"]) for o in shapes.objects(None, p) if external(o)
    }
    missing = [str(c) for c in sorted(used) if (c, RDF.type, OWL.Class) not in ontology]
    assert not missing, missing


# --- shapes ---------------------------------------------------------------------------------------


def test_every_kg_class_has_a_node_shape(kg: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    missing = sorted(kg_classes(kg) - targeted)
    assert not missing, missing
    for target in (
        URIRef("http://www.w3.org/ns/org#Membership"),
        URIRef("http://schema.org/QuantitativeValue"),
    ):
        assert target in targeted
    for shape in shapes.subjects(SH.targetClass, None):
        assert (shape, RDF.type, SH.NodeShape) in shapes, shape


def test_every_shape_and_constraint_has_a_message(shapes: Graph) -> None:
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.subjects(SH.path, None))
    nodes |= set(shapes.objects(None, SH.sparql))
    assert nodes
    missing = [str(n) for n in nodes if not list(shapes.objects(n, SH.message))]
    assert not missing, f"{len(missing)} shapes without sh:message"


VALID = """
@prefix kg: <https://w3id.org/karabakh-kg/ontology#> .
@prefix id: <https://w3id.org/karabakh-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix schema: <http://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .

id:state-russia a kg:State ; skos:prefLabel "Russia"@en, "Россия"@ru ;
    skos:altLabel "Russian Federation"@en ;
    skos:exactMatch <http://www.wikidata.org/entity/Q159> .
id:state-azerbaijan a kg:State ; skos:prefLabel "Azerbaijan"@en .
id:person-hikmet-hajiyev a kg:Person ; skos:prefLabel "Hikmet Hajiyev"@en ;
    kg:adviserTo id:state-azerbaijan .
id:unit-contingent a kg:MilitaryUnit ; skos:prefLabel "Russian peacekeeping contingent"@en .
id:place-khankendi a kg:Settlement ; skos:prefLabel "Khankendi"@en ;
    skos:altLabel "Stepanakert"@en ; kg:locatedIn id:place-karabakh .
id:place-karabakh a kg:Region ; skos:prefLabel "Karabakh"@en .
id:agreement-statement a kg:Agreement ; skos:prefLabel "Trilateral statement"@en ;
    kg:party id:state-russia, id:state-azerbaijan ;
    kg:dateSigned "2020-11-09"^^xsd:date, "2020-11-10"^^xsd:date ;
    kg:hasProvision id:value-term .
id:value-term a kg:TermProvision ; kg:initialTerm "P5Y"^^xsd:duration ;
    kg:automaticRenewal true .
id:deployment-d a kg:Deployment ; skos:prefLabel "Deployment"@en ;
    kg:hostState id:state-azerbaijan ; kg:sendingState id:state-russia ;
    kg:deployedUnit id:unit-contingent ; kg:underAgreement id:agreement-statement ;
    kg:startDate "2020-11"^^xsd:gYearMonth ; kg:scheduledEnd "2025"^^xsd:gYear ;
    kg:strength id:value-s ; sem:hasPlace id:place-karabakh ; kg:status kg:Completed ;
    kg:scheduledEndWithin id:value-r .
id:value-s a schema:QuantitativeValue ; schema:minValue 1800 ; schema:maxValue 1999 ;
    kg:approximation kg:Nearly ; kg:phrase "Nearly 2,000"@en .
id:value-r a kg:DateRange ; kg:earliest "2025-11-01"^^xsd:date ;
    kg:approximation kg:AtLeast ; kg:phrase "at least until November 2025"@en .
id:membership-m a org:Membership ; org:member id:person-hikmet-hajiyev ;
    org:organization id:state-azerbaijan ; kg:roleLabel "assistant to the President"@en .
id:article-a a kg:Article ; kg:text id:article-a-text ; kg:sourceFile "000.txt" ;
    schema:datePublished "2024-04-17"^^xsd:date .
id:article-a-text a kg:ArticleText ; nif:isString "Peacekeepers are leaving." .
id:speech-act-a-1 a kg:SpeechAct ; kg:speaker id:person-hikmet-hajiyev ;
    kg:date "2024-04-17"^^xsd:date ; kg:dateInferred true ; kg:asserts id:claim-a-1 .
id:quotation-a-1 a kg:Quotation ; schema:text "Peacekeepers are leaving." ;
    kg:quotes id:speech-act-a-1 ; schema:isPartOf id:article-a .
id:claim-a-1 a kg:Claim ; prov:wasDerivedFrom id:article-a ;
    kg:attributionMode kg:DirectQuote ; kg:accordingTo id:person-hikmet-hajiyev ;
    kg:extractionMethod kg:Manual ; kg:evidence id:span-a-1 .
id:span-a-1 a kg:EvidenceSpan ; oa:hasSource id:article-a-text ;
    oa:hasSelector id:span-a-1-quote, id:span-a-1-position .
id:span-a-1-quote a oa:TextQuoteSelector ; oa:exact "Peacekeepers" .
id:span-a-1-position a oa:TextPositionSelector ;
    oa:start "0"^^xsd:nonNegativeInteger ; oa:end "12"^^xsd:nonNegativeInteger .
"""


def run_shacl(data_ttl: str, ontology: Graph, shapes: Graph) -> tuple[bool, str, str]:
    """Validate like the build does: data with the ontology mixed in, no inference.

    Returns (conforms, report text, the sh:resultMessage values joined by newlines); assertions
    look at the messages, since the report text also prints whole source shapes.
    """
    data = Graph().parse(data=data_ttl, format="turtle")
    conforms, report, text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=False
    )
    messages = "\n".join(sorted(str(m) for m in report.objects(None, SH.resultMessage)))
    return bool(conforms), str(text), messages


def test_valid_data_conforms(ontology: Graph, shapes: Graph) -> None:
    conforms, text, _messages = run_shacl(VALID, ontology, shapes)
    assert conforms, text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "kg:hostState id:state-azerbaijan ;",
            "",
            "A deployment needs a host state (kg:hostState) that is a kg:State",
            id="missing-host-state",
        ),
        pytest.param(
            '"2020-11-10"^^xsd:date',
            '"10 November 2020"',
            "kg:dateSigned must be an xsd:date, xsd:gYearMonth or xsd:gYear literal",
            id="date-as-string",
        ),
        pytest.param(
            "kg:extractionMethod kg:Manual ;",
            "",
            "A claim needs exactly one extraction method (kg:extractionMethod)",
            id="claim-without-extraction-method",
        ),
        pytest.param(
            "kg:extractionMethod kg:Manual ;",
            "kg:extractionMethod kg:Authorial ;",
            "kg:Manual (curated) or kg:Automatic (a draft)",
            id="claim-with-another-concept-as-extraction-method",
        ),
        pytest.param(
            "kg:approximation kg:Nearly",
            "kg:approximation kg:Roughly",
            "A figure needs exactly one hedge (kg:approximation)",
            id="unknown-approximation",
        ),
        pytest.param(
            "schema:minValue 1800 ; schema:maxValue 1999 ;",
            "schema:value 2000 ;",
            "a hedged one has no schema:value, only the bounds its hedge allows",
            id="hedged-figure-with-a-value",
        ),
        pytest.param(
            'kg:phrase "Nearly 2,000"@en',
            'kg:phrase "Nearly 2,000"',
            "A figure needs exactly one kg:phrase",
            id="figure-phrase-without-language",
        ),
        pytest.param(
            "schema:minValue 1800 ;",
            "schema:minValue 2100 ;",
            "at most one lower bound (schema:minValue), and it is not greater",
            id="figure-bounds-crossed",
        ),
        pytest.param(
            'kg:earliest "2025-11-01"^^xsd:date ;',
            'kg:earliest "2025-11-01"^^xsd:date ; kg:latest "2025-10-31"^^xsd:date ;',
            "no later than its last day (kg:latest)",
            id="date-range-bounds-crossed",
        ),
        pytest.param(
            'kg:earliest "2025-11-01"^^xsd:date ;',
            'kg:earliest "2025-11"^^xsd:gYearMonth ;',
            "A date range has at most one first day (kg:earliest), an xsd:date",
            id="date-range-bound-not-a-day",
        ),
        pytest.param(
            "kg:scheduledEndWithin id:value-r .",
            "kg:scheduledEndWithin id:value-s .",
            "kg:scheduledEndWithin must point to a kg:DateRange",
            id="date-range-property-to-a-figure",
        ),
        pytest.param(
            "<http://www.wikidata.org/entity/Q159>",
            "<https://www.wikidata.org/wiki/Q159>",
            "skos:exactMatch must be an IRI of the form",
            id="wikidata-link-not-entity-iri",
        ),
        pytest.param(
            "id:span-a-1-quote, ",
            "",
            "exactly two selectors (oa:hasSelector)",
            id="span-missing-quote-selector",
        ),
        pytest.param(
            'skos:prefLabel "Azerbaijan"@en .',
            'skos:prefLabel "Azerbaijan"@en, "Republic of Azerbaijan"@en .',
            "at most one per language",
            id="two-labels-one-language",
        ),
        pytest.param(
            'skos:prefLabel "Azerbaijan"@en .',
            'skos:prefLabel "Azerbaijan"@en ; kg:aim [ a kg:Task ; skos:prefLabel "win"@en ] .',
            "An aim (kg:aim) is stated wrongly, or on something that is not an event.",
            id="aim-on-a-state",
        ),
    ],
)
def test_broken_data_is_reported(
    ontology: Graph, shapes: Graph, old: str, new: str, message: str
) -> None:
    assert old in VALID, old
    conforms, text, messages = run_shacl(VALID.replace(old, new, 1), ontology, shapes)
    assert not conforms
    assert message in messages, text


def test_an_https_schema_org_iri_is_caught_by_its_quality_check() -> None:
    """The rule has one home, queries/checks/https-schema-violation.rq, which the build runs
    over every graph (as a SPARQL constraint in pySHACL it took two thirds of validation)."""
    import pyoxigraph as ox

    broken = VALID.replace('schema:text "Peacekeepers are leaving." ;',
                           'schema:text "Peacekeepers are leaving." ; '
                           'a <https://schema.org/Quotation> ;', 1)
    store = ox.Store()
    store.load(broken.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    check = (ROOT / "queries" / "checks" / "https-schema-violation.rq").read_text(encoding="utf-8")
    found = [r["iri"].value for r in store.query(check, use_default_graph_as_union=True)]
    assert found == ["https://schema.org/Quotation"]
    valid = ox.Store()
    valid.load(VALID.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    assert list(valid.query(check, use_default_graph_as_union=True)) == []


def test_broken_data_reports_every_problem(ontology: Graph, shapes: Graph) -> None:
    broken = VALID.replace("kg:hostState id:state-azerbaijan ;", "").replace(
        '"2020-11-10"^^xsd:date', '"2020-11-10T00:00:00"^^xsd:dateTime'
    )
    conforms, text, messages = run_shacl(broken, ontology, shapes)
    assert not conforms
    assert "A deployment needs a host state (kg:hostState) that is a kg:State" in messages, text
    assert "kg:dateSigned must be an xsd:date, xsd:gYearMonth or xsd:gYear literal" in messages, (
        text
    )
