"""Links: every QID is verified or reconciled, and each link carries its own provenance."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph

from graph.errors import SeedErrors
from graph.seeds import load_entities
from graph.wikidata import VERIFIED_METHOD, VERIFIED_STATUSES, qids_tsv, verified_qids
from tests.wikidata.wikidata_helpers import ROOT, repo_settings, select

SEEDS = ROOT / "seeds"
KG = "https://w3id.org/karabakh-kg/ontology#"
PROV_GRAPH = "https://w3id.org/karabakh-kg/graph/provenance"


def test_every_registry_qid_is_verified_or_reconciled() -> None:
    listed = verified_qids(qids_tsv(SEEDS))
    entities = load_entities(SEEDS / "entities.yaml", SEEDS / "schema")
    bad = [
        f"{e.id}: {e.wikidata}"
        for e in entities.values()
        if e.wikidata
        and listed.get(e.wikidata) not in VERIFIED_STATUSES
        and not (e.wikidata_method or "").startswith("reconciled")
    ]
    assert not bad, "QIDs neither in the verified list nor reconciled: " + ", ".join(bad)


def test_every_linked_entity_has_a_dated_link_record(wikidata_build) -> None:
    _settings, result = wikidata_build
    entities = load_entities(SEEDS / "entities.yaml", SEEDS / "schema")
    records = select(result.store, f"""
        SELECT ?entity ?item ?method ?date WHERE {{ GRAPH <{PROV_GRAPH}> {{
          ?link a <{KG}WikidataLink> ; <{KG}linkSubject> ?entity ; <{KG}linkTarget> ?item ;
                <{KG}linkMethod> ?method ; <http://purl.org/dc/terms/date> ?date }} }}""")
    got = {r["entity"].rsplit("/id/", 1)[1]: r for r in records}
    linked = {e.id: e for e in entities.values() if e.wikidata}
    assert set(got) == set(linked)
    for entity_id, e in linked.items():
        assert got[entity_id]["item"] == f"http://www.wikidata.org/entity/{e.wikidata}"
        assert got[entity_id]["method"] == (e.wikidata_method or VERIFIED_METHOD)
        assert got[entity_id]["date"] == e.wikidata_date


def test_link_dates_come_from_the_registry_not_the_clock() -> None:
    entities = load_entities(SEEDS / "entities.yaml", SEEDS / "schema")
    dates = {e.wikidata_date for e in entities.values() if e.wikidata and not e.wikidata_method}
    assert dates == {"2026-11-23"}


def test_no_owl_same_as(wikidata_build) -> None:
    rows = select(wikidata_build[1].store,
                  "SELECT * { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }")
    assert rows == []


def test_a_link_without_any_date_is_a_seed_error(tmp_path: Path) -> None:
    from graph.build import run_check

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    registry = seeds / "entities.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("\nwikidata_date: 2026-11-23\n", "\n", 1), encoding="utf-8")
    with pytest.raises(SeedErrors) as err:
        run_check(repo_settings(SEEDS_DIR=str(seeds)))
    assert "state/russia: wikidata Q159 has no wikidata_date" in str(err.value)


RECORD = """
@prefix kg: <https://w3id.org/karabakh-kg/ontology#> .
@prefix id: <https://w3id.org/karabakh-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
id:state-russia a kg:State ; skos:prefLabel "Russia"@en ;
    skos:exactMatch <http://www.wikidata.org/entity/Q159> .
id:link-russia a kg:WikidataLink ; kg:linkSubject id:state-russia ;
    kg:linkTarget <http://www.wikidata.org/entity/Q159> ;
    kg:linkMethod "verified list (../shared/wikidata-qids.tsv)" ;
    dcterms:date "2026-11-23"^^xsd:date .
"""


@pytest.mark.parametrize(("old", "new", "message"), [
    ("<http://www.wikidata.org/entity/Q159> ;\n    kg:linkMethod",
     "<http://www.wikidata.org/entity/Q7747> ;\n    kg:linkMethod",
     "but the entity has no skos:exactMatch to it"),
    ('"2026-11-23"^^xsd:date', '"2026-11-23"', "exactly one date (dcterms:date), an xsd:date"),
    ('"verified list (../shared/wikidata-qids.tsv)"', '"looked it up"', "exactly one method"),
    ("kg:linkTarget <http://www.wikidata.org/entity/Q159>",
     "kg:linkTarget <https://www.wikidata.org/wiki/Q159>", "exactly one target"),
], ids=["target-not-the-exact-match", "date-not-xsd-date", "unknown-method", "target-form"])
def test_broken_link_records_are_reported(old: str, new: str, message: str) -> None:
    onto = Graph().parse(ROOT / "ontology" / "kg.ttl").parse(ROOT / "ontology" / "imports.ttl")
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    ok, _report, text = validate(Graph().parse(data=RECORD, format="turtle"),
                                 shacl_graph=shapes, ont_graph=onto, inference="none")
    assert ok, text
    assert old in RECORD
    data = Graph().parse(data=RECORD.replace(old, new, 1), format="turtle")
    ok, _report, text = validate(data, shacl_graph=shapes, ont_graph=onto, inference="none")
    assert not ok
    assert message in text


def test_the_repository_snapshot_of_the_verified_list_matches_the_shared_one() -> None:
    from graph.wikidata import shared_qids_tsv

    shared = shared_qids_tsv(SEEDS)
    if not shared.is_file():
        pytest.skip(f"{shared} is not beside the repository")
    assert qids_tsv(SEEDS).read_bytes() == shared.read_bytes()
