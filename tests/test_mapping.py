"""Unit tests of the mapping: one claim, its named graph, provenance, evidence and quotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from graph.iris import Minter
from graph.mapping import map_seeds
from graph.namespaces import KG, OA, SCHEMA
from graph.ontology import load_ontology
from graph.seeds import load_seeds
from tests.conftest import EXAMPLE_ARTICLE, ROOT

ID = "https://w3id.org/karabakh-kg/id/"
A = EXAMPLE_ARTICLE


@pytest.fixture(scope="module")
def mapped():
    seeds = load_seeds(ROOT / "seeds", only={A})
    return map_seeds(seeds, load_ontology(ROOT / "ontology"), Minter())


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


def test_each_claim_is_a_named_graph_holding_its_sentence_triples(mapped) -> None:
    g = mapped.dataset.graph(iri(f"claim/{A}/10"))
    assert set(g.objects(iri("agreement/trilateral-statement-2020"), KG.dateSigned)) == {
        Literal("2020-11-10", datatype=XSD.date)
    }
    assert (
        iri("deployment/russian-peacekeepers-karabakh"),
        KG.mandate,
        iri("mandate/russian-peacekeeping-mandate"),
    ) in g


def test_claim_provenance_names_article_mode_speaker_and_evidence(mapped) -> None:
    prov = mapped.dataset.graph(URIRef("https://w3id.org/karabakh-kg/graph/provenance"))
    claim = iri(f"claim/{A}/10")
    assert prov.value(claim, PROV.wasDerivedFrom) == iri(f"article/{A}")
    assert prov.value(claim, PROV.wasAttributedTo) == iri(f"article/{A}")
    assert prov.value(claim, KG.attributionMode) == KG.DirectQuote
    assert prov.value(claim, KG.accordingTo) == iri("person/haji-namazov")
    span = prov.value(claim, KG.evidence)
    assert span == iri(f"span/{A}/10")
    assert prov.value(span, OA.hasSource) == iri(f"article/{A}/text")
    quote, position = iri(f"span/{A}/10-quote"), iri(f"span/{A}/10-position")
    assert set(prov.objects(span, OA.hasSelector)) == {quote, position}
    exact = (
        "According to the trilateral statement of November 10, 2020, the Russian peacekeeping "
        "contingent was supposed to stand between the Azerbaijani and Armenian armed forces."
    )
    assert str(prov.value(quote, OA.exact)) == exact
    assert int(prov.value(position, OA.start)) == 1289
    assert int(prov.value(position, OA.end)) == 1289 + len(exact)
    text = Path(ROOT / "seeds" / "articles" / f"{A}.txt").read_text(encoding="utf-8")
    assert str(prov.value(quote, OA.prefix)) == text[1289 - 32 : 1289]
    assert str(prov.value(quote, OA.suffix)) == text[1289 + len(exact) : 1289 + len(exact) + 32]


def test_quotation_quotes_a_speech_act_with_speaker_and_inferred_date(mapped) -> None:
    g = mapped.dataset.graph(iri(f"claim/{A}/4"))
    quotation, act = iri(f"quotation/{A}/4"), iri(f"speech-act/{A}/4")
    assert (quotation, RDF.type, KG.Quotation) in g
    assert g.value(quotation, KG.quotes) == act
    assert g.value(quotation, SCHEMA.isPartOf) == iri(f"article/{A}")
    assert str(g.value(quotation, SCHEMA.text)).startswith("“The decision to withdraw")
    assert g.value(act, KG.speaker) == iri("person/hikmet-hajiyev")
    assert g.value(act, KG.date) == Literal("2024-04-17", datatype=XSD.date)
    assert g.value(act, KG.dateInferred) == Literal(True)
    assert g.value(act, KG.asserts) == iri(f"claim/{A}/4")


def test_continued_quote_reuses_the_speech_act(mapped) -> None:
    g = mapped.dataset.graph(iri(f"claim/{A}/9"))
    assert g.value(iri(f"quotation/{A}/9"), KG.quotes) == iri(f"speech-act/{A}/8")
    assert (iri(f"speech-act/{A}/8"), KG.asserts, iri(f"claim/{A}/9")) in g


def test_figures_routes_and_roles_get_stable_content_named_iris(mapped) -> None:
    g = mapped.dataset.graph(iri(f"claim/{A}/15"))
    routes = list(g.objects(iri("withdrawal/russian-peacekeepers-karabakh"), KG.route))
    assert len(routes) == 1
    assert str(routes[0]).startswith(ID + f"value/{A}/15-")
    assert g.value(routes[0], KG["from"]) == iri("place/barda")
    again = map_seeds(
        load_seeds(ROOT / "seeds", only={A}), load_ontology(ROOT / "ontology"), Minter()
    )
    assert (
        list(
            again.dataset.graph(iri(f"claim/{A}/15")).objects(
                iri("withdrawal/russian-peacekeepers-karabakh"), KG.route
            )
        )
        == routes
    )


def test_entities_carry_labels_variants_and_verified_wikidata_links(mapped) -> None:
    from rdflib.namespace import SKOS

    g = mapped.dataset.graph(URIRef("https://w3id.org/karabakh-kg/graph/entities"))
    pashinyan = iri("person/nikol-pashinyan")
    assert set(g.objects(pashinyan, SKOS.prefLabel)) == {Literal("Nikol Pashinyan", lang="en")}
    assert Literal("Nikol Pashinian", lang="en") in set(g.objects(pashinyan, SKOS.altLabel))
    assert g.value(pashinyan, SKOS.exactMatch) == URIRef("http://www.wikidata.org/entity/Q7035479")
    assert Literal("Stepanakert", lang="en") in set(
        g.objects(iri("place/khankendi"), SKOS.altLabel)
    )
