"""`kg export --wikibase`: our claims as Wikidata statements, each with a full reference."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from cli import kg as cli
from graph.wikidata import VERIFIED_STATUSES, qids_tsv, verified_qids
from tests.wikidata.wikidata_helpers import ROOT

WIKIBASE = Namespace("http://wikiba.se/ontology#")
PR = Namespace("http://www.wikidata.org/prop/reference/")
P, PS = "http://www.wikidata.org/prop/", "http://www.wikidata.org/prop/statement/"
WD = "http://www.wikidata.org/entity/"
ID = "https://w3id.org/karabakh-kg/id/"


@pytest.fixture(scope="module")
def export(wikidata_build, tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, bytes]:
    settings, _result = wikidata_build
    out = tmp_path_factory.mktemp("export") / "wikibase.ttl"
    result = CliRunner().invoke(cli, ["export", "--wikibase", "-o", str(out)], env={
        "KG_BUILD_DIR": settings["BUILD_DIR"], "KG_QUERIES_DIR": str(ROOT / "queries")})
    assert result.exit_code == 0, result.output
    body = out.read_bytes()
    return Graph().parse(data=body, format="turtle"), body


def test_every_statement_has_a_reference_with_stated_in_and_quotation(export) -> None:
    g, _ = export
    statements = set(g.subjects(RDF.type, WIKIBASE.Statement))
    assert statements, "the build has at least one exportable claim"
    for st in statements:
        assert (st, WIKIBASE.rank, WIKIBASE.NormalRank) in g
        refs = list(g.objects(st, PROV.wasDerivedFrom))
        assert refs, st
        for ref in refs:
            assert (ref, RDF.type, WIKIBASE.Reference) in g
            stated_in = list(g.objects(ref, PR.P248))
            assert stated_in and all(str(a).startswith(ID + "article/") for a in stated_in)
            quotes = list(g.objects(ref, PR.P1683))
            assert quotes and all(q.language for q in quotes), ref


def test_statements_use_wikidata_ids_and_our_iris(export) -> None:
    g, _ = export
    listed = verified_qids(qids_tsv(ROOT / "seeds"))
    for s, p, o in g:
        assert not isinstance(s, BNode) and not isinstance(o, BNode)
        if str(p).startswith(P) and not str(p).startswith((PS, str(PR))):
            pid = str(p)[len(P):]
            assert listed.get(pid) in VERIFIED_STATUSES, pid
            assert str(s).startswith(WD) and listed.get(str(s)[len(WD):]) in VERIFIED_STATUSES
            assert str(o).startswith(ID + "claim/"), o  # minted from the claim's IRI
            assert (o, URIRef(PS + pid), None) in g


def test_the_invasion_of_ukraine_has_russia_as_participant(export) -> None:
    g, _ = export
    claim = ID + "claim/unattributed-2024-04-18-tskhinvali-scenario/24"
    [st] = g.objects(URIRef(WD + "Q110999040"), URIRef(P + "P710"))
    assert str(st).startswith(claim + "/wikibase/statement-P710-")
    assert (st, URIRef(PS + "P710"), URIRef(WD + "Q159")) in g
    ref = URIRef(claim + "/wikibase/reference")
    assert (ref, PR.P248, URIRef(ID + "article/unattributed-2024-04-18-tskhinvali-scenario")) in g


def test_the_export_is_deterministic(export, wikidata_build, tmp_path: Path) -> None:
    _g, body = export
    result = CliRunner().invoke(cli, ["export", "--wikibase"], env={
        "KG_BUILD_DIR": wikidata_build[0]["BUILD_DIR"], "KG_QUERIES_DIR": str(ROOT / "queries")})
    assert result.exit_code == 0
    assert result.output.encode("utf-8") == body


def test_export_needs_a_format_and_a_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export"])
    assert result.exit_code == 2 and "--wikibase" in result.output
    result = CliRunner().invoke(cli, ["export", "--wikibase"],
                                env={"KG_BUILD_DIR": str(tmp_path)})
    assert result.exit_code == 2 and "no build found" in result.output
