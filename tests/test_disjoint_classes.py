"""Actors, places, routes, events and information objects are disjoint, and the build enforces it:
queries/checks/disjoint-classes-violation.rq fails it when reasoning puts a resource in two."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from cli import kg as cli
from graph.namespaces import KG
from tests.conftest import BASE, EXAMPLE_ARTICLE, ROOT, select

CHECK = ROOT / "queries" / "checks" / "disjoint-classes-violation.rq"
ARTICLE = f"articles/{EXAMPLE_ARTICLE}.yaml"
# The rail route of claim 15 of the example article; the rest of its IRI digests its content.
RAIL_ROUTE = "value/jamnews-2024-04-17-peacekeepers-withdrawal/15-"
DISJOINT = [
    KG.Actor, KG.Place, KG.Route, KG.Event, KG.DateRange,
    KG.Article, KG.ArticleText, KG.Claim, KG.EvidenceSpan, KG.Quotation,
    KG.ConflictSet, KG.VarianceSet, KG.WikidataLink,
]  # fmt: skip


# The example article alone does not validate: the registry's South Ossetia deployment takes its
# host state from this one.
COMPANION = "unattributed-2024-04-18-tskhinvali-scenario"


@pytest.fixture()
def seeds(small_seeds: Path) -> Path:
    """The small seeds plus the one article they need to build cleanly."""
    for suffix in (".yaml", ".txt"):
        name = COMPANION + suffix
        shutil.copy(ROOT / "seeds" / "articles" / name, small_seeds / "articles" / name)
    return small_seeds


def build(seeds: Path, tmp_path: Path, ontology: Path = ROOT / "ontology", **env: str):
    """``kg build`` over ``seeds`` into a fresh directory holding a previous build."""
    out = tmp_path / "build"
    out.mkdir()
    (out / "kg.nq").write_text("previous build\n")
    env = {
        "KG_SEEDS_DIR": str(seeds),
        "KG_BUILD_DIR": str(out),
        "KG_ONTOLOGY_DIR": str(ontology),
        "KG_QUERIES_DIR": str(ROOT / "queries"),
        **env,
    }
    result = CliRunner().invoke(cli, ["build"], env=env)
    return result, out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the axiom ------------------------------------------------------------------------------------


def test_the_top_classes_are_declared_pairwise_disjoint() -> None:
    kg = Graph().parse(ROOT / "ontology" / "kg.ttl")
    axioms = list(kg.subjects(RDF.type, OWL.AllDisjointClasses))
    assert len(axioms) == 1
    members = kg.value(axioms[0], OWL.members)
    assert members is not None
    assert list(Collection(kg, members)) == DISJOINT


def test_operated_by_types_a_route_as_a_route_not_an_organization() -> None:
    kg = Graph().parse(ROOT / "ontology" / "kg.ttl")
    union = kg.value(kg.value(KG.operatedBy, RDFS.domain), OWL.unionOf)
    assert union is not None
    assert set(Collection(kg, union)) == {KG.Organization, KG.Route}


# --- the check on small datasets ------------------------------------------------------------------


def run_check(trig: str) -> list[dict[str, str]]:
    store = ox.Store()
    store.load(trig.encode(), format=ox.RdfFormat.TRIG)
    return select(store, CHECK.read_text(encoding="utf-8"))


PREFIXES = f"""
@prefix kg: <{KG}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
"""


def test_check_reads_all_disjoint_classes_and_climbs_subclasses() -> None:
    rows = run_check(
        PREFIXES
        + f"""
<{BASE}graph/ontology> {{
    kg:Settlement rdfs:subClassOf kg:Place .
    [] a owl:AllDisjointClasses ; owl:members ( kg:Actor kg:Place kg:Route ) .
}}
<{BASE}graph/entities> {{ ex:barda a kg:Settlement . ex:russia a kg:Actor . }}
<{BASE}graph/inferred> {{ ex:barda a kg:Actor . ex:route a kg:Place . }}
<{BASE}id/claim/x/1> {{ ex:route a kg:Route . }}
"""
    )
    assert rows == [
        {"resource": "https://example.org/barda", "disjoint": f"{KG}Actor / {KG}Place"},
        {"resource": "https://example.org/route", "disjoint": f"{KG}Place / {KG}Route"},
    ]


def test_check_reads_disjoint_with_in_either_direction() -> None:
    rows = run_check(
        PREFIXES
        + f"""
<{BASE}graph/ontology> {{ ex:B owl:disjointWith ex:A . }}
<{BASE}graph/inferred> {{ ex:x a ex:A, ex:B . ex:y a ex:A, ex:C . }}
"""
    )
    assert rows == [
        {
            "resource": "https://example.org/x",
            "disjoint": "https://example.org/A / https://example.org/B",
        }
    ]


def test_check_ignores_disjointness_outside_the_ontology_graph() -> None:
    rows = run_check(
        PREFIXES
        + f"""
<{BASE}id/claim/x/1> {{ ex:B owl:disjointWith ex:A . ex:x a ex:A, ex:B . }}
"""
    )
    assert rows == []


# --- the real build -------------------------------------------------------------------------------


def test_the_real_build_has_no_resource_in_two_disjoint_classes(store) -> None:
    assert select(store, CHECK.read_text(encoding="utf-8")) == []


def test_the_rail_route_is_a_route_and_not_an_actor(store) -> None:
    rows = select(
        store,
        f"""SELECT ?route ?t WHERE {{
              ?route <{KG.operatedBy}> <{BASE}id/organization/russian-railways> ; a ?t }}""",
    )
    assert rows and all(r["route"].startswith(BASE + "id/" + RAIL_ROUTE) for r in rows)
    types = {r["t"] for r in rows}
    assert str(KG.Route) in types
    assert not types & {str(KG.Actor), str(KG.Organization)}, types


# --- the check fails the build --------------------------------------------------------------------


def test_a_place_that_reasoning_makes_an_actor_fails_the_build(seeds: Path, tmp_path: Path) -> None:
    # kg:establishedBy has domain kg:Organization: OWL 2 RL makes Barda an organisation (an actor).
    edit(
        seeds / ARTICLE,
        "          kg:to place:russia-territory ] .\n",
        "          kg:to place:russia-territory ] .\n"
        "      place:barda kg:establishedBy state:russia .\n",
    )
    result, out = build(seeds, tmp_path)
    assert result.exit_code == 1, result.output
    assert "disjoint-classes-violation.rq: 1 row(s)" in result.output, result.output
    assert f"{BASE}id/place/barda" in result.output
    assert f"{KG}Actor / {KG}Place" in result.output
    assert (out / "kg.nq").read_text() == "previous build\n"


def test_the_old_operated_by_domain_fails_the_build_under_another_base(
    seeds: Path, tmp_path: Path
) -> None:
    # The 0.1.0 domain (kg:Organization alone) made the rail route an actor; the check must catch
    # it, and must find the ontology graph when the dataset is minted under another base IRI.
    ontology = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    edit(
        ontology / "kg.ttl",
        "rdfs:domain [ a owl:Class ; owl:unionOf ( kg:Organization kg:Route ) ] ;",
        "rdfs:domain kg:Organization ;",
    )
    base = "https://example.org/kg/"
    result, out = build(seeds, tmp_path, ontology, KG_BASE_IRI=base)
    assert result.exit_code == 1, result.output
    assert "disjoint-classes-violation.rq: 1 row(s)" in result.output, result.output
    assert f"'resource': '{base}id/{RAIL_ROUTE}" in result.output
    assert f"{KG}Actor / {KG}Route" in result.output
    assert (out / "kg.nq").read_text() == "previous build\n"
