"""Statements, cited sources and the links named in the texts: how the seeds map them (0.2.0)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph.iris import Minter
from graph.mapping import map_seeds
from graph.namespaces import KG, SCHEMA, SEM
from graph.ontology import load_ontology
from graph.seeds import load_seeds
from tests.conftest import ROOT
from tests.test_bad_input import ARTICLE, assert_error, edit, line_of, run_build

ID = "https://w3id.org/karabakh-kg/id/"
AZEMEDIA = "azemedia-2024-04-22-contingent-leaves-karabakh"
EU_US = "unattributed-2024-04-18-eu-us-react-to-withdrawal"
PROVENANCE = URIRef("https://w3id.org/karabakh-kg/graph/provenance")


@pytest.fixture(scope="module")
def mapped():
    seeds = load_seeds(ROOT / "seeds", only={AZEMEDIA, EU_US})
    return map_seeds(seeds, load_ontology(ROOT / "ontology"), Minter())


def iri(path: str) -> URIRef:
    return URIRef(ID + path)


def test_one_briefing_is_one_statement_whatever_sentence_describes_it(mapped) -> None:
    """Patel's briefing: claim 25's sentence says where, when and how (act:27 in its facts);
    claim 27 reports what he reminded (statement:), claims 28 and 29 quote him."""
    act = iri(f"speech-act/{EU_US}/27")
    union = mapped.asserted()
    assert union.value(act, KG.speaker) == iri("person/vedant-patel")
    assert union.value(act, KG.channel) == KG.PressBriefing
    assert union.value(act, SEM.hasPlace) == iri("place/washington")
    assert union.value(act, KG.date) == Literal("2024-04-17", datatype=XSD.date)
    assert {c for c in union.objects(act, KG.asserts)} == {
        iri(f"claim/{EU_US}/{n}") for n in (27, 28, 29)}
    # the sentence that describes the briefing holds those triples in its own claim graph
    assert (act, KG.channel, KG.PressBriefing) in mapped.dataset.graph(iri(f"claim/{EU_US}/25"))
    for n in (28, 29):
        assert union.value(iri(f"quotation/{EU_US}/{n}"), KG.quotes) == act
    # and there is no second statement by Patel
    assert set(union.subjects(KG.speaker, iri("person/vedant-patel"))) == {act}


def test_a_reported_statement_asserts_its_claim_with_date_channel_and_relay(mapped) -> None:
    act, claim = iri(f"speech-act/{AZEMEDIA}/21"), iri(f"claim/{AZEMEDIA}/21")
    g = mapped.dataset.graph(claim)
    assert (act, RDF.type, KG.SpeechAct) in g and (act, KG.asserts, claim) in g
    assert g.value(act, KG.speaker) == iri("organization/turkish-ministry-of-defence")
    assert g.value(act, KG.channel) == KG.Announcement
    assert g.value(act, KG.date) == Literal("2024-04-18", datatype=XSD.date)
    assert (claim, KG.viaSource, iri("organization/apa")) in mapped.provenance


def test_a_cited_source_is_one_resource_per_publisher_and_date(mapped) -> None:
    p = mapped.provenance
    tass, edm = iri("source/tass-2020-12-02"), iri("source/jamestown-foundation-2021-01-22")
    assert (tass, RDF.type, KG.CitedSource) in p
    assert p.value(tass, SCHEMA.publisher) == iri("organization/tass")
    assert p.value(tass, SCHEMA.datePublished) == Literal("2020-12-02", datatype=XSD.date)
    assert set(p.subjects(KG.cites, tass)) == {iri(f"claim/{AZEMEDIA}/{n}") for n in (3, 4)}
    assert set(p.subjects(RDFS.seeAlso, edm)) == {iri(f"claim/{AZEMEDIA}/{n}") for n in (3, 4)}
    assert not list(p.subjects(KG.cites, edm))
    # both agencies the citation names relay the claim
    assert set(p.objects(iri(f"claim/{AZEMEDIA}/3"), KG.viaSource)) == {
        iri("organization/interfax"), iri("organization/tass")}


def test_the_territory_of_a_state_is_linked_to_the_state(mapped) -> None:
    assert (iri("place/azerbaijan-territory"), KG.territoryOf,
            iri("state/azerbaijan")) in mapped.entities
    assert (iri("place/tskhinvali-region"), KG.territoryOf,
            iri("state/south-ossetia")) in mapped.entities


# --- bad input -----------------------------------------------------------------------------------


def test_act_of_a_claim_without_its_own_statement_names_the_line(
        small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "      act:8 kg:channel kg:Commentary ;", "      act:9 kg:channel kg:Commentary ;")
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, "act:9 kg:channel"),
                 "claim 7: act:9 is not a statement of this article")


def test_a_statement_block_needs_a_reported_speech_claim(small_seeds: Path, tmp_path: Path):
    path = small_seeds / ARTICLE
    edit(path, "    mode: ReportedSpeech\n    according_to: person/dmitry-peskov\n    statement:",
         "    mode: Authorial\n    according_to: person/dmitry-peskov\n    statement:")
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, "speaker: person/dmitry-peskov"),
                 "claim 6: a statement: block belongs to a ReportedSpeech claim")


def test_a_continued_statement_must_point_at_the_one_that_describes_it(
        small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    text = path.read_text(encoding="utf-8")
    # claim 10 continues claim 9, which itself continues claim 8
    head, tail = text.split("  - n: 10\n", 1)
    path.write_text(head + "  - n: 10\n" + tail.replace("speech_act_of: 8", "speech_act_of: 9", 1),
                    encoding="utf-8")
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2, result.output
    assert "speech_act_of: claim 9 continues claim 8; point at 8" in result.output


def test_sources_need_the_citation_as_written(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "    according_to: person/hikmet-hajiyev\n",
         "    according_to: person/hikmet-hajiyev\n"
         "    sources:\n      - {by: organization/apa, date: 2024-04-17}\n")
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2, result.output
    assert "citation" in result.output and str(path) in result.output
